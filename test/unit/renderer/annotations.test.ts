// The annotation views' pure parts: review keys per label type, the review URL, and CSV.
import { describe, expect, it } from 'vitest'
import type { AnnotationHit, LabelSchema } from '../../../core/api/entities'
import { csvField, toCsv } from '../../../core/csv'
import { annotationsCsv } from '../../../renderer/src/features/annotations/model/annotations-csv'
import { reviewKey, valueKeys } from '../../../renderer/src/features/annotations/model/review-keys'
import {
  parseReviewView,
  reviewQuery
} from '../../../renderer/src/features/annotations/model/review-view'

const schema = (type: LabelSchema['type'], options: string[] = []): LabelSchema => ({
  id: 1,
  experimentId: 1,
  name: 'x',
  type,
  options,
  description: '',
  createdAt: ''
})

describe('review keys', () => {
  it('set values by label type; other keys do nothing', () => {
    const bool = schema('boolean')
    expect(reviewKey('y', bool)).toEqual({ kind: 'set', value: 'true' })
    expect(reviewKey('n', bool)).toEqual({ kind: 'set', value: 'false' })
    expect(reviewKey('3', bool)).toBeNull()
    const score = schema('score')
    expect(reviewKey('5', score)).toEqual({ kind: 'set', value: '5' })
    expect(reviewKey('6', score)).toBeNull()
    expect(reviewKey('y', score)).toBeNull()
    const cat = schema('category', ['loops', 'gives up'])
    expect(reviewKey('2', cat)).toEqual({ kind: 'set', value: 'gives up' })
    expect(reviewKey('3', cat)).toBeNull()
    expect(reviewKey('0', cat)).toEqual({ kind: 'set', value: null })
    expect(reviewKey('Backspace', score)).toEqual({ kind: 'set', value: null })
    expect(reviewKey('x', cat)).toBeNull()
  })

  it('move, switch label and comment with or without a label', () => {
    expect(reviewKey('j', undefined)).toEqual({ kind: 'move', by: 1 })
    expect(reviewKey('ArrowLeft', undefined)).toEqual({ kind: 'move', by: -1 })
    expect(reviewKey('l', schema('score'))).toEqual({ kind: 'next-label' })
    expect(reviewKey('c', schema('score'))).toEqual({ kind: 'comment' })
    expect(reviewKey('y', undefined)).toBeNull()
  })

  it('the legend lists one key per value, at most 9 categories', () => {
    const many = schema(
      'category',
      Array.from({ length: 12 }, (_, i) => `o${i}`)
    )
    expect(valueKeys(many)).toHaveLength(9)
    expect(valueKeys(schema('score')).map((k) => k.key)).toEqual(['1', '2', '3', '4', '5'])
  })
})

describe('review view in the URL', () => {
  it('round-trips and defaults to unlabeled only', () => {
    const v = parseReviewView('')
    expect(v).toEqual({
      label: null,
      phase: null,
      success: null,
      unlabeledOnly: true,
      episode: null
    })
    const full = {
      label: 'failure mode',
      phase: 'eval' as const,
      success: false,
      unlabeledOnly: false,
      episode: 12
    }
    expect(parseReviewView(reviewQuery(full))).toEqual(full)
    expect(parseReviewView('phase=bogus&success=maybe&episode=-3')).toEqual(v)
  })
})

describe('CSV', () => {
  it('quotes what needs quoting (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(null)).toBe('')
    expect(csvField(-1.5)).toBe('-1.5')
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n')
  })

  it('one row per annotation with its target spelled out', () => {
    const hit: AnnotationHit = {
      id: 7,
      runId: 2,
      target: { type: 'step', id: 40, t: 3 },
      kind: 'comment',
      label: null,
      value: 'loops, "again"',
      author: 'ada',
      createdAt: '2026-12-01T00:00:00.000Z',
      history: [{ id: 5, author: 'ada', value: 'loops', createdAt: '2026-11-30T00:00:00.000Z' }],
      experimentId: 1,
      experimentName: 'e',
      episodeId: 40,
      groupId: null,
      iteration: 4,
      task: 'put a mug in the sink'
    }
    const [header, row, end] = annotationsCsv([hit]).split('\r\n')
    expect(header).toBe(
      'id,experiment_id,experiment,run_id,target,target_type,episode_id,group_id,step,iteration,task,kind,label,value,author,created_at,versions'
    )
    expect(row).toBe(
      '7,1,e,2,step:40:3,step,40,,3,4,put a mug in the sink,comment,,"loops, ""again""",ada,2026-12-01T00:00:00.000Z,2'
    )
    expect(end).toBe('')
  })
})
