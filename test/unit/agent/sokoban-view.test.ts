// The LM's egocentric Sokoban view: offsets of the box from the player and of the nearest target
// from the box, and the 5 × 5 cells around the player (outside the room reads as wall), from either
// text mode of the env; the 'grid' view is the env's text unchanged.
import { describe, expect, it } from 'vitest'
import { compactObservation } from '../../../core/agent/lm/context'
import { egocentricSokoban, sokobanCells } from '../../../core/agent/lm/sokoban-view'
import { renderSokobanText } from '../../../core/envs/sokoban/render'

// Codes: 0 wall, 1 floor, 2 target, 3 box on target, 4 box, 5 player, 6 player on target.
const room = [
  [0, 0, 0, 0, 0, 0],
  [0, 1, 1, 1, 2, 0],
  [0, 1, 1, 1, 0, 0],
  [0, 0, 4, 1, 0, 0],
  [0, 0, 1, 1, 5, 0],
  [0, 0, 0, 0, 0, 0]
]

describe('egocentric Sokoban view', () => {
  for (const mode of ['verl', 'ragen'] as const) {
    it(`reads the ${mode} text mode`, () => {
      const text = renderSokobanText(room, mode)
      expect(sokobanCells(text)).toEqual(room.map((r) => r.map((c) => '#_O√XPS'[c])))
      expect(egocentricSokoban(text)).toBe(
        [
          'box up 1 left 2',
          'target up 2 right 2',
          '_ _ # # #',
          'X _ # # #',
          '_ _ P # #',
          '# # # # #',
          '# # # # #'
        ].join('\n')
      )
    })
  }

  it('says nothing of boxes already on targets; a player on a target is found', () => {
    const solvedOne = [
      [0, 0, 0, 0, 0],
      [0, 3, 1, 6, 0],
      [0, 1, 4, 1, 0],
      [0, 0, 0, 0, 0]
    ]
    // The only empty target is under the player: the box's target is up 1 right 1 of it.
    expect(egocentricSokoban(renderSokobanText(solvedOne)).split('\n').slice(0, 2)).toEqual([
      'box down 1 left 1',
      'target up 1 right 1'
    ])
  })

  it("'grid' is the env's text; text without a player is passed through", () => {
    const text = renderSokobanText(room)
    expect(compactObservation('sokoban', text, 'grid')).toBe(text)
    expect(compactObservation('sokoban', text)).toBe(egocentricSokoban(text))
    expect(egocentricSokoban('no grid here')).toBe('no grid here')
  })
})
