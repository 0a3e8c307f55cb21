// `himac train --db <the served file>` in another process: the open UI shows its experiment, its
// metrics and its episodes as they are written, with no reload ('store/changed').
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { attr, check, must, repoRoot, waitForAttr, waitUntil } from './harness'

type Listed = { id: number; name: string; latestRun: { id: number } | null }

export async function cliWrites(page: Page, base: string, dbPath: string): Promise<void> {
  await page.getByTestId('nav-experiments').click()
  await page.getByTestId('experiments-list').waitFor()
  // A reload would drop this marker.
  await page.evaluate("window.e2eMarker = 'no reload'")
  const before = new Set((await must<Listed[]>(base, 'experiments/list', {})).map((e) => e.id))
  const cli = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin/himac.js'),
      'train',
      '--db',
      dbPath,
      '--preset',
      'sokoban-smoke',
      '--name',
      'e2e from the CLI',
      '--iterations',
      '400',
      '--no-progress'
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let output = ''
  cli.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
  cli.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
  try {
    let added: Listed | undefined
    const appeared = await waitUntil(
      async () => {
        added = (await must<Listed[]>(base, 'experiments/list', {})).find(
          (e) => !before.has(e.id) && e.latestRun !== null
        )
        return (
          added !== undefined && (await page.getByTestId(`experiment-row-${added.id}`).count()) > 0
        )
      },
      60_000,
      200
    )
    check('an experiment written by `himac train` appears in the open list', appeared)
    if (!added?.latestRun) throw new Error(`the CLI created no run; output:\n${output}`)
    const runId = added.latestRun.id
    await page.getByTestId(`experiment-row-${added.id}`).click()
    await page.getByTestId('run-panel').waitFor()
    const charted = await waitUntil(
      async () => Number(await attr(page, '[data-testid=metrics-chart]', 'data-iterations')) >= 2,
      90_000,
      200
    )
    check('its metrics are charted as the CLI logs them', charted)
    await page.getByTestId('open-episodes').click()
    await page.waitForURL(new RegExp(`#/runs/${runId}/episodes$`))
    const totals = new Set<number>()
    const grew = await waitUntil(
      async () => {
        totals.add(Number(await attr(page, '[data-testid=episodes-total]', 'data-total')))
        return [...totals].filter((t) => t > 0).length >= 3
      },
      90_000,
      100
    )
    check(
      'its episodes list grows while the CLI writes',
      grew,
      [...totals].sort((a, b) => a - b).join(' → ')
    )
    cli.kill('SIGINT')
    const code = await exited
    const run = await must<{ status: string }>(base, 'runs/get', { runId })
    const final = await must<{ total: number }>(base, 'episodes/page', { runId, limit: 1 })
    await waitForAttr(
      page,
      '[data-testid=episodes-total]',
      'data-total',
      String(final.total),
      30_000
    )
    await waitForAttr(page, '.crumbs [data-status]', 'data-status', run.status, 30_000)
    const marker = (await page.evaluate('window.e2eMarker')) as unknown
    check(
      'after the CLI stops, the UI shows its final episodes and status without a reload',
      code === 0 && run.status === 'stopped' && marker === 'no reload',
      `exit ${code}, status ${run.status}, ${final.total} episodes, marker ${marker}`
    )
    const negativeZero = output.split('\n').filter((l) => /(^|\s)-0(\.0+)?(\s|$)/.test(l))
    check(
      'the CLI prints no negative zero',
      /^it \d+ success /m.test(output) && negativeZero.length === 0,
      negativeZero.slice(0, 2).join(' | ')
    )
  } finally {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL')
  }
}
