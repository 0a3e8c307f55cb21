import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { createSokobanEnv, sokobanOptionsSchema } from '../../../core/envs/sokoban'

describe('sokoban options', () => {
  it('defaults to the verl-agent configuration', () => {
    expect(sokobanOptionsSchema.parse({})).toEqual({
      dimRoom: [6, 6],
      numBoxes: 1,
      maxSteps: 15,
      searchDepth: 30,
      pChangeDirections: 0.35,
      textMode: 'verl',
      actions: 'push4'
    })
    const env = createSokobanEnv()
    expect(env.options.maxSteps).toBe(15)
    expect(env.maxSteps).toBe(15)
  })

  it('accepts the experiment config shape', () => {
    const env = createSokobanEnv({ dimRoom: [7, 8], numBoxes: 2, maxSteps: 40, searchDepth: 100 })
    const r = env.reset(0)
    expect(r.observation.split('\n')).toHaveLength(7)
    expect(env.options.dimRoom).toEqual([7, 8])
  })

  it.each([
    [{ numBoxes: 0 }, 'numBoxes'],
    [{ numBoxes: 1.5 }, 'numBoxes'],
    [{ dimRoom: [3, 6] }, 'dimRoom'],
    [{ dimRoom: [6] }, 'dimRoom'],
    [{ maxSteps: 0 }, 'maxSteps'],
    [{ searchDepth: 2 }, 'searchDepth'],
    [{ pChangeDirections: 1.5 }, 'pChangeDirections'],
    [{ textMode: 'image' }, 'textMode'],
    [{ actions: 'full8' }, 'actions'],
    [{ max_steps: 15 }, 'max_steps']
  ])('rejects %j with a zod error naming %s', (input, field) => {
    let error: unknown
    try {
      createSokobanEnv(input as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ZodError)
    const issues = (error as ZodError).issues
    expect(issues.some((i) => i.path.includes(field) || i.message.includes(field))).toBe(true)
    expect((error as ZodError).message).toContain(field)
  })
})
