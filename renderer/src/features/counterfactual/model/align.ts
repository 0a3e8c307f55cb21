// Two episodes side by side, step by step: which rows are the shared prefix, the changed step, and
// where the continuations differ.
import type { Step } from '../../../../../core/api/entities'

export type AlignedRow = {
  t: number
  a: Step | undefined
  b: Step | undefined
  /** 'same' before the change, 'changed' at it, then 'differs' / 'agrees' by action. */
  kind: 'same' | 'changed' | 'differs' | 'agrees'
}

export function alignSteps(a: readonly Step[], b: readonly Step[], from: number): AlignedRow[] {
  const n = Math.max(a.length, b.length)
  return Array.from({ length: n }, (_, t) => {
    const x = a[t]
    const y = b[t]
    const kind =
      t < from
        ? 'same'
        : t === from
          ? 'changed'
          : x && y && x.action === y.action && x.observation === y.observation
            ? 'agrees'
            : 'differs'
    return { t, a: x, b: y, kind }
  })
}
