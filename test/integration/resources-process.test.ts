// RSS and tensors of the training process as a user runs it (`himac train`, a process of its own,
// no forced collections from the test): flat LM and HiMAC runs on Sokoban, read back from the
// perf/* metrics the trainer stores every iteration. HIMAC_RESOURCE_ITERATIONS=200 runs the long
// trend. (resources-lm.test.ts measures the live heap inside a vitest worker.)
import { execFile } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../core/store'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir('himac-res-proc-')
afterAll(() => tmp.remove())

const ITERATIONS = Number(process.env.HIMAC_RESOURCE_ITERATIONS ?? 40)

function train(algo: string, db: string): Promise<void> {
  const args = [
    'bin/himac.js',
    ...`train --env sokoban --algo ${algo} --policy lm --d-model 16 --layers 1`.split(' '),
    ...`--heads 2 --bc-episodes 4 --bc-epochs 2 --iterations ${ITERATIONS} --seed 5`.split(' '),
    ...`--groups 2 --group-size 2 --eval-every 4 --eval-episodes 2 --checkpoint-every 4`.split(' '),
    ...['--db', db, '--no-progress']
  ]
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      args,
      { timeout: 1_200_000, maxBuffer: 2 ** 28 },
      (err, _o, stderr) =>
        err ? reject(new Error(`himac train exited: ${err.message}\n${stderr}`)) : resolve()
    )
  )
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

describe('resources of the training process', () => {
  for (const algo of ['gigpo', 'himac'] as const) {
    it(`${algo}: RSS and tensors flat over ${ITERATIONS} RL iterations`, async () => {
      const file = tmp.file(`proc-${algo}.db`)
      await train(algo, file)
      const db = openDatabase(file)
      const series = (key: string): number[] =>
        (
          db.prepare('SELECT value FROM metrics WHERE key = ? ORDER BY iteration').all(key) as {
            value: number
          }[]
        ).map((r) => r.value)
      const rss = series('perf/rss_mb')
      const heap = series('perf/heap_mb')
      const tensors = series('perf/tensors')
      db.close()
      expect(rss).toHaveLength(ITERATIONS)
      // RSS climbs while code, caches and the heap warm up (~20 iterations), then stays.
      const warm = Math.floor(ITERATIONS / 2)
      const window = Math.max(5, Math.floor(ITERATIONS / 10))
      const start = median(rss.slice(warm, warm + window))
      const end = median(rss.slice(-window))
      const every = (xs: number[]) => xs.filter((_, i) => i % 10 === 0).map((x) => x.toFixed(0))
      console.log(
        `${algo} process: ${ITERATIONS} RL iterations; RSS median ${start.toFixed(1)} → ` +
          `${end.toFixed(1)} MiB (every 10 iterations: ${every(rss).join(' ')}); JS heap ` +
          `${every(heap).join(' ')} MiB; tensors ${tensors[warm]} → ${tensors.at(-1)}`
      )
      expect(new Set(tensors.slice(warm)).size).toBe(1)
      // Measured over 200 iterations: +0 (flat LM) and +12 MiB (HiMAC); without the trainer's
      // iteration-end collection HiMAC climbed +200 MiB.
      expect(end - start).toBeLessThan(48)
    }, 1_500_000)
  }
})
