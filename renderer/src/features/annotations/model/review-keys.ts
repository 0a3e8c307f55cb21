// The review queue's keyboard: what a key press means for the label being reviewed.
import { SCORE_VALUES, type LabelSchema } from '../../../../../core/api/entities'

export type ReviewKey =
  | { kind: 'set'; value: string | null }
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'next-label' }
  | { kind: 'comment' }

/**
 * y / n for a boolean, 1–5 for a score, 1–9 for a category's options in order, 0 or Backspace to
 * clear; j / → next episode, k / ← previous; l the next label; c the comment box.
 */
export function reviewKey(key: string, label: LabelSchema | undefined): ReviewKey | null {
  switch (key) {
    case 'j':
    case 'ArrowRight':
      return { kind: 'move', by: 1 }
    case 'k':
    case 'ArrowLeft':
      return { kind: 'move', by: -1 }
    case 'l':
      return { kind: 'next-label' }
    case 'c':
      return { kind: 'comment' }
  }
  if (!label) return null
  if (key === '0' || key === 'Backspace') return { kind: 'set', value: null }
  switch (label.type) {
    case 'boolean':
      return key === 'y'
        ? { kind: 'set', value: 'true' }
        : key === 'n'
          ? { kind: 'set', value: 'false' }
          : null
    case 'score':
      return (SCORE_VALUES as readonly string[]).includes(key) ? { kind: 'set', value: key } : null
    case 'category': {
      const option = /^[1-9]$/.test(key) ? label.options[Number(key) - 1] : undefined
      return option === undefined ? null : { kind: 'set', value: option }
    }
  }
}

/** The keys that set each value of a label, for the legend beside the controls. */
export function valueKeys(label: LabelSchema): { value: string; key: string }[] {
  switch (label.type) {
    case 'boolean':
      return [
        { value: 'true', key: 'y' },
        { value: 'false', key: 'n' }
      ]
    case 'score':
      return SCORE_VALUES.map((v) => ({ value: v, key: v }))
    case 'category':
      return label.options.slice(0, 9).map((v, i) => ({ value: v, key: String(i + 1) }))
  }
}

/** How a stored value reads: booleans as yes / no, the rest as they are. */
export function valueText(label: Pick<LabelSchema, 'type'> | undefined, value: string): string {
  if (label?.type === 'boolean') return value === 'true' ? 'yes' : value === 'false' ? 'no' : value
  return value
}
