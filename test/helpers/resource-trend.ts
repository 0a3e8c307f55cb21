// Resource use over a training run, for any trainer that reports to a TrainingSink (the MLP GRPO
// trainer today, the LM trainer later): tfjs tensor count, live JS memory after a full GC, and
// process RSS after every iteration.
import * as tf from '@tensorflow/tfjs'
import { collectGarbage } from '../../core/train/heap'
import type { TrainingOutcome, TrainingSink } from '../../core/train/sink'

export type Trainer = (sink: TrainingSink) => Promise<TrainingOutcome>

export type ResourceTrend = {
  /** tf.memory().numTensors when each iteration's metrics arrive. */
  tensors: number[]
  /** Every `memoryEvery` iterations: V8 heap used plus array buffers, in MiB, after a full GC. */
  liveMiB: number[]
  /** Resident set size in MiB at the same moments. */
  rssMiB: number[]
  /** Tensors alive when the trainer reported its start (backend chosen) and after it returned. */
  tensorsBefore: number
  tensorsAfter: number
}

const mib = (bytes: number): number => bytes / 2 ** 20

// Without a forced collection, garbage (rollout arrays, SQLite buffers) grows for ~80 iterations
// before V8 collects it, which looks like a leak. One full GC leaves freed ArrayBuffers' backing
// stores to a concurrent sweeper: arrayBuffers then swung by ±3 MiB from sample to sample (a red
// CI). Collecting until live memory stops falling measured it flat to 0.1 MiB.
function collectFully(): NodeJS.MemoryUsage {
  collectGarbage()
  let m = process.memoryUsage()
  for (let i = 0; i < 8; i++) {
    collectGarbage()
    const next = process.memoryUsage()
    const fell = m.heapUsed + m.arrayBuffers - (next.heapUsed + next.arrayBuffers)
    m = next
    if (fell < 2 ** 16) break
  }
  return m
}

/** Runs `train` with `sink` (its calls pass through) and samples after every iteration. */
export async function measureResources(
  train: Trainer,
  sink: TrainingSink,
  memoryEvery = 5
): Promise<ResourceTrend> {
  const trend: ResourceTrend = {
    tensors: [],
    liveMiB: [],
    rssMiB: [],
    tensorsBefore: -1,
    tensorsAfter: -1
  }
  await train({
    ...sink,
    started(info) {
      trend.tensorsBefore = tf.memory().numTensors
      sink.started(info)
    },
    metrics(iteration, values) {
      sink.metrics(iteration, values)
      trend.tensors.push(tf.memory().numTensors)
      if (iteration % memoryEvery !== 0) return
      const m = collectFully()
      trend.liveMiB.push(mib(m.heapUsed + m.arrayBuffers))
      trend.rssMiB.push(mib(m.rss))
    }
  })
  trend.tensorsAfter = tf.memory().numTensors
  return trend
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}

/** Growth of a series from its start (after `skip` samples) to its end, as medians of `window`. */
export function growth(series: number[], skip: number, window = 3): number {
  return median(series.slice(-window)) - median(series.slice(skip, skip + window))
}
