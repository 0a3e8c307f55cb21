// `himac bench --only import`: 100 k steps of himac.episode JSONL (2,000 ALFWorld-like episodes of
// 50 steps, groups of 8) imported into a fresh database, then exported again; steps/s of each.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import type { EpisodeLineInput } from '../core/api/episode-jsonl'
import { openDatabase, StoreWriter } from '../core/store'
import { episodeLines } from '../core/store/episode-export'
import { importEpisodeFile } from '../core/store/episode-import'
import { createRng } from '../core/rng'

/** Issue 15: importing 100 k steps of JSONL. */
export const IMPORT_STEPS_PER_SEC_TARGET = 50_000

const PLACES = ['cabinet', 'countertop', 'drawer', 'fridge', 'shelf', 'sinkbasin', 'microwave']
const THINGS = ['mug', 'apple', 'knife', 'plate', 'spoon', 'bowl', 'potato', 'lettuce']

export function episodeLine(i: number, steps: number, rng: ReturnType<typeof createRng>): string {
  const group = Math.floor(i / 8)
  const thing = THINGS[group % THINGS.length]!
  const task = `put a clean ${thing} in ${PLACES[group % PLACES.length]} ${1 + (group % 3)}.`
  const room = PLACES.map((p, k) => `a ${p} ${1 + ((group + k) % 4)}`).join(', ')
  const admissibleBase = PLACES.map((p) => `go to ${p} 1`)
  const line: EpisodeLineInput = {
    schema: 'himac.episode',
    version: 1,
    env: 'alfworld',
    task,
    seed: group,
    iteration: Math.floor(group / 16),
    phase: 'train',
    memberIndex: i % 8,
    return: i % 3 === 0 ? 10 : 0,
    success: i % 3 === 0,
    length: steps - 1,
    group: { key: String(group), level: 'flat', taskSeed: group },
    algo: 'grpo',
    steps: Array.from({ length: steps }, (_, t) => {
      const at = PLACES[rng.int(PLACES.length)]!
      const n = 1 + rng.int(4)
      return {
        t,
        observation:
          t === 0
            ? `-= Welcome to TextWorld, ALFRED! =-\n\nYou are in the middle of a room. Looking quickly around you, you see ${room}.\n\nYour task is to: ${task}`
            : `You arrive at ${at} ${n}. On the ${at} ${n}, you see a ${THINGS[rng.int(THINGS.length)]} ${1 + rng.int(3)}, and a ${THINGS[rng.int(THINGS.length)]} ${1 + rng.int(3)}.`,
        admissible: [...admissibleBase, `take ${thing} 1 from ${at} ${n}`, 'inventory', 'look'],
        action: t === steps - 1 ? '' : `go to ${PLACES[rng.int(PLACES.length)]} 1`,
        reward: t === steps - 2 && i % 3 === 0 ? 10 : 0,
        done: t === steps - 1,
        logProb: t === steps - 1 ? null : Math.log(0.05 + 0.9 * rng.next()),
        advantage: t === steps - 1 ? null : i % 3 === 0 ? 1 : -0.5
      }
    })
  }
  return JSON.stringify(line)
}

export type BenchImportResult = {
  episodes: number
  steps: number
  fileMB: number
  importSeconds: number
  importStepsPerSec: number
  exportSeconds: number
  exportStepsPerSec: number
  /** 1-minute load average before and after. */
  loadAverage: [number, number]
}

export async function benchImport(
  options: { episodes?: number; stepsPerEpisode?: number } = {}
): Promise<BenchImportResult> {
  const episodes = options.episodes ?? 2000
  const stepsPerEpisode = options.stepsPerEpisode ?? 50
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-io-bench-'))
  try {
    const file = path.join(dir, 'episodes.jsonl')
    const rng = createRng(15)
    const text: string[] = []
    for (let i = 0; i < episodes; i++) text.push(episodeLine(i, stepsPerEpisode, rng))
    fs.writeFileSync(file, text.join('\n') + '\n')
    const fileBytes = fs.statSync(file).size
    const loadBefore = os.loadavg()[0] ?? 0

    const db = openDatabase(path.join(dir, 'import.db'))
    const t0 = performance.now()
    const report = await importEpisodeFile(db, new StoreWriter(db), file)
    const importSeconds = (performance.now() - t0) / 1000
    if (report.runId === null)
      throw new Error(`bench import refused: ${JSON.stringify(report.badLines[0])}`)

    const out = fs.createWriteStream(path.join(dir, 'export.jsonl'))
    const t1 = performance.now()
    let exported = 0
    for (const line of episodeLines(db, report.runId)) {
      exported += line.steps.length
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    const exportSeconds = (performance.now() - t1) / 1000
    db.close()
    return {
      episodes: report.episodes,
      steps: report.steps,
      fileMB: Math.round(fileBytes / 1e5) / 10,
      importSeconds,
      importStepsPerSec: Math.round(report.steps / importSeconds),
      exportSeconds,
      exportStepsPerSec: Math.round(exported / exportSeconds),
      loadAverage: [loadBefore, os.loadavg()[0] ?? 0]
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
