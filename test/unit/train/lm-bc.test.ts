// Behaviour cloning on a small synthetic set: each demonstration answers an observation with a fixed
// action among the allowed ids, so a clone must read the observation (one attention hop back).
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTransformerLM } from '../../../core/agent/models/transformer'
import { createRng } from '../../../core/rng'
import { behaviourClone, demonstrationLoss } from '../../../core/train/lm/bc'
import { cpuReady, demonstration, greedyTokens, TINY_LM } from '../../helpers/lm-trajectories'

beforeAll(cpuReady)

const EPOCHS = Number(process.env.LM_BC_EPOCHS ?? 8)

describe('behaviourClone', () => {
  it('drives the loss down and the greedy choices match the demonstrations', () => {
    const model = createTransformerLM(TINY_LM, 11)
    const train = Array.from({ length: 40 }, (_, i) => demonstration(100 + i))
    const heldOut = Array.from({ length: 12 }, (_, i) => demonstration(500 + i))
    const optimizer = tf.train.adam(0.02)
    const seen: number[] = []
    const before = demonstrationLoss(model, train)
    const history = behaviourClone({
      model,
      optimizer,
      trajectories: train,
      epochs: EPOCHS,
      batchDecisions: 24,
      rng: createRng(1),
      heldOut,
      maxGradNorm: 1,
      onEpoch: (e) => seen.push(e.epoch)
    })
    expect(seen).toEqual(Array.from({ length: EPOCHS }, (_, i) => i))
    // 40 demonstrations × 3 steps, one choice token each (the <end> after it is forced)
    expect(history[0]!.choiceTokens).toBe(120)
    expect(history[0]!.steps).toBe(5)
    const last = history.at(-1)!
    expect(last.loss).toBeLessThan(history[0]!.loss * 0.3)
    expect(last.heldOutLoss!).toBeLessThan(before * 0.3)
    expect(demonstrationLoss(model, train)).toBeLessThan(before * 0.3)
    let matched = 0
    let total = 0
    for (const t of [...train, ...heldOut]) {
      for (const d of t.decisions) {
        const greedy = greedyTokens(model, t, d)
        const chunk = t.chunks[d.chunk]!
        greedy.forEach((id, j) => {
          total++
          if (id === chunk[d.positions[j]!]) matched++
        })
      }
    }
    expect(matched).toBe(total)
    optimizer.dispose()
    model.dispose()
  })

  it('keeps the tensor count flat across epochs', () => {
    const model = createTransformerLM(TINY_LM, 12)
    const optimizer = tf.train.adam(0.01)
    const trajectories = Array.from({ length: 6 }, (_, i) => demonstration(900 + i))
    const run = () =>
      behaviourClone({
        model,
        optimizer,
        trajectories,
        epochs: 1,
        batchDecisions: 8,
        rng: createRng(2),
        heldOut: trajectories
      })
    run()
    const after1 = tf.memory().numTensors
    run()
    run()
    expect(tf.memory().numTensors).toBe(after1)
    optimizer.dispose()
    model.dispose()
  })
})
