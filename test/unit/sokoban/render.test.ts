import { describe, expect, it } from 'vitest'
import {
  createSokobanEnv,
  gridFromRoom,
  gridToRoom,
  renderSokobanText,
  roomToRgb,
  SOKOBAN_RGB
} from '../../../core/envs/sokoban'
import { roomOf, SPEC_EXAMPLE_ROOM, SPEC_EXAMPLE_TEXT } from './helpers'

describe('sokoban text rendering', () => {
  it('reproduces the verl-agent example of envs.md §3.1 byte for byte', () => {
    expect(renderSokobanText(SPEC_EXAMPLE_ROOM)).toBe(SPEC_EXAMPLE_TEXT)
    const env = createSokobanEnv()
    const r = env.loadRoom(SPEC_EXAMPLE_ROOM)
    expect(r.observation).toBe(SPEC_EXAMPLE_TEXT)
    expect(r.observation.endsWith('\t')).toBe(true)
    expect(r.observation.split('\n')).toHaveLength(6)
    for (const line of r.observation.split('\n')) expect(line).toMatch(/^( . \t){6}$/)
  })

  it('renders RAGEN compact text', () => {
    expect(renderSokobanText(SPEC_EXAMPLE_ROOM, 'ragen')).toBe(
      '######\n#O_###\n#_####\n#X_###\n#P_###\n######'
    )
    const env = createSokobanEnv({ textMode: 'ragen' })
    expect(env.loadRoom(SPEC_EXAMPLE_ROOM).observation).toBe(
      '######\n#O_###\n#_####\n#X_###\n#P_###\n######'
    )
  })

  it('uses every symbol, including box on target and player on target', () => {
    const room = [[0, 1, 2, 3, 4, 6]]
    expect(renderSokobanText(room)).toBe(' # \t _ \t O \t √ \t X \t S \t')
    expect(renderSokobanText(room, 'ragen')).toBe('#_O√XS')
    expect(renderSokobanText([[5]], 'ragen')).toBe('P')
  })

  it('round-trips rooms through the internal grid (6 = player on target)', () => {
    const room = [
      [0, 0, 0, 0],
      [0, 6, 3, 0],
      [0, 4, 2, 0],
      [0, 0, 0, 0]
    ]
    const grid = gridFromRoom(room)
    expect(Array.from(grid.fixed)).toEqual([0, 0, 0, 0, 0, 2, 2, 0, 0, 1, 2, 0, 0, 0, 0, 0])
    expect(Array.from(grid.state)).toEqual([0, 0, 0, 0, 0, 5, 3, 0, 0, 4, 2, 0, 0, 0, 0, 0])
    expect(gridToRoom(grid)).toEqual(room)
    const env = createSokobanEnv()
    expect(roomOf(env.loadRoom(room).view)).toEqual(room)
  })

  it('rejects malformed rooms', () => {
    expect(() => gridFromRoom([[1, 1]])).toThrow(/exactly one player/)
    expect(() => gridFromRoom([[5, 7]])).toThrow(/invalid code 7/)
    expect(() => gridFromRoom([[5, 1], [1]])).toThrow(/row 1/)
    expect(() => gridFromRoom([])).toThrow()
  })

  it('gives the tiny_rgb_array colours per cell', () => {
    expect(roomToRgb([[0, 1, 2, 3, 4, 5, 6]])).toEqual([
      [
        [0, 0, 0],
        [243, 248, 238],
        [254, 126, 125],
        [254, 95, 56],
        [142, 121, 56],
        [160, 212, 56],
        [219, 212, 56]
      ]
    ])
    const rgb = roomToRgb(SPEC_EXAMPLE_ROOM)
    expect(rgb).toHaveLength(6)
    expect(rgb[4]?.[1]).toEqual(SOKOBAN_RGB[5])
  })
})
