// What a training process holds after an iteration: live tensors (a leak shows as a count that
// grows), their bytes, and the process's resident memory. Reported with every iteration's metrics.
import * as tf from '@tensorflow/tfjs'

export function resourceMetrics(): Record<string, number> {
  const memory = tf.memory()
  return {
    'perf/tensors': memory.numTensors,
    'perf/tensor_mb': memory.numBytes / 2 ** 20,
    'perf/rss_mb': process.memoryUsage().rss / 2 ** 20
  }
}
