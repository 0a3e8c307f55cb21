// Keys and values of every layer for a batch of rows being decoded, with per-row bookkeeping:
// which segment each cached column belongs to (0: padding or forgotten), how many tokens each
// segment holds, and the segment each row extends. Rows grow independently: a row that appends
// fewer tokens than the longest one gets padding columns, which `compact` removes.
// K is stored transposed, [B, H, dh, T], so the score matmul needs no transpose flag (the flag path
// is 10–25× slower on stock wasm, toolchain.md §3); V is [B, H, T, dh].
import * as tf from '@tensorflow/tfjs'
import { ancestry, MASKED } from './attention-layout'

export type LayerKV = { kT: tf.Tensor4D; v: tf.Tensor4D }

/** What the model computes for one extend: inputs for the forward pass and the bookkeeping after it. */
export type ExtendPlan = {
  /** New tokens, right-padded per row: [B·S]. */
  tokens: Int32Array
  width: number
  /** Position ids [B·S]. */
  positions: Int32Array
  /** Additive mask [B·S·(P+S)] over the cached columns, then the new ones. */
  mask: Float32Array
  counts: Int32Array
}

export class KvCache {
  readonly rows: number
  /** Segment of every column, row-major [rows · length]. */
  private columns: Int32Array
  private tensors: LayerKV[] | null = null
  private readonly segmentLengths: Map<number, number>[]
  private readonly current: Int32Array
  private readonly parents: Map<number, number>
  private nextSegment: number

  constructor(
    rows: number,
    state?: {
      columns: Int32Array
      tensors: LayerKV[] | null
      segmentLengths: Map<number, number>[]
      current: Int32Array
      parents: Map<number, number>
      nextSegment: number
    }
  ) {
    this.rows = rows
    this.columns = state?.columns ?? new Int32Array(0)
    this.tensors = state?.tensors ?? null
    this.segmentLengths = state?.segmentLengths ?? Array.from({ length: rows }, () => new Map())
    this.current = state?.current ?? new Int32Array(rows).fill(1)
    this.parents = state?.parents ?? new Map()
    this.nextSegment = state?.nextSegment ?? 2
  }

  /** Cached columns per row (padding and forgotten columns included). */
  get length(): number {
    return this.rows === 0 ? 0 : this.columns.length / this.rows
  }

  /** Per layer K^T [B, H, dh, T] and V [B, H, T, dh]; null while nothing is cached. */
  get layers(): readonly LayerKV[] | null {
    return this.tensors
  }

  /** The segment that the row's next tokens join (1 until startSegment). */
  segmentOf(row: number): number {
    this.checkRow(row)
    return this.current[row] as number
  }

  /** Tokens the row has appended to a segment (forgotten ones included). */
  segmentLength(row: number, segment: number): number {
    this.checkRow(row)
    return this.segmentLengths[row]?.get(segment) ?? 0
  }

  /** Position the row's next token gets: the tokens on its segment's path. */
  nextPosition(row: number): number {
    this.checkRow(row)
    return this.pathLength(row, ancestry(this.parentTable()))
  }

  /**
   * Starts a new segment for the row's next tokens; it sees `parent` (a segment of this row, or 0
   * for none) and that segment's ancestors, but not the row's other segments. Returns its id.
   */
  startSegment(row: number, parent = 0): number {
    this.checkRow(row)
    if (parent !== 0 && !this.segmentLengths[row]?.has(parent) && this.current[row] !== parent) {
      throw new Error(`row ${row} has no segment ${parent}`)
    }
    const id = this.nextSegment++
    this.parents.set(id, parent)
    this.current[row] = id
    return id
  }

  /**
   * Hides a segment's cached tokens from all later tokens of the row (compact then frees them).
   * Positions do not change, so forget only segments that no later token descends from.
   */
  forgetSegment(row: number, segment: number): void {
    this.checkRow(row)
    const len = this.length
    for (let j = row * len; j < (row + 1) * len; j++) {
      if (this.columns[j] === segment) this.columns[j] = 0
    }
  }

  /**
   * Tokens, positions and mask for appending `tokens[b]` to every row b. With `parents`, row b's
   * new tokens form a tree instead of a sequence: token i continues token parents[b][i] (< i; −1:
   * the row's cached end), sees only its ancestors among the new tokens and is positioned by its
   * depth (KvCache plans for scoring, not for commit).
   */
  plan(
    tokens: readonly (readonly number[])[],
    context: number,
    parents?: readonly (readonly number[])[]
  ): ExtendPlan {
    if (tokens.length !== this.rows) {
      throw new Error(`extend got ${tokens.length} rows for a cache of ${this.rows}`)
    }
    if (parents && parents.length !== this.rows) {
      throw new Error(`a tree plan got ${parents.length} parent rows for ${this.rows} rows`)
    }
    const width = Math.max(0, ...tokens.map((r) => r.length))
    const past = this.length
    const keys = past + width
    const ids = new Int32Array(this.rows * width)
    const positions = new Int32Array(this.rows * width)
    const mask = new Float32Array(this.rows * width * keys).fill(MASKED)
    const counts = new Int32Array(this.rows)
    const seen = ancestry(this.parentTable())
    for (let b = 0; b < this.rows; b++) {
      const row = tokens[b] as readonly number[]
      counts[b] = row.length
      ids.set(row, b * width)
      const visible = seen(this.current[b] as number)
      const start = this.pathLength(b, seen)
      const up = parents?.[b]
      if (up && up.length !== row.length) {
        throw new Error(`row ${b}: ${up.length} parents for ${row.length} tokens`)
      }
      const depth = new Int32Array(row.length)
      for (let i = 0; i < row.length; i++) {
        const m = (b * width + i) * keys
        for (let j = 0; j < past; j++) {
          const s = this.columns[b * past + j] as number
          if (s !== 0 && visible.has(s)) mask[m + j] = 0
        }
        if (!up) {
          depth[i] = i
          for (let j = 0; j <= i; j++) mask[m + past + j] = 0
        } else {
          const parent = up[i] as number
          if (!Number.isInteger(parent) || parent < -1 || parent >= i) {
            throw new Error(`row ${b}: token ${i} has parent ${parent} (must be −1…${i - 1})`)
          }
          depth[i] = parent < 0 ? 0 : (depth[parent] as number) + 1
          for (let j = i; j >= 0; j = up[j] as number) mask[m + past + j] = 0
        }
        positions[b * width + i] = start + (depth[i] as number)
      }
      const deepest = row.length === 0 ? 0 : Math.max(...depth) + 1
      if (start + deepest > context) {
        throw new Error(`row ${b} would reach position ${start + deepest - 1} ≥ context ${context}`)
      }
    }
    return { tokens: ids, width, positions, mask, counts }
  }

  /** Takes the new per-layer tensors (now owned by the cache) and records the appended columns. */
  commit(plan: ExtendPlan, tensors: LayerKV[]): void {
    const past = this.length
    const len = past + plan.width
    const columns = new Int32Array(this.rows * len)
    for (let b = 0; b < this.rows; b++) {
      columns.set(this.columns.subarray(b * past, (b + 1) * past), b * len)
      const n = plan.counts[b] as number
      const s = this.current[b] as number
      columns.fill(s, b * len + past, b * len + past + n)
      const lengths = this.segmentLengths[b] as Map<number, number>
      if (n > 0) lengths.set(s, (lengths.get(s) ?? 0) + n)
    }
    this.replace(tensors, columns)
  }

  /**
   * A new cache whose row i copies row `rows[i]` of this one: repeat a row to fork it (e.g. to
   * score candidates), leave rows out to drop them. This cache stays valid.
   */
  select(rows: readonly number[]): KvCache {
    for (const r of rows) this.checkRow(r)
    const len = this.length
    const columns = new Int32Array(rows.length * len)
    rows.forEach((r, i) => columns.set(this.columns.subarray(r * len, (r + 1) * len), i * len))
    const tensors =
      this.tensors === null || rows.length === 0
        ? null
        : tf.tidy(() => {
            const idx = tf.tensor1d(Int32Array.from(rows), 'int32')
            return (this.tensors as LayerKV[]).map((l) => ({
              kT: tf.gather(l.kT, idx, 0),
              v: tf.gather(l.v, idx, 0)
            }))
          })
    return new KvCache(rows.length, {
      columns: rows.length === 0 ? new Int32Array(0) : columns,
      tensors,
      segmentLengths: rows.map((r) => new Map(this.segmentLengths[r])),
      current: Int32Array.from(rows, (r) => this.current[r] as number),
      parents: new Map(this.parents),
      nextSegment: this.nextSegment
    })
  }

  /**
   * Drops padding and forgotten columns: each row's visible columns move to the front (their order
   * does not matter to later tokens, which see every cached column they are allowed to), and the
   * cache shrinks to the longest row. Logits of later extends do not change.
   */
  compact(): void {
    const len = this.length
    if (this.tensors === null || len === 0) return
    const kept = Array.from({ length: this.rows }, (_, b) => {
      const cols: number[] = []
      for (let j = 0; j < len; j++) if (this.columns[b * len + j] !== 0) cols.push(j)
      return cols
    })
    const newLen = Math.max(0, ...kept.map((k) => k.length))
    if (newLen === len) return
    const index = new Int32Array(this.rows * newLen)
    const columns = new Int32Array(this.rows * newLen)
    kept.forEach((cols, b) => {
      for (let j = 0; j < newLen; j++) {
        const src = cols[j]
        // Rows shorter than newLen repeat column 0 as padding (segment 0: never visible).
        index[b * newLen + j] = b * len + (src ?? 0)
        columns[b * newLen + j] = src === undefined ? 0 : (this.columns[b * len + src] as number)
      }
    })
    if (newLen === 0) {
      this.replace(null, new Int32Array(0))
      return
    }
    const tensors = tf.tidy(() => {
      const idx = tf.tensor1d(index, 'int32')
      return (this.tensors as LayerKV[]).map(({ kT, v }) => {
        const [b, h, dh] = kT.shape
        const k = tf
          .gather(kT.transpose([0, 3, 1, 2]).reshape([b * len, h * dh]), idx)
          .reshape([b, newLen, h, dh])
          .transpose([0, 2, 3, 1]) as tf.Tensor4D
        const vv = tf
          .gather(v.transpose([0, 2, 1, 3]).reshape([b * len, h * dh]), idx)
          .reshape([b, newLen, h, dh])
          .transpose([0, 2, 1, 3]) as tf.Tensor4D
        return { kT: k, v: vv }
      })
    })
    this.replace(tensors, columns)
  }

  dispose(): void {
    this.replace(null, new Int32Array(0))
  }

  private replace(tensors: LayerKV[] | null, columns: Int32Array): void {
    const old = this.tensors
    this.tensors = tensors
    this.columns = columns
    if (old) for (const l of old) tf.dispose([l.kT, l.v])
  }

  private pathLength(row: number, seen: (segment: number) => ReadonlySet<number>): number {
    let n = 0
    const lengths = this.segmentLengths[row] as Map<number, number>
    for (const s of seen(this.current[row] as number)) n += lengths.get(s) ?? 0
    return n
  }

  private parentTable(): Int32Array {
    const size = Math.max(0, ...this.parents.keys()) + 1
    const table = new Int32Array(size)
    for (const [s, p] of this.parents) table[s] = p
    return table
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.rows) {
      throw new Error(`row ${row} is not in 0…${this.rows - 1}`)
    }
  }
}
