// Batched LM rollouts with random weights on all three envs: constrained actions are admissible,
// candidate probabilities sum to 1, recorded log-probs equal a re-scoring, the cached logits equal a
// full re-encoding, a seed fixes the rollout, teacher trajectories match, free decoding pays −0.1.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  defaultLmModelConfig,
  instructionWords,
  markTaskWords,
  recomputeTokenLogProbs,
  resolveLmAgentOptions,
  resultClickTexts,
  rolloutLm,
  taskWordIds,
  teacherTrajectory,
  type LmAgentOptionsInput,
  type LmLogitsProbe,
  type LmRollout
} from '../../../core/agent/lm'
import { createTransformerLM, type TransformerLM } from '../../../core/agent/models/transformer'
import type { EnvKind } from '../../../core/envs/env'
import { SEARCH_PLACEHOLDER } from '../../../core/envs/webshop/format'
import { createRng } from '../../../core/rng'
import { maxAbsDiff, wasmReady } from './helpers'
import { LM_ENVS, testEnv, testTokenizer } from './lm-fixtures'

await wasmReady()
const tokenizer = testTokenizer()
const MAX_STEPS: Record<EnvKind, number> = { sokoban: 8, alfworld: 8, webshop: 6 }
/** More seeds per env and temperature with HIMAC_LM_TEST_SEEDS=n (default 3; WebShop 2). */
const EXTRA_SEEDS = Number(process.env['HIMAC_LM_TEST_SEEDS'] ?? 0)
const seedsFor = (kind: EnvKind): number[] =>
  Array.from({ length: EXTRA_SEEDS || (kind === 'webshop' ? 2 : 3) }, (_, i) => i)

function smallModel(kind: EnvKind, seed = 7): TransformerLM {
  const { context, vocab } = defaultLmModelConfig(tokenizer, kind)
  return createTransformerLM({ vocab, dModel: 16, layers: 1, heads: 2, ffMult: 2, context }, seed)
}

function run(
  model: TransformerLM,
  kind: EnvKind,
  seeds: number[],
  extra: {
    temperature?: number
    rngSeed?: number
    options?: LmAgentOptionsInput
    candidates?: boolean
    encoding?: 'kv-cache' | 'reencode'
    onLogits?: (p: LmLogitsProbe) => void
  } = {}
): LmRollout[] {
  return rolloutLm({
    model,
    tokenizer,
    envs: seeds.map(() => testEnv(kind, MAX_STEPS[kind])),
    seeds,
    temperature: extra.temperature ?? 1,
    rng: createRng(extra.rngSeed ?? 11),
    options: resolveLmAgentOptions(extra.options ?? {}, kind),
    ...(extra.candidates ? { candidates: true } : {}),
    ...(extra.encoding ? { encoding: extra.encoding } : {}),
    ...(extra.onLogits ? { onLogits: extra.onLogits } : {})
  })
}

const acted = (r: LmRollout) => r.steps.filter((s) => s.action !== '')

describe('rolloutLm (constrained)', () => {
  for (const kind of LM_ENVS) {
    it(`${kind}: admissible actions, candidates, log-probs, teacher, cached logits`, () => {
      const model = smallModel(kind)
      try {
        for (const temperature of [1, 2]) {
          const probes: LmLogitsProbe[] = []
          const rollouts = run(model, kind, seedsFor(kind), {
            temperature,
            candidates: temperature === 1,
            onLogits: (p) => probes.push(p)
          })
          for (const r of rollouts) {
            const steps = acted(r)
            expect(steps.length).toBeGreaterThan(0)
            expect(r.trajectory.decisions.length).toBe(steps.length)
            expect(r.steps[r.steps.length - 1]?.action).toBe('')
            const words = new Set(instructionWords(r.task))
            steps.forEach((s, i) => {
              if (s.action.startsWith('search[')) {
                expect(s.admissibleActions).toContain(SEARCH_PLACEHOLDER)
                for (const w of s.action.slice(7, -1).split(' ')) expect(words.has(w)).toBe(true)
              } else expect(s.admissibleActions).toContain(s.action)
              const d = r.trajectory.decisions[i]
              expect(d?.action).toBe(s.action)
              expect(d?.temperature).toBe(temperature)
              const sum = d ? d.tokenLogProbs.reduce((p, x) => p + x, 0) : NaN
              expect(s.logProb).toBeCloseTo(sum, 6)
              if (temperature === 1) {
                const probs = s.candidates ?? []
                expect(probs.length).toBeGreaterThan(0)
                const total = probs.reduce((p, c) => p + c.prob, 0)
                expect(Math.abs(total - 1)).toBeLessThan(1e-5)
                const chosen = s.action.startsWith('search[') ? SEARCH_PLACEHOLDER : s.action
                expect(probs.find((c) => c.action === chosen)?.prob).toBeGreaterThan(0)
                // The chosen action's candidate probability is the one it was sampled with.
                if (chosen === s.action) {
                  const p = probs.find((c) => c.action === chosen)?.prob ?? NaN
                  expect(Math.abs(p - Math.exp(s.logProb ?? NaN))).toBeLessThan(1e-5)
                }
              }
            })
            const again = recomputeTokenLogProbs(model, r.trajectory)
            r.trajectory.decisions.forEach((d, i) =>
              expect(maxAbsDiff(d.tokenLogProbs, again[i] as Float32Array)).toBeLessThan(1e-4)
            )
            const teacher = teacherTrajectory(
              tokenizer,
              kind,
              r,
              resolveLmAgentOptions({}, kind),
              model.config.context
            )
            expect(teacher.chunks).toEqual(r.trajectory.chunks)
            expect(
              teacher.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action])
            ).toEqual(
              r.trajectory.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action])
            )
          }
          // Cached logits against the whole chunk encoded alone (a sample of the probes).
          const sample = probes.filter((_, i) => i % 5 === 0).slice(0, 12)
          for (const p of sample) {
            const full = tf.tidy(() => {
              const tokens = tf.tensor2d([Array.from(p.tokens)], [1, p.tokens.length], 'int32')
              return model.logitsAt(tokens, [p.tokens.length - 1]).dataSync() as Float32Array
            })
            expect(maxAbsDiff(full, p.logits)).toBeLessThan(1e-5)
          }
        }
      } finally {
        model.dispose()
      }
    })
  }

  it('is deterministic for a seed and equal to re-encoding', () => {
    const model = smallModel('alfworld', 3)
    try {
      const key = (rs: LmRollout[]) =>
        JSON.stringify(rs.map((r) => [r.steps.map((s) => [s.action, s.logProb]), r.return]))
      const a = run(model, 'alfworld', [4, 5], { rngSeed: 9 })
      const b = run(model, 'alfworld', [4, 5], { rngSeed: 9 })
      expect(key(a)).toBe(key(b))
      expect(a.map((r) => r.trajectory.chunks)).toEqual(b.map((r) => r.trajectory.chunks))
      const c = run(model, 'alfworld', [4, 5], { rngSeed: 10 })
      expect(key(c)).not.toBe(key(a))
      const actions = (rs: LmRollout[]) => rs.map((r) => r.steps.map((s) => s.action))
      // Each env samples from its own stream, whatever the forward passes it shares.
      expect(actions(run(model, 'alfworld', [4, 5], { rngSeed: 9, encoding: 'reencode' }))).toEqual(
        actions(a)
      )
      const g1 = run(model, 'alfworld', [4, 5], { temperature: 0 })
      const g2 = run(model, 'alfworld', [4, 5], { temperature: 0, encoding: 'reencode' })
      expect(actions(g2)).toEqual(actions(g1))
      expect(g1[0]?.trajectory.decisions[0]?.temperature).toBe(1)
      expect(g1[0]?.stats.batch.forwardPasses).toBeGreaterThan(0)
      // Candidate probabilities are read from forks of the cache: the rollout itself is the same
      // (the greedy evaluation leaves them out, only the stored tempered one has them).
      const withCandidates = run(model, 'alfworld', [4, 5], { rngSeed: 9, candidates: true })
      expect(key(withCandidates)).toBe(key(a))
      expect(withCandidates.map((r) => r.trajectory)).toEqual(a.map((r) => r.trajectory))
      expect(withCandidates[0]?.steps[0]?.candidates?.length).toBeGreaterThan(0)
      expect(a[0]?.steps[0]?.candidates).toBeUndefined()
    } finally {
      model.dispose()
    }
  })
})

describe('rolloutLm (WebShop results named by title)', () => {
  it('sends ASIN clicks, records log-probs of the title tokens, and the teacher agrees', () => {
    const model = smallModel('webshop', 5)
    const options = { webshopClick: 'title' as const }
    try {
      const rollouts = run(model, 'webshop', [0, 1, 2, 3], { options, candidates: true })
      let resultClicks = 0
      for (const r of rollouts) {
        acted(r).forEach((s, i) => {
          if (!s.action.startsWith('search[')) expect(s.admissibleActions).toContain(s.action)
          const d = r.trajectory.decisions[i]!
          expect(d.action).toBe(s.action)
          const texts = resultClickTexts(s.observation, s.admissibleActions)
          const title = texts.get(s.action)
          if (title !== undefined) {
            resultClicks++
            expect(d.positions.length).toBe(tokenizer.encode(title).length + 1)
          }
          expect(s.candidates?.map((c) => c.action).sort()).toEqual([...s.admissibleActions].sort())
        })
        const teacher = teacherTrajectory(
          tokenizer,
          'webshop',
          r,
          resolveLmAgentOptions(options, 'webshop'),
          model.config.context
        )
        expect(teacher.chunks).toEqual(r.trajectory.chunks)
        expect(teacher.decisions.map((d) => [d.positions, d.allowed, d.action])).toEqual(
          r.trajectory.decisions.map((d) => [d.positions, d.allowed, d.action])
        )
      }
      expect(resultClicks).toBeGreaterThan(0)
    } finally {
      model.dispose()
    }
  })
})

describe('rolloutLm (marked words in actions)', () => {
  for (const kind of ['alfworld', 'webshop'] as const) {
    it(`${kind}: commands spell the task's words after <task>; log-probs, candidates and teacher agree`, () => {
      const model = smallModel(kind, 9)
      const input = {
        markTaskWords: true,
        markActionWords: true,
        ...(kind === 'webshop' ? { webshopClick: 'rank' as const } : {})
      }
      const options = resolveLmAgentOptions(input, kind)
      const { task: marker, end } = tokenizer.special
      try {
        const rollouts = run(model, kind, [0, 1, 2, 3, 4, 5, 6, 7], {
          options: input,
          candidates: true
        })
        let marked = 0
        let ranks = 0
        for (const r of rollouts) {
          const words = taskWordIds(tokenizer, kind, r.task)
          acted(r).forEach((s, i) => {
            const d = r.trajectory.decisions[i]!
            expect(d.action).toBe(s.action)
            const tokens = Array.from(d.positions, (p) => r.trajectory.chunks[d.chunk]![p]!)
            const texts = resultClickTexts(s.observation, s.admissibleActions, 'rank')
            if (s.action.startsWith('search[')) return
            expect(s.admissibleActions).toContain(s.action)
            const rank = texts.get(s.action)
            if (rank !== undefined) {
              // A rank is a position, not a task word: never marked.
              ranks++
              expect(tokens).toEqual([...tokenizer.encode(rank), end])
              return
            }
            const plain = tokenizer.encode(s.action)
            expect(tokens).toEqual([...markTaskWords(plain, words, marker), end])
            if (plain.some((t) => words.has(t))) marked++
            const p = s.candidates?.find((c) => c.action === s.action)?.prob ?? NaN
            expect(Math.abs(p - Math.exp(s.logProb ?? NaN))).toBeLessThan(1e-5)
            const total = (s.candidates ?? []).reduce((q, c) => q + c.prob, 0)
            expect(Math.abs(total - 1)).toBeLessThan(1e-5)
          })
          const again = recomputeTokenLogProbs(model, r.trajectory)
          r.trajectory.decisions.forEach((d, i) =>
            expect(maxAbsDiff(d.tokenLogProbs, again[i] as Float32Array)).toBeLessThan(1e-4)
          )
          const teacher = teacherTrajectory(tokenizer, kind, r, options, model.config.context)
          expect(teacher.chunks).toEqual(r.trajectory.chunks)
          expect(teacher.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action])).toEqual(
            r.trajectory.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action])
          )
        }
        expect(marked).toBeGreaterThan(0)
        if (kind === 'webshop') expect(ranks).toBeGreaterThan(0)
      } finally {
        model.dispose()
      }
    })
  }
})

describe('rolloutLm (free decoding)', () => {
  it('sends the decoded text and adds the −0.1 invalid-action penalty', () => {
    const model = smallModel('alfworld', 5)
    try {
      const rollouts = run(model, 'alfworld', [0, 1], {
        options: { decoding: 'free', maxActionTokens: 6 }
      })
      let invalid = 0
      for (const r of rollouts) {
        const env = testEnv('alfworld', MAX_STEPS.alfworld)
        env.reset(r.seed)
        for (const s of acted(r)) {
          const res = env.step(s.action)
          const admissible = s.admissibleActions.includes(s.action)
          expect(s.invalid === true).toBe(!admissible)
          expect(s.reward).toBeCloseTo(res.reward - (admissible ? 0 : 0.1), 9)
          if (!admissible) invalid++
        }
        const again = recomputeTokenLogProbs(model, r.trajectory)
        r.trajectory.decisions.forEach((d, i) => {
          expect(d.positions.length).toBeLessThanOrEqual(6)
          expect(maxAbsDiff(d.tokenLogProbs, again[i] as Float32Array)).toBeLessThan(1e-4)
        })
      }
      expect(invalid).toBeGreaterThan(0)
      expect(rollouts[0]?.stats.batch.invalidActions).toBe(invalid)
    } finally {
      model.dispose()
    }
  })
})
