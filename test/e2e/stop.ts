// A long run from an edited form: elapsed time ticks while it runs, the configuration panel
// closes when switching experiments, and Stop stops it.
import type { Page } from 'playwright-core'
import { attr, check, must, shot, waitForAttr, waitUntil } from './harness'
import { createFromForm } from './runs'

export async function stopRun(page: Page, base: string, otherExperimentId: number): Promise<void> {
  const { id } = await createFromForm(page, base, 'sokoban-smoke', 'e2e stop', {
    iterations: '500'
  })
  await page.getByTestId('run-start').click()
  await waitForAttr(page, '[data-testid=run-status]', 'data-status', 'running', 60_000)
  const duration = page.getByTestId('run-duration')
  const first = (await duration.textContent()) ?? ''
  const ticks = await waitUntil(
    async () => ((await duration.textContent()) ?? '') !== first,
    10_000
  )
  const label = await page.locator('dt', { hasText: 'Elapsed' }).count()
  check(
    'a running run shows its elapsed time, updating',
    first !== '—' && /\d/.test(first) && ticks && label === 1,
    `"${first}" → "${await duration.textContent()}"`
  )
  const moving = await waitUntil(
    async () => Number(await attr(page, '[data-testid=metrics-chart]', 'data-iterations')) > 0,
    60_000
  )
  check('the long run logs iterations', moving)

  await page.getByTestId('experiment-config-summary').click()
  const openHere = await page.getByTestId('experiment-config').getAttribute('open')
  await page.getByTestId(`experiment-row-${otherExperimentId}`).click()
  await waitForAttr(
    page,
    '[data-testid=experiment-detail]',
    'data-experiment-id',
    String(otherExperimentId)
  )
  const openThere = await page.getByTestId('experiment-config').getAttribute('open')
  check(
    'the configuration panel closes when switching experiments',
    openHere !== null && openThere === null,
    `open on #${id}: ${openHere !== null}, on #${otherExperimentId}: ${openThere !== null}`
  )
  await page.getByTestId(`experiment-row-${id}`).click()
  await waitForAttr(page, '[data-testid=experiment-detail]', 'data-experiment-id', String(id))

  await page.getByTestId('run-stop').click()
  await waitForAttr(page, '[data-testid=run-status]', 'data-status', 'stopped', 60_000)
  const runId = Number(await attr(page, '[data-testid=run-panel]', 'data-run-id'))
  const run = await must<{ status: string; iterationsDone: number }>(base, 'runs/get', { runId })
  check(
    'Stop stops a running run',
    run.status === 'stopped' && run.iterationsDone < 500,
    JSON.stringify({ status: run.status, done: run.iterationsDone })
  )
  const label2 = await page.locator('dt', { hasText: 'Duration' }).count()
  const final = (await duration.textContent()) ?? ''
  check('a stopped run shows its duration', label2 === 1 && /\d/.test(final), `"${final}"`)
  check('Start is enabled again after a stop', await page.getByTestId('run-start').isEnabled())
  await shot(page, '8-run-stopped')
}
