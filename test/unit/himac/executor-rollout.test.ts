// The HiMAC executor in the batched rollout: `<sub_done>` is no env step and moves to the next
// subgoal's prompt (a new chunk with no history), the step budget forces a fallback, no
// `<sub_done>` after the last subgoal, the fixed-budget ablation never offers it; recorded log-probs
// equal a re-scoring across the prompt switches, and the teacher rebuilds the same trajectory.
import { describe, expect, it } from 'vitest'
import {
  blueprintTokens,
  executorPromptTokens,
  subgoalPhrases,
  type ExecutorPlan
} from '../../../core/agent/himac/executor-plan'
import type { PlanSegment } from '../../../core/agent/himac'
import { teacherExecutorTrajectory } from '../../../core/agent/himac/teacher'
import { subgoalWordIds, taskWordIds } from '../../../core/agent/lm/context'
import {
  defaultLmModelConfig,
  recomputeTokenLogProbs,
  resolveLmAgentOptions,
  rolloutLm,
  type LmRollout
} from '../../../core/agent/lm'
import { createTransformerLM, type TransformerLM } from '../../../core/agent/models/transformer'
import type { EnvKind } from '../../../core/envs/env'
import { createRng } from '../../../core/rng'
import { maxAbsDiff, wasmReady } from '../agent/helpers'
import { testEnv, testTokenizer } from '../agent/lm-fixtures'

await wasmReady()
const tokenizer = testTokenizer()
const SUBGOALS: Record<EnvKind, string[]> = {
  sokoban: ['go to the left side of the box', 'push the box right', 'push the box up'],
  alfworld: ['find the apple', 'take the apple', 'go to the microwave', 'heat the apple'],
  webshop: ['search for shoes', 'choose an item', 'buy the item']
}

function model(kind: EnvKind, seed: number): TransformerLM {
  const { context, vocab } = defaultLmModelConfig(tokenizer, kind)
  return createTransformerLM(
    { vocab, dModel: 16, layers: 1, heads: 2, ffMult: 2, context: context + 128 },
    seed
  )
}

function plan(kind: EnvKind, over: Partial<ExecutorPlan> = {}): ExecutorPlan {
  return {
    tokens: blueprintTokens(tokenizer, SUBGOALS[kind]),
    budget: 3,
    carry: 0,
    subDone: true,
    ...over
  }
}

function run(
  m: TransformerLM,
  kind: EnvKind,
  seeds: number[],
  p: ExecutorPlan,
  rngSeed = 5,
  candidates = false,
  options = resolveLmAgentOptions({}, kind)
) {
  return rolloutLm({
    ...(candidates ? { candidates: true } : {}),
    model: m,
    tokenizer,
    envs: seeds.map(() => testEnv(kind, 12)),
    seeds,
    temperature: 1,
    rng: createRng(rngSeed),
    options,
    plans: seeds.map(() => p)
  })
}

const acted = (r: LmRollout) => r.steps.filter((s) => s.action !== '')
const subDones = (r: LmRollout) =>
  r.trajectory.decisions.filter((d) => d.action === '<sub_done>').length

/** Segments as the rollout's steps record them (each step's subgoal index). */
function segmentsOf(r: LmRollout): PlanSegment[] {
  const out: PlanSegment[] = []
  acted(r).forEach((s, i) => {
    const k = s.subgoalIndex as number
    const last = out[out.length - 1]
    if (last && last.subgoal === k) last.lastStep = i
    else out.push({ subgoal: k, firstStep: i, lastStep: i })
  })
  return out
}

describe('the executor rollout under a blueprint', () => {
  for (const kind of ['sokoban', 'alfworld', 'webshop'] as const) {
    it(`${kind}: sub_done, fallback and post-plan semantics; log-probs; teacher`, () => {
      const m = model(kind, 3)
      try {
        const p = plan(kind)
        const K = SUBGOALS[kind].length
        const rollouts = run(m, kind, [0, 1, 2, 3, 4, 5], p)
        let sawSubDone = 0
        let sawFallback = 0
        for (const r of rollouts) {
          const steps = acted(r)
          expect(steps.length).toBeLessThanOrEqual(12)
          expect(r.trajectory.decisions.length).toBe(steps.length + subDones(r))
          // Subgoal indices never go back; a subgoal never runs past its budget.
          const perSubgoal = new Map<number, number>()
          steps.forEach((s, i) => {
            const k = s.subgoalIndex as number
            if (i > 0) expect(k).toBeGreaterThanOrEqual(steps[i - 1]?.subgoalIndex as number)
            perSubgoal.set(k, (perSubgoal.get(k) ?? 0) + 1)
            if (s.fallback) {
              sawFallback++
              expect(k).toBeLessThan(K)
              expect(perSubgoal.get(k)).toBe(p.budget)
              expect(steps[i + 1]?.subgoalIndex ?? k + 1).toBeGreaterThan(k)
            }
          })
          for (const [k, n] of perSubgoal) if (k < K) expect(n).toBeLessThanOrEqual(p.budget)
          // Every move to the next subgoal is a <sub_done> or a fallback; none after the last.
          const moves = subDones(r) + steps.filter((s) => s.fallback).length
          expect(moves).toBeLessThanOrEqual(K)
          // Every episode ends on an env step, whose subgoal index counts the moves before it.
          expect(moves).toBe(steps[steps.length - 1]?.subgoalIndex)
          sawSubDone += subDones(r)
          // Each subgoal's chunk starts with that subgoal's prompt.
          const phrases = subgoalPhrases(tokenizer, p.tokens)
          const first = Array.from(r.trajectory.chunks[0] as Int32Array)
          const prompt0 = executorPromptTokens(tokenizer, kind, r.task, p.tokens, phrases, 0, 64)
          expect(first.slice(0, 3)).toEqual(prompt0.slice(0, 3))

          const again = recomputeTokenLogProbs(m, r.trajectory)
          r.trajectory.decisions.forEach((d, i) =>
            expect(maxAbsDiff(d.tokenLogProbs, again[i] as Float32Array)).toBeLessThan(1e-4)
          )
          const teacher = teacherExecutorTrajectory(
            tokenizer,
            kind,
            r,
            p,
            segmentsOf(r),
            resolveLmAgentOptions({}, kind),
            m.config.context
          )
          if (!teacher.trajectory) throw new Error(teacher.reason)
          expect(teacher.trajectory.chunks).toEqual(r.trajectory.chunks)
          expect(
            teacher.trajectory.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action])
          ).toEqual(r.trajectory.decisions.map((d) => [d.chunk, d.positions, d.allowed, d.action]))
        }
        // Random weights choose <sub_done> now and then and hit the budget now and then.
        expect(sawSubDone + sawFallback).toBeGreaterThan(0)
      } finally {
        m.dispose()
      }
    })
  }

  it('records each <sub_done> choice with its candidates on the env step that follows it', () => {
    const m = model('alfworld', 3)
    try {
      const rollouts = run(m, 'alfworld', [0, 1, 2, 3, 4, 5], plan('alfworld'), 5, true)
      let seen = 0
      for (const r of rollouts) {
        // The decisions in order, each env step preceded by the <sub_done> choices made before it.
        const decisions = r.trajectory.decisions
        let d = 0
        for (const s of acted(r)) {
          const choices = s.subDoneChoices ?? []
          for (const choice of choices) {
            const decision = decisions[d++]
            expect(decision?.action).toBe('<sub_done>')
            // Same state: the step's admissible list, then <sub_done>; a distribution that gives
            // <sub_done> the probability its recorded log-prob says (temperature 1).
            expect(choice.map((c) => c.action)).toEqual([...s.admissibleActions, '<sub_done>'])
            expect(choice.reduce((a, c) => a + c.prob, 0)).toBeCloseTo(1, 4)
            const logProb = Array.from(decision?.tokenLogProbs ?? []).reduce((a, x) => a + x, 0)
            expect(choice.at(-1)?.prob).toBeCloseTo(Math.exp(logProb), 4)
            seen++
          }
          expect(decisions[d++]?.action).toBe(s.action)
        }
        expect(d).toBe(decisions.length)
      }
      expect(seen).toBeGreaterThan(0)
    } finally {
      m.dispose()
    }
  })

  it("markSubgoalWords: each subgoal's observations mark its own words, after the plan the task's; the teacher marks the same", () => {
    const m = model('alfworld', 3)
    try {
      const options = resolveLmAgentOptions(
        { markTaskWords: true, markSubgoalWords: true },
        'alfworld'
      )
      const p = plan('alfworld', { budget: 4 })
      const phrases = subgoalPhrases(tokenizer, p.tokens)
      const marker = tokenizer.special.task
      let marks = 0
      for (const r of run(m, 'alfworld', [0, 1, 2, 3, 4, 5], p, 5, false, options)) {
        const taskWords = taskWordIds(tokenizer, 'alfworld', r.task)
        r.trajectory.chunks.forEach((chunk, c) => {
          // Chunk c is subgoal c's (no chunk of its own is started within a subgoal here).
          const phrase = phrases[c]
          const words = phrase ? subgoalWordIds(tokenizer, 'alfworld', phrase) : taskWords
          const prompt = executorPromptTokens(
            tokenizer,
            'alfworld',
            r.task,
            p.tokens,
            phrases,
            c,
            64
          )
          const body = Array.from(chunk).slice(prompt.length)
          body.forEach((t, i) => {
            if (t !== marker) return
            marks++
            expect(words.has(body[i + 1] as number)).toBe(true)
          })
          // Every occurrence of a marked word is marked.
          body.forEach((t, i) => {
            if (words.has(t) && body[i - 1] !== tokenizer.special.subgoal)
              expect(body[i - 1]).toBe(marker)
          })
        })
        const teacher = teacherExecutorTrajectory(
          tokenizer,
          'alfworld',
          r,
          p,
          segmentsOf(r),
          options,
          m.config.context
        )
        if (!teacher.trajectory) throw new Error(teacher.reason)
        expect(teacher.trajectory.chunks).toEqual(r.trajectory.chunks)
        const again = recomputeTokenLogProbs(m, r.trajectory)
        r.trajectory.decisions.forEach((d, i) =>
          expect(maxAbsDiff(d.tokenLogProbs, again[i] as Float32Array)).toBeLessThan(1e-4)
        )
      }
      expect(marks).toBeGreaterThan(0)
      expect(
        subgoalWordIds(tokenizer, 'alfworld', tokenizer.encode('put the mug in the cabinet'))
      ).toEqual(new Set(tokenizer.encode('mug cabinet')))
    } finally {
      m.dispose()
    }
  })

  it('the fixed-budget ablation never offers <sub_done> and moves on every `budget` steps', () => {
    const m = model('sokoban', 4)
    try {
      const p = plan('sokoban', { subDone: false, budget: 2 })
      for (const r of run(m, 'sokoban', [0, 1, 2, 3], p)) {
        expect(subDones(r)).toBe(0)
        const steps = acted(r)
        steps.forEach((s, i) => {
          expect(s.subgoalIndex).toBe(Math.min(Math.floor(i / 2), 3))
          expect(s.fallback === true).toBe(i % 2 === 1 && i < 6 && i < steps.length - 1)
        })
        // Cloning follows the same switches whatever the demonstrator's own boundaries were
        // (here: one segment for the whole episode).
        const teacher = teacherExecutorTrajectory(
          tokenizer,
          'sokoban',
          r,
          p,
          [{ subgoal: 0, firstStep: 0, lastStep: steps.length - 1 }],
          resolveLmAgentOptions({}, 'sokoban'),
          m.config.context
        )
        if (!teacher.trajectory) throw new Error(teacher.reason)
        expect(teacher.trajectory.chunks).toEqual(r.trajectory.chunks)
        expect(teacher.trajectory.decisions.map((d) => [d.chunk, d.positions, d.action])).toEqual(
          r.trajectory.decisions.map((d) => [d.chunk, d.positions, d.action])
        )
      }
    } finally {
      m.dispose()
    }
  })
})
