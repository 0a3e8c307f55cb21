// A full garbage collection at the end of an iteration once the JS heap has grown well past what
// the last one left alive. Rollouts live for a whole iteration, so their garbage reaches the old
// generation, and V8 raised its collection threshold run after run: a 600-iteration HiMAC run's
// RSS climbed 409 → 705 MiB while its live heap stayed ~100 MiB. With this, the same run collected
// here once (45 ms, its first iteration; V8 then sized its limits from that small live heap and
// kept the heap at 86–100 MiB) and its RSS stayed at 443–470 MiB from iteration 20 to 600.
import v8 from 'node:v8'
import vm from 'node:vm'

v8.setFlagsFromString('--expose-gc')
/** A full, synchronous garbage collection (V8's `gc`, exposed without a command-line flag). */
export const collectGarbage = vm.runInNewContext('gc') as () => void

const GROWTH_FACTOR = 1.5
const GROWTH_FLOOR_BYTES = 32 * 2 ** 20

let liveAfterCollection = 0

/** Collects if the heap grew past its trigger; the milliseconds spent, or null if it did not. */
export function collectIfHeapGrew(): number | null {
  const used = v8.getHeapStatistics().used_heap_size
  const trigger = Math.max(
    liveAfterCollection * GROWTH_FACTOR,
    liveAfterCollection + GROWTH_FLOOR_BYTES
  )
  if (liveAfterCollection > 0 && used < trigger) return null
  const start = performance.now()
  collectGarbage()
  liveAfterCollection = v8.getHeapStatistics().used_heap_size
  return performance.now() - start
}
