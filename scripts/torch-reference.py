"""The reference transformer of `himac bench` in PyTorch: the same layout, sizes and batches.

Reads one JSON object on stdin ({"model": {...}, "trainBatch", "forwardBatch", "seq", "steps",
"warmup", "threads": [1, 2], "seed"}) and prints one JSON object: per thread count, the median
milliseconds and tokens/s of a training step (forward + backward + Adam on a REINFORCE loss) and of
a forward pass. `himac bench` runs it beside our own step in the same run (section `torch`).
"""

import json
import math
import statistics
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.w1 = nn.Linear(d, ff)
        self.w2 = nn.Linear(ff, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        dh = d // self.heads
        h = self.ln1(x)
        q = self.q(h).view(b, t, self.heads, dh).transpose(1, 2)
        k = self.k(h).view(b, t, self.heads, dh).transpose(1, 2)
        v = self.v(h).view(b, t, self.heads, dh).transpose(1, 2)
        # Written out as ours is (scores, additive mask, softmax), not a fused attention kernel.
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + mask, dim=-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.w2(nn.functional.gelu(self.w1(self.ln2(x)), approximate="tanh"))


class Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["dModel"]
        self.tok = nn.Embedding(cfg["vocab"], d)
        self.pos = nn.Embedding(cfg["context"], d)
        self.blocks = nn.ModuleList(
            Block(d, cfg["heads"], d * cfg["ffMult"]) for _ in range(cfg["layers"])
        )
        self.lnf = nn.LayerNorm(d, eps=1e-5)
        self.head = nn.Linear(d, cfg["vocab"])

    def forward(self, tokens):
        t = tokens.shape[1]
        mask = torch.full((t, t), -1e9).triu(1)
        x = self.tok(tokens) + self.pos(torch.arange(t))
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.lnf(x))


def batch(cfg, rows, seq, gen):
    stream = torch.randint(0, cfg["vocab"], (rows, seq + 1), generator=gen)
    adv = (torch.rand(rows, 1, generator=gen) * 2 - 1).expand(rows, seq)
    return stream[:, :-1], stream[:, 1:], adv


def timed(fn, warmup, steps):
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        fn()
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(cfg, spec, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(spec["seed"])
    gen = torch.Generator().manual_seed(spec["seed"])
    model = Model(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seq = spec["seq"]
    tokens, targets, adv = batch(cfg, spec["trainBatch"], seq, gen)
    f_tokens, _, _ = batch(cfg, spec["forwardBatch"], seq, gen)

    def train_step():
        logp = torch.log_softmax(model(tokens), dim=-1)
        loss = -(logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1) * adv).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def forward():
        with torch.no_grad():
            model(f_tokens)

    train_ms = timed(train_step, spec["warmup"], spec["steps"])
    forward_ms = timed(forward, spec["warmup"], spec["steps"])
    return {
        "threads": threads,
        "train": {
            "medianMs": round(train_ms, 2),
            "tokensPerSec": round(spec["trainBatch"] * seq * 1000 / train_ms),
        },
        "forward": {
            "medianMs": round(forward_ms, 2),
            "tokensPerSec": round(spec["forwardBatch"] * seq * 1000 / forward_ms),
        },
    }


def main():
    spec = json.load(sys.stdin)
    cfg = spec["model"]
    rows = [measure(cfg, spec, n) for n in spec["threads"]]
    parameters = sum(p.numel() for p in Model(cfg).parameters())
    print(json.dumps({"torch": torch.__version__, "parameters": parameters, "rows": rows}))


if __name__ == "__main__":
    main()
