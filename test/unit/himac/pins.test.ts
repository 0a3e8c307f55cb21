// Which tasks an iteration runs when blueprints are pinned.
import { describe, expect, it } from 'vitest'
import { seedsWithPins } from '../../../core/train/himac/pins'

const pin = (id: number, taskSeed: number) => ({
  id,
  taskSeed,
  blueprint: ['x'],
  planLogProb: null
})

describe('seedsWithPins', () => {
  it('no pins: the sampled seeds', () => {
    expect(seedsWithPins([5, 6, 7], [])).toEqual({ seeds: [5, 6, 7], pinOf: new Map() })
  })

  it('pinned tasks replace the last sampled ones; one already sampled stays where it is', () => {
    const r = seedsWithPins([5, 6, 7, 8], [pin(1, 100), pin(2, 6), pin(3, 200)])
    expect(r.seeds).toEqual([5, 6, 200, 100])
    expect([...r.pinOf.keys()]).toEqual([100, 6, 200])
  })

  it('at most one pin per task (the oldest) and no more pins than tasks', () => {
    const r = seedsWithPins([1, 2], [pin(1, 50), pin(2, 50), pin(3, 60), pin(4, 70)])
    expect(r.seeds).toEqual([60, 50])
    expect(r.pinOf.get(50)?.id).toBe(1)
    expect(r.pinOf.has(70)).toBe(false)
  })
})
