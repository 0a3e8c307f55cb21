# Regenerates golden-token-set.json: python3 golden-token-set.py < pairs.json > golden-token-set.json
# (pairs: [a, b] string pairs; the checked-in set mixes catalog attribute/option pairs with hand-picked ones).
# Reference: thefuzz 0.19.0 token_set_ratio without python-Levenshtein (difflib), re-implemented
# from its source behaviour with the standard library only.
import json, re, sys
from difflib import SequenceMatcher
table = dict.fromkeys(range(128, 256))
def full_process(s):
    s = s.translate(table)
    s = re.sub(r'(?ui)\W', ' ', s)
    return s.lower().strip()
def ratio(a, b):
    return int(round(100 * SequenceMatcher(None, a, b).ratio()))
def token_set_ratio(s1, s2):
    p1, p2 = full_process(s1), full_process(s2)
    if not p1 or not p2: return 0
    t1, t2 = set(p1.split()), set(p2.split())
    sect = ' '.join(sorted(t1 & t2))
    c12 = (sect + ' ' + ' '.join(sorted(t1 - t2))).strip()
    c21 = (sect + ' ' + ' '.join(sorted(t2 - t1))).strip()
    sect = sect.strip()
    return max(ratio(sect, c12), ratio(sect, c21), ratio(c12, c21))
pairs = json.load(sys.stdin)
print(json.dumps([[a, b, token_set_ratio(a, b)] for a, b in pairs]))
