// HiMAC's phases on real envs with a small model: planner rollouts (grammar-valid plans, recorded
// log-probs equal a re-scoring, the teacher rebuilds them), hierarchical advantages against their
// hand computation (z* by return, ties by plan log-prob), and the gradient masks: Phase A's update
// reads plan tokens only, Phase B's executor tokens only.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { PlanGrammar } from '../../../core/agent/himac'
import { teacherPlanTrajectory } from '../../../core/agent/himac/teacher'
import { recomputeTokenLogProbs } from '../../../core/agent/lm'
import { pickLogProbs } from '../../../core/agent/models/masked-log-softmax'
import { createTransformerLM } from '../../../core/agent/models/transformer'
import { createRng } from '../../../core/rng'
import { groupAdvantages } from '../../../core/train/advantages'
import { lmModelConfigFor, lmTokenizerFor } from '../../../core/train/lm/setup'
import { batchLogProbs, packTokenBatch, type LmSample } from '../../../core/train/lm/token-batch'
import {
  bestPlan,
  createHimacParts,
  phaseA,
  phaseB,
  readTasks,
  samplePlans,
  zStarTieScore
} from '../../../core/train/himac/phases'
import type { PlanSample } from '../../../core/agent/himac/plan-rollout'
import { maxAbsDiff, wasmReady } from '../agent/helpers'

await wasmReady()

function setup(env: 'alfworld' | 'sokoban' | 'webshop') {
  const config = experimentConfigSchema.parse({
    env,
    algo: 'himac',
    groupsPerIteration: 2,
    groupSize: 4,
    envConfig: env === 'sokoban' ? {} : { maxSteps: 10 },
    policy: { lm: { dModel: 16, layers: 1, heads: 2 } }
  })
  const tokenizer = lmTokenizerFor(config)
  const model = createTransformerLM(lmModelConfigFor(config, tokenizer), 9)
  return { config, tokenizer, model, parts: createHimacParts(config, tokenizer, model) }
}

describe('z* and hierarchical advantages', () => {
  it('picks the highest return, ties by plan log-prob, then the first', () => {
    expect(bestPlan([0, 1, 0, 1], [-1, -5, -2, -3])).toBe(3)
    expect(bestPlan([0, 0, 0], [-4, -2, -2])).toBe(1)
    expect(bestPlan([2, 1, 1], [-9, 0, 0])).toBe(0)
    // A macro group of returns [1, 0, 0, 1]: mean 0.5, unbiased std 0.5774.
    const a = groupAdvantages([1, 0, 0, 1], 'mean_std')
    for (const [i, x] of [0.866, -0.866, -0.866, 0.866].entries()) expect(a[i]).toBeCloseTo(x, 3)
    expect(groupAdvantages([1, 0, 0, 1], 'mean')).toEqual([0.5, -0.5, -0.5, 0.5])
  })

  it('zStarTies: mean-logprob breaks ties by log-prob per planner decision, not by the sum', () => {
    const plan = (logProb: number, decisions: number) =>
      ({
        logProb,
        trajectory: { decisions: Array.from({ length: decisions }, () => ({})) }
      }) as unknown as PlanSample
    // One subgoal at -2 over 2 decisions vs three subgoals at -3 over 6 decisions, same return.
    const plans = [plan(-2, 2), plan(-3, 6)]
    const best = (rule: 'logprob' | 'mean-logprob') =>
      bestPlan(
        [1, 1],
        plans.map((p) => zStarTieScore(p, rule))
      )
    expect(best('logprob')).toBe(0)
    expect(best('mean-logprob')).toBe(1)
    expect(zStarTieScore(plan(-3, 6), 'mean-logprob')).toBeCloseTo(-0.5, 12)
    // A higher return still wins over any tie score.
    expect(bestPlan([0, 1], [0, -100])).toBe(1)
  })
})

describe('HiMAC phases', () => {
  for (const env of ['sokoban', 'alfworld', 'webshop'] as const) {
    it(`${env}: plans, advantages and gradient masks`, () => {
      const { tokenizer, model, parts } = setup(env)
      try {
        const tasks = readTasks(parts, [3, 8])
        // Planner rollouts: valid, re-scorable, rebuilt by the teacher, greedy is deterministic.
        const plans = samplePlans(parts, tasks, 3, 1, createRng(1))
        plans.forEach((group, t) => {
          const task = tasks[t]!
          const grammar = new PlanGrammar(tokenizer, {
            env,
            task: task.task,
            observation: task.observation,
            maxSubgoals: parts.himac.maxSubgoals
          })
          for (const p of group) {
            expect(grammar.parse(p.tokens).subgoals).toEqual(parts.grammar.subgoals(p.tokens))
            const again = recomputeTokenLogProbs(model, p.trajectory)
            expect(maxAbsDiff(p.trajectory.decisions[0]!.tokenLogProbs, again[0]!)).toBeLessThan(
              1e-4
            )
            const teacher = teacherPlanTrajectory(
              tokenizer,
              env,
              task.task,
              task.observation,
              grammar.cursor(),
              p.tokens,
              parts.agentOptions.maxObsTokens
            )
            expect(teacher.chunks).toEqual(p.trajectory.chunks)
            expect(teacher.decisions[0]!.allowed).toEqual(p.trajectory.decisions[0]!.allowed)
          }
        })
        const g1 = samplePlans(parts, tasks, 2, 0, createRng(1)).flat()
        const g2 = samplePlans(parts, tasks, 2, 0, createRng(2)).flat()
        expect(g2.map((p) => p.tokens)).toEqual(g1.map((p) => p.tokens))

        // Phase A: advantages from the greedy returns; identical blueprints share one execution.
        const A = phaseA(parts, tasks, createRng(4))
        A.plans.forEach((group, t) => {
          const returns = A.returns[t]!
          expect(A.advantages[t]).toEqual(groupAdvantages(returns, 'mean_std'))
          expect(A.chosen[t]).toBe(
            bestPlan(
              returns,
              group.map((p) => p.logProb)
            )
          )
          group.forEach((p, i) =>
            group.forEach((q, j) => {
              if (p.tokens.join() === q.tokens.join()) expect(returns[i]).toBe(returns[j])
            })
          )
        })
        expect(A.samples).toHaveLength(2 * 4)
        const B = phaseB(
          parts,
          tasks,
          A.plans.map((g, t) => g[A.chosen[t]!]!),
          [0, 1],
          createRng(5)
        )
        B.rollouts.forEach((members) => {
          const adv = groupAdvantages(
            members.map((r) => r.return),
            'mean_std'
          )
          const samples = B.samples.filter((s) =>
            members.some((r) => r.trajectory === s.trajectory)
          )
          for (const s of samples) {
            const m = members.findIndex((r) => r.trajectory === s.trajectory)
            expect(s.advantage).toBe(adv[m])
          }
        })

        // Which tokens each phase's update reads: Phase A only planner chunks (no `<act>`) at
        // plan positions; Phase B only executor chunks, at tokens after an `<act>`.
        const { act, plan } = tokenizer.special
        const positions = (samples: readonly LmSample[]) =>
          samples.flatMap((s) => {
            const d = s.trajectory.decisions[s.decision]!
            const chunk = Array.from(s.trajectory.chunks[d.chunk]!)
            return Array.from(d.positions, (p) => ({ chunk, p }))
          })
        for (const { chunk, p } of positions(A.samples)) {
          expect(chunk.includes(act)).toBe(false)
          expect(p).toBeGreaterThan(chunk.indexOf(plan))
        }
        for (const { chunk, p } of positions(B.samples))
          expect(chunk.slice(0, p).lastIndexOf(act)).toBeGreaterThan(chunk.lastIndexOf(plan))

        // The gradients themselves: a phase's own tokens at zero advantage give exactly zero
        // gradient; the other phase's tokens would carry gradient if they were in the batch (so
        // leaving them out of a phase's samples is what masks them).
        const gradNorm = (samples: LmSample[]): number => {
          const batch = packTokenBatch(samples, model.config.vocab, model.config.context)
          const { grads } = tf.variableGrads(() => {
            const taken = pickLogProbs(batchLogProbs(model, batch, 'recorded'), batch.chosen)
            return tf.neg(tf.sum(tf.mul(taken, tf.mul(batch.advantage, batch.weight)))) as tf.Scalar
          }, model.variables)
          const norm = tf.tidy(() =>
            Math.sqrt(
              Object.values(grads).reduce(
                (s, g) => s + (tf.sum(tf.square(g)).dataSync()[0] ?? 0),
                0
              )
            )
          )
          tf.dispose(grads)
          return norm
        }
        const zero = (s: readonly LmSample[]) => s.map((x) => ({ ...x, advantage: 0 }))
        const big = (s: readonly LmSample[]) => s.map((x) => ({ ...x, advantage: 5 }))
        const planOnly = A.samples.map((s, i) => ({ ...s, advantage: i % 2 ? 1 : -1 }))
        expect(gradNorm(planOnly)).toBeGreaterThan(0)
        expect(gradNorm([...zero(A.samples), ...big(B.samples)])).toBeGreaterThan(0)
        expect(gradNorm(zero(A.samples))).toBe(0)
        expect(gradNorm(zero(B.samples))).toBe(0)
      } finally {
        model.dispose()
      }
    })
  }
})
