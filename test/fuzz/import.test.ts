// Fuzzing the JSONL importer (`himac import`, `POST /api/import/episodes`) with fast-check: real
// exported WebShop and ALFWorld episodes with mutated lines, and lines of arbitrary JSON or text.
// Whatever the file holds, the import ends with a report (no throw), and a file with a bad line
// writes nothing: no run, episode, group, pack or task text. With skipBad only the good lines land.
import fs from 'node:fs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreWriter, type Db } from '../../core/store'
import { episodeLines } from '../../core/store/episode-export'
import { importEpisodeFile } from '../../core/store/episode-import'
import { batchOf } from '../helpers/random-episodes'
import { tempDir } from '../helpers/tmp'
import { fuzzRuns, fuzzTally, fuzzTimeout } from './runs'

const tmp = tempDir('himac-fuzz-import-')
afterAll(() => tmp.remove())
const tally = fuzzTally('import')

const TABLES = ['runs', 'experiments', 'episode_rows', 'group_rows', 'step_packs', 'tasks']
const counts = (db: Db): number[] =>
  TABLES.map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number)

/** Exported lines of a run of real random-agent episodes, one file per env. */
const good = new Map<string, string[]>()
let db: Db

beforeAll(() => {
  db = openDatabase(tmp.file('fuzz.db'))
  const writer = new StoreWriter(db)
  for (const env of ['webshop', 'alfworld'] as const) {
    const config = experimentConfigSchema.parse({ env, algo: 'grpo' })
    const runId = writer.createRun(writer.createExperiment(env, null, config), config)
    writer.insertRollouts(runId, batchOf(config, 0, [3, 4], 2))
    good.set(
      env,
      [...episodeLines(db, runId)].map((l) => JSON.stringify(l))
    )
  }
})
afterAll(() => db.close())

let files = 0
async function importLines(lines: readonly string[], skipBad = false) {
  const file = tmp.file(`f${files++}.jsonl`)
  fs.writeFileSync(file, lines.join('\n'))
  try {
    return await importEpisodeFile(db, new StoreWriter(db), file, skipBad ? { skipBad } : {})
  } finally {
    fs.rmSync(file)
  }
}

type Mutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'cut'; at: number }
  | { kind: 'field'; key: number; value: unknown }
  | { kind: 'drop'; key: number }
  | { kind: 'insert'; text: string }

/** A string that stays one line of the file. */
const oneLine = fc.string().map((s) => s.replace(/[\r\n]/g, ' '))

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    char: fc.constantFrom('"', '{', '}', ',', ':', '[', ']', '\\', 'x', '0', ' ', '\u0000')
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('field' as const), key: fc.nat(), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant('drop' as const), key: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    text: fc.oneof(
      oneLine,
      fc.jsonValue().map((v) => JSON.stringify(v))
    )
  })
)

/** The line after one mutation (a top-level field set or dropped, a character changed, a cut). */
function mutate(line: string, m: Mutation): string {
  if (m.kind === 'flip') {
    const at = m.at % line.length
    return line.slice(0, at) + m.char + line.slice(at + 1)
  }
  if (m.kind === 'cut') return line.slice(0, m.at % line.length)
  if (m.kind === 'insert') return m.text
  let obj: Record<string, unknown>
  try {
    obj = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line // an earlier mutation broke it already
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return line
  const keys = Object.keys(obj)
  if (keys.length === 0) return line
  const key = keys[m.key % keys.length]!
  if (m.kind === 'drop') delete obj[key]
  else obj[key] = m.value
  return JSON.stringify(obj)
}

describe('fuzz: JSONL import', { timeout: fuzzTimeout }, () => {
  it('a file with mutated lines: all of it imported, or bad lines named and nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('webshop', 'alfworld'),
        fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
        async (env, edits) => {
          const lines = [...good.get(env)!]
          for (const [i, m] of edits) {
            const at = i % lines.length
            lines[at] = mutate(lines[at]!, m)
          }
          const before = counts(db)
          const report = await importLines(lines)
          const rejected = report.badLines.length > 0
          tally.count(rejected)
          if (rejected) {
            expect(report.runId).toBeNull()
            expect(counts(db)).toEqual(before)
            for (const bad of report.badLines) {
              expect(bad.line).toBeGreaterThanOrEqual(1)
              expect(bad.line).toBeLessThanOrEqual(lines.length)
              expect(bad.issues.length).toBeGreaterThan(0)
              for (const issue of bad.issues) expect(issue.message.length).toBeGreaterThan(0)
            }
          } else {
            expect(report.episodes).toBe(lines.filter((l) => l.trim() !== '').length)
            const stored = db
              .prepare('SELECT COUNT(*) FROM episodes WHERE run_id = ?')
              .pluck()
              .get(report.runId) as number
            expect(stored).toBe(report.episodes)
          }
        }
      ),
      { numRuns: fuzzRuns(30), seed: 16 }
    )
  })

  it('lines of arbitrary JSON or text are refused; with skipBad the good lines land', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            oneLine
          ),
          {
            minLength: 1,
            maxLength: 4
          }
        ),
        fc.boolean(),
        async (junk, skipBad) => {
          const lines = [
            ...good.get('webshop')!.slice(0, 2),
            ...junk.filter((j) => j.trim() !== '')
          ]
          const before = counts(db)
          const report = await importLines(lines, skipBad)
          const bad = report.badLines.length
          tally.count(bad > 0)
          expect(bad).toBe(lines.length - 2)
          if (skipBad || bad === 0) expect(report.episodes).toBe(2)
          else {
            expect(report.runId).toBeNull()
            expect(counts(db)).toEqual(before)
          }
        }
      ),
      { numRuns: fuzzRuns(30), seed: 17 }
    )
  })
})
