// Noun extraction for the type reward: tokens tagged NOUN or PROPN, lower-cased (spaCy in the
// original; wink-nlp's English lite model here, which ships inside its npm package).

import winkNLP from 'wink-nlp'
import model from 'wink-eng-lite-web-model'

type Nlp = ReturnType<typeof winkNLP>

let nlp: Nlp | null = null
const cache = new Map<string, string[]>()
const CACHE_LIMIT = 50_000

export function nouns(text: string): string[] {
  const hit = cache.get(text)
  if (hit) return hit
  nlp ??= winkNLP(model)
  const its = nlp.its
  const doc = nlp.readDoc(text)
  const values = doc.tokens().out(its.value) as string[]
  const pos = doc.tokens().out(its.pos) as string[]
  const out: string[] = []
  values.forEach((v, i) => {
    const tag = pos[i]
    if (tag === 'NOUN' || tag === 'PROPN') out.push(v.toLowerCase())
  })
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(text, out)
  return out
}
