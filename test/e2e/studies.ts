// `himac repro` on the served database: a small study (2 methods × 3 seeds, the quick Sokoban
// preset, one RL iteration) written by the CLI shows up in the Studies page while it runs, and its
// report page shows, per method, the mean ± 95 % CI of the runs' final evaluations as the database
// file holds them, with the learning curves and the final-success bars (screenshots
// e2e-studies-list.png and e2e-studies-report.png).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { meanCi } from '../../core/study/stats'
import { attr, check, must, repoRoot, shot, waitForAttr, waitUntil } from './harness'

type Summary = { id: number; status: string; runsCompleted: number; runsPlanned: number }

const pct = (mean: number, half: number | null): string =>
  half === null
    ? `${(mean * 100).toFixed(1)} (n=1)`
    : `${(mean * 100).toFixed(1)} ± ${(half * 100).toFixed(1)}`

export async function studiesReport(page: Page, base: string, dbPath: string): Promise<string> {
  await page.getByTestId('nav-studies').click()
  await page.getByTestId('studies-page').waitFor()
  const before = new Set((await must<Summary[]>(base, 'studies/list', {})).map((s) => s.id))
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-e2e-repro-'))
  const cli = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin/himac.js'),
      'repro',
      '--env',
      'sokoban',
      '--quick',
      '--methods',
      'himac,grpo',
      '--iterations',
      '1',
      '--name',
      'e2e study',
      '--db',
      dbPath,
      '--out',
      out,
      '--no-progress'
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let output = ''
  cli.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
  cli.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
  try {
    let studyId = 0
    const listed = await waitUntil(
      async () => {
        const added = (await must<Summary[]>(base, 'studies/list', {})).find(
          (s) => !before.has(s.id)
        )
        if (!added) return false
        studyId = added.id
        return (await page.getByTestId(`study-row-${added.id}`).count()) > 0
      },
      60_000,
      200
    )
    check(
      'a study written by `himac repro` appears in the open Studies page',
      listed,
      listed ? '' : output.slice(-500)
    )
    const code = await exited
    check('himac repro finishes the study', code === 0, code === 0 ? '' : output.slice(-800))
    await waitForAttr(
      page,
      `[data-testid=study-row-${studyId}]`,
      'data-status',
      'completed',
      30_000
    )
    const done = await page
      .getByTestId(`study-row-${studyId}`)
      .getByTestId('study-runs-done')
      .textContent()
    check('the list shows all 6 runs done', done === '6/6', done ?? '')
    await shot(page, 'studies-list')

    await page.getByTestId(`study-row-${studyId}`).click()
    await page.waitForURL(new RegExp(`#/studies/${studyId}$`))
    await page.getByTestId('study-methods').waitFor()

    // Each method's final success against the database file: the last eval/success_rate per run.
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      for (const method of ['himac', 'grpo']) {
        const finals = (
          db
            .prepare(
              `SELECT (SELECT value FROM metrics m WHERE m.run_id = r.id AND m.key = 'eval/success_rate'
                       ORDER BY m.iteration DESC LIMIT 1) AS v
               FROM runs r WHERE r.study_id = ? AND r.study_method = ? AND r.status = 'completed'`
            )
            .all(studyId, method) as { v: number }[]
        ).map((r) => r.v)
        const ci = meanCi(finals)
        const row = page.getByTestId(`study-method-${method}`)
        const shown = await row.getByTestId('study-success').textContent()
        const mean = Number(await row.getAttribute('data-success-mean'))
        check(
          `study page: ${method}'s final success is the mean ± CI of its runs in the database`,
          finals.length === 3 &&
            ci.mean !== null &&
            Math.abs(mean - ci.mean) < 1e-12 &&
            shown === pct(ci.mean, ci.half),
          `db ${finals.join(', ')} → ${ci.mean} ± ${ci.half}; page ${shown} (${mean})`
        )
      }
      const runRows = await page.locator('[data-testid^=study-run-]').count()
      check('study page lists the 6 runs', runRows === 6, String(runRows))
    } finally {
      db.close()
    }
    const lines = Number(await attr(page, '[data-testid=study-curves]', 'data-lines'))
    const bars = Number(await attr(page, '[data-testid=study-bars]', 'data-bars'))
    const drawn = await waitUntil(
      async () => (await page.locator('[data-testid=study-curves] .recharts-line').count()) === 2,
      10_000
    )
    check('learning curves and bars are drawn per method', lines === 2 && bars === 2 && drawn)
    const paper = await page.getByTestId('study-summary').textContent()
    check(
      "the paper's numbers are labelled as a different scale",
      (paper ?? '').includes('paper (Qwen2.5-VL-7B, full scale) — different scale'),
      paper ?? ''
    )
    check(
      'the CLI wrote the report files',
      ['report.md', 'results.csv', 'learning-curves.svg', 'final-success.svg'].every((f) =>
        fs.existsSync(path.join(out, f))
      )
    )
    return await shot(page, 'studies-report')
  } finally {
    if (cli.exitCode === null) cli.kill('SIGINT')
    fs.rmSync(out, { recursive: true, force: true })
  }
}
