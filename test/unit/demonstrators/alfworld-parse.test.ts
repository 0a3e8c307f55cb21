import { describe, expect, it } from 'vitest'
import {
  parseFeedback,
  parseItemList,
  parseRoom,
  parseSights,
  parseTask
} from '../../../core/agent/demonstrators/alfworld/parse'
import { byTypeThenNumber } from '../../../core/agent/demonstrators/alfworld/memory'

describe('ALFWorld text parsing', () => {
  it('reads all twelve goal templates', () => {
    const cases: [string, string, string, string | null, string | null][] = [
      ['put a apple in fridge.', 'pick_and_place_simple', 'apple', 'fridge', null],
      ['put some keychain on sofa.', 'pick_and_place_simple', 'keychain', 'sofa', null],
      ['look at bowl under the desklamp.', 'look_at_obj_in_light', 'bowl', null, 'desklamp'],
      ['examine the cd with the desklamp.', 'look_at_obj_in_light', 'cd', null, 'desklamp'],
      [
        'put a clean cloth in bathtubbasin.',
        'pick_clean_then_place_in_recep',
        'cloth',
        'bathtubbasin',
        null
      ],
      [
        'clean some mug and put it in coffeemachine.',
        'pick_clean_then_place_in_recep',
        'mug',
        'coffeemachine',
        null
      ],
      [
        'put a hot potato in sinkbasin.',
        'pick_heat_then_place_in_recep',
        'potato',
        'sinkbasin',
        null
      ],
      [
        'heat some egg and put it in diningtable.',
        'pick_heat_then_place_in_recep',
        'egg',
        'diningtable',
        null
      ],
      [
        'put a cool tomato in countertop.',
        'pick_cool_then_place_in_recep',
        'tomato',
        'countertop',
        null
      ],
      [
        'cool some pan and put it in stoveburner.',
        'pick_cool_then_place_in_recep',
        'pan',
        'stoveburner',
        null
      ],
      ['put two pillow in sofa.', 'pick_two_obj_and_place', 'pillow', 'sofa', null],
      ['find two book and put them in desk.', 'pick_two_obj_and_place', 'book', 'desk', null]
    ]
    for (const [text, kind, object, receptacle, toggle] of cases) {
      expect(parseTask(text)).toEqual({ kind, object, receptacle, toggle })
      expect(parseTask(`-= Welcome =-\n\nYou are …\n\nYour task is to: ${text}`)?.kind).toBe(kind)
    }
    expect(parseTask('dance a jig.')).toBeNull()
  })

  it('reads lists, receptacle descriptions and feedback in both grammars', () => {
    expect(parseItemList('nothing')).toEqual([])
    expect(parseItemList('a apple 1')).toEqual(['apple 1'])
    expect(parseItemList('a apple 1, and a egg 2')).toEqual(['apple 1', 'egg 2'])
    expect(parseItemList('a cd 3, a pen 1, and a pencil 2')).toEqual(['cd 3', 'pen 1', 'pencil 2'])
    expect(
      parseRoom(
        'You are in the middle of a room. Looking quickly around you, you see a cabinet 2, a cabinet 1, and a toaster 1.\n\nYour task is to: put a apple in fridge.'
      )
    ).toEqual(['cabinet 2', 'cabinet 1', 'toaster 1'])
    expect(parseSights('You arrive at cabinet 3. The cabinet 3 is closed.')).toEqual([
      { receptacle: 'cabinet 3', contents: null }
    ])
    expect(parseSights('You arrive at loc 7. On the desk 1, you see a pen 1, and a cd 2.')).toEqual(
      [{ receptacle: 'desk 1', contents: ['pen 1', 'cd 2'] }]
    )
    expect(
      parseSights('You open the fridge 1. The fridge 1 is open. In it, you see nothing.')
    ).toEqual([{ receptacle: 'fridge 1', contents: [] }])
    expect(parseFeedback('You pick up the mug 2 from the shelf 1.')).toEqual({
      kind: 'take',
      object: 'mug 2',
      receptacle: 'shelf 1'
    })
    expect(parseFeedback('You move the mug 2 to the coffeemachine 1.')).toEqual({
      kind: 'put',
      object: 'mug 2',
      receptacle: 'coffeemachine 1'
    })
    expect(parseFeedback('You put the mug 2 in/on the coffeemachine 1.')).toEqual({
      kind: 'put',
      object: 'mug 2',
      receptacle: 'coffeemachine 1'
    })
    expect(parseFeedback('You heat the egg 1 using the microwave 1.')).toEqual({
      kind: 'heat',
      object: 'egg 1',
      receptacle: 'microwave 1'
    })
    expect(parseFeedback('You turn on the desklamp 1.')).toEqual({
      kind: 'use',
      object: 'desklamp 1'
    })
    expect(parseFeedback('Nothing happens.')).toEqual({ kind: 'other' })
  })

  it('orders receptacles by type, then instance number', () => {
    expect(['cabinet 10', 'toaster 1', 'cabinet 2', 'cabinet 1'].sort(byTypeThenNumber)).toEqual([
      'cabinet 1',
      'cabinet 2',
      'cabinet 10',
      'toaster 1'
    ])
  })
})
