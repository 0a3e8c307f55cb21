// Compact contexts and chunking: every chunk fits the default model context, a new chunk keeps the
// last historyLength steps, and teacher trajectories of demonstrator episodes follow these rules.
import { describe, expect, it } from 'vitest'
import {
  compactObservation,
  defaultLmModelConfig,
  LmContext,
  resolveLmAgentOptions,
  SOKOBAN_TASK,
  teacherTrajectory
} from '../../../core/agent/lm'
import { demoEpisode, LM_ENVS, testTokenizer } from './lm-fixtures'

const tokenizer = testTokenizer()
const { obs, act, end, task } = tokenizer.special

describe('task words marked in observations', () => {
  it("puts <task> before each of the task's content words, not before function words, and only with the option", () => {
    const taskText = 'put some toiletpaper on shelf.'
    const observation = 'On the shelf 1, you see a toiletpaper 2 and some soapbar 1.'
    const read = (markTaskWords: boolean): string => {
      const options = resolveLmAgentOptions({ markTaskWords }, 'alfworld')
      const ctx = new LmContext(tokenizer, 'alfworld', options, 620, taskText)
      const prompt = ctx.tokens.length
      ctx.observe(observation, 4)
      return tokenizer.decode(ctx.tokens.slice(prompt))
    }
    expect(read(true)).toBe(
      '<obs> on the <task> shelf 1, you see a <task> toiletpaper 2 and some soapbar 1. <act>'
    )
    expect(read(false)).toBe(
      '<obs> on the shelf 1, you see a toiletpaper 2 and some soapbar 1. <act>'
    )
    // Teacher trajectories (cloning) read the same marked observations as rollouts.
    const options = resolveLmAgentOptions({ markTaskWords: true }, 'alfworld')
    const ep = demoEpisode('alfworld', 1)
    const { context } = defaultLmModelConfig(tokenizer, 'alfworld')
    const tr = teacherTrajectory(tokenizer, 'alfworld', ep, options, context)
    const plain = teacherTrajectory(
      tokenizer,
      'alfworld',
      ep,
      resolveLmAgentOptions({}, 'alfworld'),
      context
    )
    const count = (cs: Int32Array[]) =>
      cs.reduce((n, c) => n + c.filter((t) => t === task).length, 0)
    expect(count(tr.chunks)).toBeGreaterThan(count(plain.chunks))
  })
})

describe('compact contexts', () => {
  it('drops the WebShop decoration and keeps the other observations', () => {
    expect(compactObservation('webshop', "'Back to Search' [SEP] 'Next >' [SEP] '$3.50'")).toBe(
      'Back to Search\nNext >\n$3.50'
    )
    expect(compactObservation('alfworld', 'You arrive at desk 1.')).toBe('You arrive at desk 1.')
  })

  for (const kind of LM_ENVS) {
    it(`${kind}: chunks fit the context and keep historyLength steps`, () => {
      const options = resolveLmAgentOptions({}, kind)
      const { context } = defaultLmModelConfig(tokenizer, kind)
      let restarts = 0
      for (let seed = 0; seed < 12; seed++) {
        const ep = demoEpisode(kind, seed)
        const tr = teacherTrajectory(tokenizer, kind, ep, options, context)
        expect(tr.decisions.length).toBe(ep.length)
        for (const c of tr.chunks) {
          expect(c.length).toBeLessThanOrEqual(context)
          expect(c[0]).toBe(task)
        }
        tr.decisions.forEach((d, i) => {
          const chunk = tr.chunks[d.chunk] as Int32Array
          const first = d.positions[0] as number
          expect(chunk[first - 1]).toBe(act)
          expect(chunk[d.positions[d.positions.length - 1] as number]).toBe(end)
          const prev = tr.decisions[i - 1]
          if (d.chunk > 0 && prev && prev.chunk !== d.chunk) {
            restarts++
            const stepsBefore = chunk.subarray(0, first).filter((t) => t === obs).length - 1
            expect(stepsBefore).toBeGreaterThanOrEqual(Math.min(options.historyLength, i))
          }
          const steps = chunk.subarray(0, first).filter((t) => t === obs).length
          expect(steps).toBeLessThanOrEqual(options.chunkSteps + 1)
        })
      }
      expect(restarts).toBeGreaterThan(0)
    })
  }

  it('startChunk with a new prompt starts an empty history', () => {
    const options = resolveLmAgentOptions({}, 'sokoban')
    const ctx = new LmContext(tokenizer, 'sokoban', options, 256, '')
    expect(tokenizer.decode(ctx.tokens)).toBe(`<task> ${SOKOBAN_TASK}`)
    const up = [...tokenizer.encode('up'), end]
    ctx.observe('a', 2)
    ctx.act(up)
    ctx.observe('b', 2)
    ctx.act(up)
    const prompt = [task, ...tokenizer.encode('subgoal prompt')]
    ctx.startChunk(0, prompt)
    expect(ctx.chunkIndex).toBe(1)
    expect([...ctx.tokens]).toEqual(prompt)
    ctx.observe('c', 2)
    expect(() => ctx.startChunk(1)).toThrow(/between/)
    ctx.act(up)
    ctx.startChunk(5)
    // Only the step taken since the new prompt is kept.
    expect(ctx.tokens.filter((t) => t === obs).length).toBe(1)
    expect(ctx.chunks().length).toBe(3)
  })

  it('carryTokens bounds the history a new chunk carries when the context is full', () => {
    const up = [...tokenizer.encode('up'), end]
    const fill = (carryTokens?: number) => {
      const options = resolveLmAgentOptions(
        { historyLength: 1000, chunkSteps: 1000, ...(carryTokens ? { carryTokens } : {}) },
        'sokoban'
      )
      const ctx = new LmContext(tokenizer, 'sokoban', options, 128, '')
      const starts: number[] = []
      for (let i = 0; i < 60; i++) {
        const before = ctx.chunkIndex
        ctx.observe('a b c', up.length)
        if (ctx.chunkIndex !== before) starts.push(i)
        ctx.act(up)
      }
      return { starts }
    }
    // Unbounded: once full, every step starts a new chunk that refills the context.
    const all = fill()
    const firstFull = all.starts[0] as number
    expect(all.starts.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((k) => firstFull + k))
    // Bounded to 48 tokens of history: a new chunk carries at most 48, so the next ones are spaced.
    const half = fill(48)
    expect(half.starts[0]).toBe(firstFull)
    expect((half.starts[1] as number) - (half.starts[0] as number)).toBeGreaterThan(3)
  })
})
