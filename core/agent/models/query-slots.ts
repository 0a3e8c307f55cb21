// Where the last block puts its queries when only some positions' outputs are wanted: the wanted
// flat positions (b·S + t) of each row packed into `width` slots per row (the most any row wants),
// so attention runs on [B, H, width, K] scores instead of [B, H, S, K]. Each slot takes its query
// and its mask row from its source position; a row's spare slots repeat one of its positions and
// are never read back.
import * as tf from '@tensorflow/tfjs'

export type QuerySlots = {
  /** Slots per row. */
  width: number
  /** [B·width] flat position each slot reads its query and mask row from. */
  source: Int32Array
  /** [K] the slot holding each wanted position, in the order asked for. */
  order: Int32Array
}

/**
 * Slots for the wanted positions `at` of a [B, S] batch, or null when they would not be fewer than
 * the S positions per row (then the full block is as cheap).
 */
export function querySlots(at: Int32Array, bsz: number, s: number): QuerySlots | null {
  const counts = new Int32Array(bsz)
  for (const a of at) {
    if (!Number.isInteger(a) || a < 0 || a >= bsz * s)
      throw new Error(`position ${a} is outside the batch of ${bsz}×${s}`)
    ;(counts[Math.floor(a / s)] as number)++
  }
  let width = 1
  for (const c of counts) width = Math.max(width, c)
  if (width >= s) return null
  const source = new Int32Array(bsz * width)
  for (let b = 0; b < bsz; b++) source.fill(b * s + s - 1, b * width, (b + 1) * width)
  const filled = new Int32Array(bsz)
  const order = new Int32Array(at.length)
  at.forEach((a, k) => {
    const b = Math.floor(a / s)
    const slot = b * width + (filled[b] as number)
    filled[b] = (filled[b] as number) + 1
    source[slot] = a
    order[k] = slot
  })
  return { width, source, order }
}

/**
 * The additive mask rows of the slots' sources, as [B, 1, width, K], from the block's mask ([S, K]
 * shared by all rows, or [B, 1, S, K]).
 */
export function slotMask(mask: tf.Tensor, slots: QuerySlots, bsz: number, s: number): tf.Tensor4D {
  const keys = mask.shape[mask.shape.length - 1] as number
  const shared = mask.rank === 2
  const rows = shared ? Int32Array.from(slots.source, (a) => a % s) : slots.source
  const flat = shared ? mask : mask.reshape([bsz * s, keys])
  return tf.gather(flat, tf.tensor1d(rows, 'int32')).reshape([bsz, 1, slots.width, keys])
}
