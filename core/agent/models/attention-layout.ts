// Which tokens of a [B, T] batch see which: per-token segment ids (0 = padding) and an optional
// parent per segment. A token sees the earlier tokens of its own segment and of the segments its
// segment continues (its ancestors), and takes its position from how many of those precede it.
// So one packed row can hold independent sequences (sibling roots), a shared prompt with several
// continuations that do not see each other (children of one root: the executor's temporal mask,
// one continuation per subgoal), and left or right padding — each token gets exactly the logits
// it would get if its path (ancestors + own segment) were encoded alone, provided a parent's tokens
// all come before its children's.

/** Additive attention mask value for hidden keys (exp underflows to exactly 0). */
export const MASKED = -1e9

export type SequenceLayout = {
  /** Segment id per token, row-major [B·T]; 0 marks padding. */
  segments: Int32Array
  /** parents[s] = the segment that segment s continues (0 or missing: none). Shared by all rows. */
  parents?: Int32Array
}

/** Ancestors-or-self of each segment, memoised; throws on a cycle. */
export function ancestry(
  parents: Int32Array | undefined
): (segment: number) => ReadonlySet<number> {
  const memo = new Map<number, Set<number>>()
  const of = (s: number): ReadonlySet<number> => {
    const hit = memo.get(s)
    if (hit) return hit
    const set = new Set<number>()
    for (let cur = s; cur > 0; cur = parents?.[cur] ?? 0) {
      if (set.has(cur)) throw new Error(`segment ${s} has a cyclic parent chain`)
      set.add(cur)
    }
    memo.set(s, set)
    return set
  }
  return of
}

/** Position ids [B·T] and the additive mask [B·T·T] (query-major) of a layout. */
export function layoutMasks(
  layout: SequenceLayout,
  batch: number,
  t: number
): { positions: Int32Array; mask: Float32Array } {
  const { segments } = layout
  if (segments.length !== batch * t) {
    throw new Error(`layout has ${segments.length} segment ids, expected ${batch}×${t}`)
  }
  const seen = ancestry(layout.parents)
  const positions = new Int32Array(batch * t)
  const mask = new Float32Array(batch * t * t).fill(MASKED)
  for (let b = 0; b < batch; b++) {
    const row = b * t
    for (let i = 0; i < t; i++) {
      const s = segments[row + i] as number
      if (s === 0) continue
      const visible = seen(s)
      let before = 0
      const m = (row + i) * t
      for (let j = 0; j <= i; j++) {
        const sj = segments[row + j] as number
        if (sj === 0 || !visible.has(sj)) continue
        mask[m + j] = 0
        if (j < i) before++
      }
      positions[row + i] = before
    }
  }
  return { positions, mask }
}

/** Rows of the given lengths padded to t on the left or the right (one segment per row). */
export function paddedLayout(
  lengths: readonly number[],
  t: number,
  side: 'left' | 'right'
): SequenceLayout {
  const segments = new Int32Array(lengths.length * t)
  lengths.forEach((n, b) => {
    if (n > t) throw new Error(`row ${b} has ${n} tokens, more than ${t}`)
    const start = side === 'left' ? t - n : 0
    segments.fill(1, b * t + start, b * t + start + n)
  })
  return { segments }
}

/** Places rows of token lists at the same offsets as paddedLayout (pad id for the rest). */
export function padRows(
  rows: readonly (readonly number[])[],
  t: number,
  side: 'left' | 'right',
  pad = 0
): Int32Array {
  const out = new Int32Array(rows.length * t).fill(pad)
  rows.forEach((r, b) => out.set(r, b * t + (side === 'left' ? t - r.length : 0)))
  return out
}
