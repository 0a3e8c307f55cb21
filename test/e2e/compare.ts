// The runs table and compare view: 3 learning rates × 2 seeds of a small Sokoban GRPO run made
// through the HTTP API while the table is open (live status), then columns, sort, filter, groups,
// a restored link, selection, and in compare: smoothing, x axes, CI bands per learning rate and
// the config diff — each checked against the API, with screenshots at two window sizes.
import type { Page } from 'playwright-core'
import { formatNumber } from '../../core/format'
import { close, drawnLines } from './chart'
import {
  check,
  must,
  RUN_TIMEOUT_MS,
  shot,
  waitForAttr,
  waitUntil,
  type Config,
  type MetricPoint,
  type Preset,
  type RunRow
} from './harness'

const RATES = [0.001, 0.003, 0.01]
const SEEDS = [0, 1]
const METRIC = 'train/mean_return'
const SMOOTHING = 0.8
const SMALL = {
  iterations: 4,
  groupsPerIteration: 2,
  groupSize: 4,
  evalEvery: 2,
  evalEpisodes: 8
}
type TableRow = {
  run: RunRow & { config: Config & { learningRate: number } }
  lastMetrics: Record<string, number>
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
/** Debiased EMA, written out here independently of the renderer's. */
function ema(ys: number[], w: number): number[] {
  let s = 0
  return ys.map((y, i) => {
    s = s * w + (1 - w) * y
    return s / (1 - w ** (i + 1))
  })
}

async function rowOrder(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid^=run-row-]', (els) =>
    els.map((e) => Number(e.getAttribute('data-run-id')))
  )
}

async function selectOption(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).selectOption(value)
}

/** Creates and starts the runs through the API while the runs table is open; waits for the end. */
async function createRuns(page: Page, base: string): Promise<number[]> {
  const preset = (await must<Preset[]>(base, 'presets/list', {})).find(
    (p) => p.id === 'sokoban-grpo'
  )
  if (!preset) throw new Error('preset sokoban-grpo not served')
  await page.goto(`${base}/#/runs`)
  await page.getByTestId('runs-page').waitFor()
  // Only this flow's runs, whatever else the database holds (the full e2e made others before).
  await page.getByTestId('runs-filter').fill('cmp')
  const runIds: number[] = []
  for (const learningRate of RATES) {
    for (const seed of SEEDS) {
      const e = await must<{ id: number }>(base, 'experiments/create', {
        name: `cmp lr=${learningRate} s${seed}`,
        preset: preset.id,
        config: { ...preset.config, ...SMALL, learningRate, seed }
      })
      runIds.push(
        (await must<{ id: number }>(base, 'experiments/start', { experimentId: e.id })).id
      )
    }
  }
  // The open table learns of the new runs from their events and follows them to the end.
  const finished = await waitUntil(async () => {
    const states = await Promise.all(
      runIds.map((id) =>
        page
          .getByTestId(`run-status-${id}`)
          .getAttribute('data-status', { timeout: 1_000 })
          .catch(() => null)
      )
    )
    return states.every((s) => s === 'completed' || s === 'failed' || s === 'stopped')
  }, RUN_TIMEOUT_MS * 2)
  const stored = await Promise.all(runIds.map((runId) => must<RunRow>(base, 'runs/get', { runId })))
  check(
    'runs table: 6 runs started by the API show completed live, without a reload',
    finished && stored.every((r) => r.status === 'completed'),
    stored.map((r) => `${r.id}:${r.status}${r.error ? ` ${r.error}` : ''}`).join(' ')
  )
  return runIds
}

async function tableChecks(page: Page, base: string, runIds: number[]): Promise<void> {
  const api = (await must<TableRow[]>(base, 'runs/table', {})).filter((r) =>
    runIds.includes(r.run.id)
  )
  await page.getByTestId('runs-filter').fill('cmp')
  await waitForAttr(page, '[data-testid=runs-count]', 'data-shown', '6')
  // A config column and a metric column, their cells equal to what the API serves.
  await selectOption(page, 'add-column', 'config:groupSize')
  await selectOption(page, 'add-column', `metric:${METRIC}`)
  const metricHeader = page.getByTestId('col-header-metric-train-mean_return')
  await metricHeader.waitFor()
  const cells = await Promise.all(
    api.map(async (r) => ({
      want: formatNumber(r.lastMetrics[METRIC]),
      got:
        (await page.getByTestId(`cell-${r.run.id}-metric-train-mean_return`).textContent()) ?? '',
      size: (await page.getByTestId(`cell-${r.run.id}-config-groupSize`).textContent()) ?? ''
    }))
  )
  check(
    'runs table: chosen config and metric columns show the API values',
    cells.every((c) => c.got === c.want && c.size === String(SMALL.groupSize)),
    JSON.stringify(cells)
  )
  // Sort ascending, then descending, by the metric.
  const byMetric = [...api].sort(
    (a, b) => (a.lastMetrics[METRIC] ?? 0) - (b.lastMetrics[METRIC] ?? 0) || 0
  )
  await metricHeader.click()
  await waitForAttr(page, '[data-testid=col-header-metric-train-mean_return]', 'data-sort', 'asc')
  const asc = await rowOrder(page)
  await metricHeader.click()
  await waitForAttr(page, '[data-testid=col-header-metric-train-mean_return]', 'data-sort', 'desc')
  const desc = await rowOrder(page)
  const values = (ids: number[]): number[] =>
    ids.map((id) => api.find((r) => r.run.id === id)?.lastMetrics[METRIC] ?? NaN)
  const ascending = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x >= (xs[i - 1] ?? x))
  check(
    'runs table: sorting by a metric column orders the rows both ways',
    asc.length === 6 && ascending(values(asc)) && ascending(values(desc).reverse()),
    `asc ${asc.join(',')} desc ${desc.join(',')} want ${byMetric.map((r) => r.run.id).join(',')}`
  )
  // A numeric filter on a config key.
  await page.getByTestId('runs-filter').fill('cmp, learningRate >= 0.003')
  await waitForAttr(page, '[data-testid=runs-count]', 'data-shown', '4')
  const filtered = await rowOrder(page)
  const want = api.filter((r) => r.run.config.learningRate >= 0.003).map((r) => r.run.id)
  check(
    'runs table: a numeric filter keeps the matching runs',
    filtered.length === 4 && filtered.every((id) => want.includes(id)),
    `${filtered.join(',')} vs ${want.join(',')}`
  )
  await page.getByTestId('runs-filter').fill('cmp, eval/success_rate > high')
  const error = (await page.getByTestId('filter-errors').textContent()) ?? ''
  check('runs table: a malformed filter clause is named', error.includes('needs a number'), error)
  await page.getByTestId('runs-filter').fill('cmp')
  await waitForAttr(page, '[data-testid=runs-count]', 'data-shown', '6')
  // Group by learning rate: 3 groups of 2 with the mean of the metric column.
  await selectOption(page, 'add-group', 'learningRate')
  await waitUntil(async () => (await page.getByTestId('group-row').count()) === 3, 5_000)
  const groups = await page.$$eval('[data-testid=group-row]', (els) =>
    els.map((e) => ({
      count: e.getAttribute('data-count'),
      text: e.textContent ?? ''
    }))
  )
  const means = RATES.map((lr) =>
    formatNumber(
      mean(
        api.filter((r) => r.run.config.learningRate === lr).map((r) => r.lastMetrics[METRIC] ?? NaN)
      )
    )
  )
  check(
    'runs table: grouping by learningRate gives 3 groups of 2 with the metric mean',
    groups.length === 3 &&
      groups.every((g, i) => g.count === '2' && g.text.includes(`μ ${means[i]}`)),
    JSON.stringify(groups) + ` means ${means.join(',')}`
  )
  await page.getByTestId('group-toggle').first().click()
  const collapsedRows = (await rowOrder(page)).length
  await page.getByTestId('group-toggle').first().click()
  check(
    'runs table: a collapsed group hides its 2 runs',
    collapsedRows === 4,
    `${collapsedRows} rows`
  )
  // The link restores the view.
  const url = page.url()
  await page.goto('about:blank')
  await page.goto(url)
  await page.getByTestId('col-header-metric-train-mean_return').waitFor()
  await waitUntil(async () => (await page.getByTestId('group-row').count()) === 3, 10_000)
  const restored = {
    filter: await page.getByTestId('runs-filter').inputValue(),
    sort: await page.getByTestId('col-header-metric-train-mean_return').getAttribute('data-sort'),
    groups: await page.getByTestId('group-row').count(),
    size: await page.getByTestId('col-header-config-groupSize').count()
  }
  check(
    'runs table: the URL restores columns, sort, filter and grouping',
    restored.filter === 'cmp' &&
      restored.sort === 'desc' &&
      restored.groups === 3 &&
      restored.size === 1,
    JSON.stringify(restored)
  )
  for (const box of await page.getByTestId('group-select').all()) await box.check()
  await waitForAttr(page, '[data-testid=selected-count]', 'data-count', '6')
  const selected = (await page.getByTestId('selected-count').textContent()) ?? ''
  check('runs table: group checkboxes select the runs', selected.startsWith('6 '), selected)
}

async function compareChecks(page: Page, base: string, runIds: number[]): Promise<void> {
  const metrics = await must<{ runId: number; points: MetricPoint[] }[]>(base, 'metrics/many', {
    runIds
  })
  const series = new Map(metrics.map((m) => [m.runId, m.points]))
  const rateOf = new Map(
    (await must<TableRow[]>(base, 'runs/table', {})).map((r) => [
      r.run.id,
      r.run.config.learningRate
    ])
  )
  await page.getByTestId('compare-selected').click()
  await page.getByTestId('compare-page').waitFor()
  await selectOption(page, 'compare-metric', METRIC)
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-lines', '6')
  const legend = await page.getByTestId('legend-item').allTextContents()
  check(
    'compare: 6 runs overlaid with their names in the legend',
    legend.length === 6 && runIds.every((id) => legend.some((l) => l.includes(`#${id}`))),
    legend.join(' | ')
  )
  await page.getByTestId('smoothing').fill(String(SMOOTHING))
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-smoothing', String(SMOOTHING))
  const raw = await page
    .locator('[data-testid=compare-chart] .raw-line path.recharts-line-curve')
    .count()
  // The drawn smoothed lines equal the EMA of the API's values (the chart keeps the URL's run order).
  const order = (new URLSearchParams(page.url().split('?')[1] ?? '').get('runs') ?? '')
    .split(',')
    .map(Number)
  const drawn = await drawnLines(page, 'compare-chart', '.main-line path.recharts-line-curve')
  const smoothOk =
    drawn !== null &&
    drawn.lines.length === 6 &&
    order.every((id, i) => {
      const ys = (series.get(id) ?? []).flatMap((p) => p.values[METRIC] ?? [])
      const want = ema(ys, SMOOTHING)
      const got = drawn.lines[i] ?? []
      return (
        got.length === want.length && got.every((p, j) => close(p.y, want[j] ?? NaN, drawn.ySpan))
      )
    })
  check(
    'compare: the smoothing slider draws the EMA over a faint raw line per run',
    raw === 6 && smoothOk,
    `raw lines ${raw}, drawn ${drawn?.lines.map((l) => l.length).join(',')}`
  )
  await shot(page, 'compare-runs')
  // Wall time: the last x of each run is the sum of its iterations' seconds.
  await page.getByTestId('x-axis-wall').click()
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-x', 'wall')
  const wall = await drawnLines(page, 'compare-chart', '.main-line path.recharts-line-curve')
  const labels = await page.locator('[data-testid=compare-chart] .recharts-label').allTextContents()
  const wallOk =
    wall !== null &&
    order.every((id, i) => {
      const total = (series.get(id) ?? []).reduce(
        (a, p) => a + (p.values['perf/iteration_s'] ?? 0),
        0
      )
      const last = wall.lines[i]?.at(-1)
      return last !== undefined && close(last.x, total, wall.xSpan)
    })
  check(
    'compare: x = wall time ends each run at its summed perf/iteration_s, with the axis titled',
    wallOk && labels.includes('wall time (s)'),
    labels.join(' | ')
  )
  await page.getByTestId('x-axis-steps').click()
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-x', 'steps')
  const stepLabels = await page
    .locator('[data-testid=compare-chart] .recharts-label')
    .allTextContents()
  check(
    'compare: x = env steps is titled',
    stepLabels.includes('env steps'),
    stepLabels.join(' | ')
  )
  await page.getByTestId('x-axis-iteration').click()
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-x', 'iteration')
  // Groups by learning rate: mean ± 95 % CI (t with 1 degree of freedom for 2 seeds).
  await selectOption(page, 'compare-group-add', 'learningRate')
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-bands', '3')
  const areas = await page.locator('[data-testid=compare-chart] .recharts-area-area').count()
  const grouped = await drawnLines(page, 'compare-chart', '.main-line path.recharts-line-curve')
  const groupLegend = await page.getByTestId('legend-item').allTextContents()
  // Groups come in the order their first run has in the selection.
  const rates = [...new Set(order.map((id) => rateOf.get(id)))]
  const meansOk =
    grouped !== null &&
    rates.length === RATES.length &&
    rates.every((lr, g) => {
      const members = order.filter((id) => rateOf.get(id) === lr)
      const smoothed = members.map((id) =>
        ema(
          (series.get(id) ?? []).flatMap((p) => p.values[METRIC] ?? []),
          SMOOTHING
        )
      )
      const got = grouped.lines[g] ?? []
      return (
        got.length > 0 &&
        got.every((p, j) => close(p.y, mean(smoothed.map((s) => s[j] ?? NaN)), grouped.ySpan))
      )
    })
  check(
    'compare: grouping by learningRate draws 3 mean lines with 95 % CI bands',
    areas === 3 &&
      meansOk &&
      groupLegend.length === 3 &&
      groupLegend.every((l) => l.includes('95 % CI of 2')),
    `areas ${areas} legend ${groupLegend.join(' | ')}`
  )
  // Groups of one run (learning rate × seed) draw their line alone, without a band.
  await selectOption(page, 'compare-group-add', 'seed')
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-lines', '6')
  const single = {
    bands: await page.getByTestId('compare-chart').getAttribute('data-bands'),
    areas: await page.locator('[data-testid=compare-chart] .recharts-area-area').count()
  }
  check(
    'compare: groups of one run are lines without a band',
    single.bands === '0' && single.areas === 0,
    JSON.stringify(single)
  )
  await page.getByTestId('compare-group-chip-seed').click()
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-bands', '3')
  // Config diff: differences only leaves learningRate and seed.
  const allRows = Number(await page.getByTestId('config-diff').getAttribute('data-rows'))
  await page.getByTestId('diff-only').check()
  await waitUntil(
    async () => Number(await page.getByTestId('config-diff').getAttribute('data-rows')) < allRows,
    5_000
  )
  const diffKeys = await page.$$eval('[data-testid^=diff-row-]', (els) =>
    els.map((e) => (e.getAttribute('data-testid') ?? '').slice('diff-row-'.length))
  )
  check(
    'compare: "differences only" leaves the keys that differ',
    allRows > 10 && diffKeys.join(',') === 'learningRate,seed',
    `${allRows} keys, then ${diffKeys.join(',')}`
  )
  const url = page.url()
  await page.goto('about:blank')
  await page.goto(url)
  await waitForAttr(page, '[data-testid=compare-chart]', 'data-bands', '3', 20_000)
  const restored = {
    smoothing: await page.getByTestId('smoothing-value').textContent(),
    metric: await page.getByTestId('compare-metric').inputValue(),
    diffOnly: await page.getByTestId('diff-only').isChecked()
  }
  check(
    'compare: the URL restores the selection, metric, smoothing, groups and diff toggle',
    restored.smoothing === SMOOTHING.toFixed(2) && restored.metric === METRIC && restored.diffOnly,
    JSON.stringify(restored)
  )
}

/** Runs table and compare checks; returns the screenshots taken at both window sizes. */
export async function runsTableAndCompare(page: Page, base: string): Promise<string[]> {
  const runIds = await createRuns(page, base)
  await tableChecks(page, base, runIds)
  await compareChecks(page, base, runIds)
  const compareUrl = page.url()
  const tableUrl = `${base}/#/runs?${new URLSearchParams({
    cols: `config:learningRate,config:seed,config:groupSize,metric:${METRIC},metric:eval/success_rate`,
    sort: `-metric:${METRIC}`,
    filter: 'cmp',
    group: 'learningRate',
    sel: runIds.slice(0, 3).join(',')
  }).toString()}`
  const files: string[] = []
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 }
  ]) {
    await page.setViewportSize(viewport)
    for (const [name, url, ready] of [
      ['runs-table', tableUrl, '[data-testid=group-row]'],
      ['compare', compareUrl, '[data-testid=compare-chart] .recharts-area-area']
    ] as const) {
      await page.goto('about:blank')
      await page.goto(url)
      await page.locator(ready).first().waitFor({ timeout: 15_000 })
      const problems = (await page.evaluate('e2e.layoutProblems()')) as string[]
      const clipped = (await page.evaluate(`(() => {
        const card = document.querySelector('[data-testid=compare-chart]')
        if (!card) return []
        const box = card.getBoundingClientRect()
        return [...card.querySelectorAll('.recharts-yAxis-tick-labels text, [data-testid=legend-item]')]
          .filter((t) => { const b = t.getBoundingClientRect(); return b.left < box.left - 0.5 || b.right > box.right + 0.5 })
          .map((t) => t.textContent)
      })()`)) as string[]
      check(
        `layout at ${viewport.width}×${viewport.height}: ${name}`,
        problems.length === 0 && clipped.length === 0,
        [...problems, ...clipped.map((c) => `clipped: ${c}`)].slice(0, 4).join('; ')
      )
      files.push(await shot(page, `layout-${viewport.width}-${name}`))
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 })
  return files
}
