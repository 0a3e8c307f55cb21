// The desktop app's exports: the same plan web mode streams (resolveExport) written to a chosen
// file — complete files only (written as .part, renamed at the end), bad paths and queries refused.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeExportFile } from '../../core/api/export-file'
import { resolveExport, type ExportPlan } from '../../core/api/export-routes'
import { parseCsv } from '../../core/csv'
import { openDatabase, StoreReader } from '../../core/store'
import { buildFixture } from '../../core/train/store-fixture'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const file = tmp.file('export.db')
let reader: StoreReader
let close: () => void = () => undefined
afterAll(() => {
  close()
  tmp.remove()
})

beforeAll(async () => {
  const db = openDatabase(file)
  await buildFixture(db, { episodes: 300, stepsPerEpisode: 12 })
  reader = new StoreReader(db)
  close = () => db.close()
}, 60_000)

const plan = (url: string): ExportPlan => {
  const [pathname, query = ''] = url.split('?') as [string, string?]
  const p = resolveExport(pathname, query, { reader, dbPath: file })
  if (!('lines' in p)) throw new Error(`${p.status} ${p.message}`)
  return p
}

describe('exports written to a file', () => {
  it('episodes as JSONL: one line per episode of the run, and no .part left', async () => {
    const run = reader.listRunTable().at(-1)!.run
    const out = tmp.file('run.jsonl')
    const { bytes } = await writeExportFile(
      plan(`/api/export/runs/${run.id}/episodes.jsonl?phase=train`),
      out
    )
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n')
    const train = reader.pageEpisodes(run.id, 0, 1, { phase: 'train' }).total
    expect(lines).toHaveLength(train)
    expect(bytes).toBe(fs.statSync(out).size)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      schema: 'himac.episode',
      version: 2,
      phase: 'train'
    })
    expect(fs.existsSync(`${out}.part`)).toBe(false)
  })

  it('the runs table as CSV: a header and one record per run', async () => {
    const out = tmp.file('runs.csv')
    await writeExportFile(plan('/api/export/runs.csv'), out)
    const records = parseCsv(fs.readFileSync(out, 'utf8'))
    expect(records).toHaveLength(reader.listRunTable().length + 1)
  })

  it('refuses unknown exports and bad queries; a failed write leaves no file', async () => {
    expect(resolveExport('/api/export/nope.csv', '', { reader, dbPath: file })).toMatchObject({
      status: 404
    })
    expect(
      resolveExport('/api/export/runs/1/groups.csv', 'iteration=x', { reader, dbPath: file })
    ).toMatchObject({ status: 400 })
    expect(
      resolveExport('/api/export/runs/999/episodes.csv', '', { reader, dbPath: file })
    ).toMatchObject({
      status: 404
    })
    const missing = path.join(tmp.dir, 'no-such-folder', 'x.csv')
    await expect(writeExportFile(plan('/api/export/runs.csv'), missing)).rejects.toThrow()
    expect(fs.existsSync(missing) || fs.existsSync(`${missing}.part`)).toBe(false)
  })
})
