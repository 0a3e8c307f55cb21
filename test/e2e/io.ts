// Export and import through the UI of a finished run: the episodes page's "Export CSV" and
// "Export JSONL" (with a filter), the groups page's and the runs page's "Export CSV" are clicked in
// Chromium, each downloaded file is checked against the API (row counts, ids, values), and the
// JSONL goes back in with `himac import` on the served database, whose new run the API then lists
// with the same episodes.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { parseCsv } from '../../core/csv'
import { check, must, repoRoot, shot, waitForAttr, type EpisodeRow } from './harness'

type Listed = { id: number; name: string; latestRun: { id: number; status: string } | null }
type EpisodesPage = { total: number; items: EpisodeRow[] }
type GroupsPage = { total: number; items: { id: number; size: number; meanReturn: number }[] }
type TableRow = { run: { id: number }; experimentName: string }
type Line = {
  schema: string
  version: number
  phase: string
  return: number
  steps: unknown[]
  source: { episode: number }
}

function himac(args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = spawn(process.execPath, [path.join(repoRoot, 'bin/himac.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  cli.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
  cli.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
  return new Promise((resolve) => cli.once('exit', (code) => resolve({ code, output })))
}

/** A finished sokoban-smoke run written by `himac train` on the served file (for `--only io`). */
export async function trainSmokeRun(base: string, dbPath: string): Promise<number> {
  const r = await himac(['train', '--db', dbPath, '--preset', 'sokoban-smoke', '--name', 'e2e io'])
  if (r.code !== 0) throw new Error(`himac train failed:\n${r.output}`)
  const listed = await must<Listed[]>(base, 'experiments/list', {})
  const run = listed.find((e) => e.name === 'e2e io')?.latestRun
  if (!run) throw new Error('the CLI run is not listed')
  return run.id
}

async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click()
  ])
  const where = await file.path()
  return { name: file.suggestedFilename(), text: fs.readFileSync(where, 'utf8') }
}

export async function exportsAndImport(
  page: Page,
  base: string,
  dbPath: string,
  runId: number
): Promise<string> {
  await page.goto(`${base}/#/runs/${runId}/episodes`)
  await page.getByTestId('episodes-page').waitFor()
  await page.getByTestId('filter-phase').selectOption('eval')
  const evalPage = await must<EpisodesPage>(base, 'episodes/page', {
    runId,
    phase: 'eval',
    limit: 500
  })
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(evalPage.total))
  const screenshot = await shot(page, 'io-episodes-export')

  const csv = await download(page, 'export-episodes-csv')
  const rows = parseCsv(csv.text)
  const head = rows[0] ?? []
  const col = (r: string[], name: string): string => r[head.indexOf(name)] ?? ''
  check(
    'episodes CSV: the filtered episodes, one row each, values as the API gives them',
    csv.name === `run-${runId}-episodes.csv` &&
      rows.length - 1 === evalPage.total &&
      rows.slice(1).every((r, i) => {
        const e = evalPage.items[i]
        return (
          e !== undefined &&
          col(r, 'id') === String(e.id) &&
          col(r, 'phase') === 'eval' &&
          Number(col(r, 'return')) === e.return &&
          col(r, 'success') === String(e.success)
        )
      }),
    `${csv.name}: ${rows.length - 1} rows, API ${evalPage.total}`
  )

  const jsonl = await download(page, 'export-episodes-jsonl')
  const lines = jsonl.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line)
  const first = evalPage.items[0]
  const firstSteps = first
    ? (await must<{ steps: unknown[] }>(base, 'episodes/steps', { episodeId: first.id })).steps
    : []
  check(
    'episodes JSONL: himac.episode v2 lines of the filtered episodes with their steps',
    lines.length === evalPage.total &&
      lines.every(
        (l, i) =>
          l.schema === 'himac.episode' &&
          l.version === 2 &&
          l.phase === 'eval' &&
          l.source.episode === evalPage.items[i]?.id
      ) &&
      lines[0]?.steps.length === firstSteps.length,
    `${lines.length} lines, API ${evalPage.total}; first has ${lines[0]?.steps.length} steps, API ${firstSteps.length}`
  )

  await page.goto(`${base}/#/runs/${runId}/groups`)
  await page.getByTestId('groups-page').waitFor()
  const groups = await must<GroupsPage>(base, 'groups/page', { runId, limit: 200 })
  await waitForAttr(page, '[data-testid=groups-total]', 'data-total', String(groups.total))
  const gcsv = parseCsv((await download(page, 'export-groups-csv')).text)
  const ghead = gcsv[0] ?? []
  check(
    'groups CSV: every group with its size and mean return',
    gcsv.length - 1 === groups.total &&
      gcsv.slice(1).every((r, i) => {
        const g = groups.items[i]
        return (
          g !== undefined &&
          r[ghead.indexOf('id')] === String(g.id) &&
          r[ghead.indexOf('size')] === String(g.size) &&
          Number(r[ghead.indexOf('meanReturn')]) === g.meanReturn
        )
      }),
    `${gcsv.length - 1} rows, API ${groups.total}`
  )

  await page.goto(`${base}/#/runs`)
  await page.getByTestId('runs-page').waitFor()
  const table = await must<TableRow[]>(base, 'runs/table', {})
  await waitForAttr(page, '[data-testid=runs-count]', 'data-total', String(table.length))
  await shot(page, 'io-runs-export')
  const rcsv = parseCsv((await download(page, 'export-runs-csv')).text)
  const rhead = rcsv[0] ?? []
  const ours = rcsv.find((r) => r[0] === String(runId))
  const expected = table.find((t) => t.run.id === runId)
  check(
    'runs CSV: every run with its experiment and last metrics',
    rcsv.length - 1 === table.length &&
      ours !== undefined &&
      ours[rhead.indexOf('experiment')] === expected?.experimentName &&
      rhead.includes('last.train/mean_return'),
    `${rcsv.length - 1} rows, API ${table.length}`
  )

  // The downloaded JSONL back in: a new run with the same episodes.
  const file = path.join(path.dirname(dbPath), 'downloaded.jsonl')
  fs.writeFileSync(file, jsonl.text)
  const imported = await himac(['import', file, '--db', dbPath, '--experiment', 'e2e imported'])
  const report = JSON.parse(imported.output.slice(imported.output.indexOf('{'))) as {
    runId: number
  }
  const back = await must<EpisodesPage>(base, 'episodes/page', { runId: report.runId, limit: 500 })
  check(
    '`himac import` of the download stores the same episodes in a new run',
    imported.code === 0 &&
      back.total === lines.length &&
      back.items.every((e, i) => e.return === lines[i]?.return && e.phase === 'eval'),
    `exit ${imported.code}, ${back.total} episodes`
  )

  // The same file uploaded in the UI with its third line broken: every bad line shown, nothing
  // written; then its good lines only.
  const broken = jsonl.text.split('\n')
  broken[2] = (broken[2] ?? '').replace('"version":2', '"version":7')
  const badFile = path.join(path.dirname(dbPath), 'broken.jsonl')
  fs.writeFileSync(badFile, broken.join('\n'))
  await page.goto(`${base}/#/runs`)
  const runsBefore = (await must<TableRow[]>(base, 'runs/table', {})).length
  await waitForAttr(page, '[data-testid=runs-count]', 'data-total', String(runsBefore))
  await page.getByTestId('import-file').setInputFiles(badFile)
  await page.getByTestId('import-errors').waitFor()
  const shown = await page
    .locator('[data-testid=import-errors] li[data-line]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-line')}: ${e.textContent}`))
  check(
    'an upload with a bad line shows it by number and imports nothing',
    shown.length === 1 &&
      (shown[0] ?? '').startsWith('3: line 3: version:') &&
      (await must<TableRow[]>(base, 'runs/table', {})).length === runsBefore,
    shown.join(' | ')
  )
  await shot(page, 'io-import-errors')
  await page.getByTestId('import-skip-bad').click()
  await page.locator('[data-testid=import-result][data-run-id]:not([data-run-id=""])').waitFor()
  const uploaded = Number(await page.getByTestId('import-result').getAttribute('data-run-id'))
  const good = await must<EpisodesPage>(base, 'episodes/page', { runId: uploaded, limit: 500 })
  await waitForAttr(page, '[data-testid=runs-count]', 'data-total', String(runsBefore + 1))
  await shot(page, 'io-imported')
  check(
    '"Import the good lines only" stores them in a new run the table lists',
    good.total === lines.length - 1,
    `run ${uploaded}: ${good.total} episodes of ${lines.length - 1}`
  )
  return screenshot
}
