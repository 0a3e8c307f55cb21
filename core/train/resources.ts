// What a training process holds after an iteration: live tensors (a leak shows as a count that
// grows), their bytes, the process's resident memory and its JS heap. Reported with every
// iteration's metrics.
import * as tf from '@tensorflow/tfjs'
import { collectIfHeapGrew } from './heap'

export function resourceMetrics(): Record<string, number> {
  const gcMs = collectIfHeapGrew() ?? 0
  const memory = tf.memory()
  const process_ = process.memoryUsage()
  return {
    'perf/tensors': memory.numTensors,
    'perf/tensor_mb': memory.numBytes / 2 ** 20,
    'perf/rss_mb': process_.rss / 2 ** 20,
    // The JS heap in use, garbage included: RSS follows it up between collections.
    'perf/heap_mb': process_.heapUsed / 2 ** 20,
    'perf/gc_ms': gcMs
  }
}
