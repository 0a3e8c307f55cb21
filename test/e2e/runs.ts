// Runs driven through the UI: create from a preset in the form, start, watch to the end, then
// compare what the UI shows with the API and the API's metrics with the stored episodes.
import type { Page } from 'playwright-core'
import { formatNumber } from '../../core/format'
import { close, drawnBar, drawnLine } from './chart'
import {
  allEpisodes,
  attr,
  check,
  cloneEpochs,
  evalIterations,
  expectedEpisodes,
  totalIterations,
  isEvaluation,
  must,
  RUN_TIMEOUT_MS,
  sleep,
  waitUntil,
  type Config,
  type MetricPoint,
  type RunRow
} from './harness'

const TRAINING_ONLY = ['iterations', 'groupsPerIteration', 'groupSize', 'learningRate', 'evalEvery']
const keyId = (key: string): string => key.replace(/[^a-z0-9_]+/gi, '-')
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

export async function openNewExperimentForm(page: Page): Promise<void> {
  await page.getByTestId('nav-experiments').click()
  await page.getByTestId('new-experiment').click()
  await page.getByTestId('new-experiment-form').waitFor()
  await page.locator('[data-testid=field-preset] option').first().waitFor({ state: 'attached' })
}

/** Fills the form from a preset with edited fields and creates; returns the stored experiment. */
export async function createFromForm(
  page: Page,
  base: string,
  presetId: string,
  name: string,
  fields: Record<string, string>
): Promise<{ id: number; config: Config }> {
  await openNewExperimentForm(page)
  await page.getByTestId('field-preset').selectOption(presetId)
  const preset = (await must<{ id: string; config: Config }[]>(base, 'presets/list', {})).find(
    (p) => p.id === presetId
  )
  if (!preset) throw new Error(`preset ${presetId} not served`)
  const evaluation = isEvaluation(preset.config)
  const kind = await attr(page, '[data-testid=new-experiment-form]', 'data-kind')
  const hidden = await Promise.all(
    TRAINING_ONLY.map(async (f) => (await page.getByTestId(`field-${f}`).count()) === 0)
  )
  const episodesField = await page.getByTestId('field-evalEpisodes').inputValue()
  check(
    `${presetId}: the form shows the ${evaluation ? 'evaluation' : 'training'} fields`,
    kind === (evaluation ? 'evaluation' : 'training') &&
      hidden.every((h) => h === evaluation) &&
      episodesField === String(preset.config.evalEpisodes),
    `kind=${kind} training fields hidden=${hidden.join(',')} episodes=${episodesField}`
  )
  await page.getByTestId('field-name').fill(name)
  for (const [field, value] of Object.entries(fields)) {
    await page.getByTestId(`field-${field}`).fill(value)
  }
  await page.getByTestId('create-submit').click()
  await page.waitForURL(/#\/experiments\/\d+$/, { timeout: 15_000 })
  await page.getByTestId('experiment-detail').waitFor()
  const id = Number(await attr(page, '[data-testid=experiment-detail]', 'data-experiment-id'))
  const stored = (
    await must<{ id: number; preset: string | null; config: Config }[]>(
      base,
      'experiments/list',
      {}
    )
  ).find((e) => e.id === id)
  if (!stored) throw new Error(`experiment ${id} not stored`)
  const edits = Object.entries(fields).map(
    ([f, v]) =>
      f
        .split('.')
        .reduce<unknown>(
          (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
          stored.config
        ) === Number(v)
  )
  check(
    `${presetId}: stored with its preset and the edited fields`,
    stored.preset === presetId && edits.every(Boolean),
    JSON.stringify(fields)
  )
  const listed = await waitUntil(
    async () => (await page.getByTestId(`experiment-row-${id}`).count()) === 1,
    15_000
  )
  check(`${presetId}: the new experiment is listed`, listed)
  return stored
}

/** Presses Start and polls the UI until it shows a final status. */
export async function startAndWatch(
  page: Page,
  base: string,
  label: string,
  config: Config
): Promise<RunRow> {
  await page.evaluate('e2e.watchProgress()')
  await page.getByTestId('run-start').click()
  await page.getByTestId('run-panel').waitFor({ timeout: 15_000 })
  const runId = Number(await attr(page, '[data-testid=run-panel]', 'data-run-id'))
  const started = Date.now()
  let status = ''
  while (Date.now() - started < RUN_TIMEOUT_MS) {
    status = (await attr(page, '[data-testid=run-status]', 'data-status')) ?? ''
    if (['completed', 'failed', 'stopped'].includes(status)) break
    await sleep(50)
  }
  const run = await must<RunRow>(base, 'runs/get', { runId })
  check(
    `${label}: the UI shows the run completed`,
    status === 'completed' && run.status === 'completed',
    `ui=${status} api=${run.status} error=${run.error}`
  )
  const evaluation = isEvaluation(config)
  const total = evaluation ? config.evalEpisodes : totalIterations(config)
  const unit = evaluation ? 'episodes' : 'iterations'
  const done = await attr(page, '[data-testid=run-progress]', 'data-done')
  const progressText = (await page.getByTestId('run-progress-label').textContent()) ?? ''
  check(
    `${label}: progress reads ${total} / ${total} ${unit}`,
    done === String(total) && progressText.startsWith(`${total} / ${total} ${unit}`),
    `"${progressText}"`
  )
  const summary = (await page.getByTestId('experiment-config-summary').textContent()) ?? ''
  const size = evaluation
    ? `${config.evalEpisodes} episodes`
    : `${config.iterations} iterations · ${config.groupsPerIteration} × ${config.groupSize}`
  check(
    `${label}: configuration summary`,
    summary.endsWith(`${config.env} · ${config.algo} · ${size}`),
    `"${summary}"`
  )
  const kernels = (await page.getByTestId('run-kernels').textContent()) ?? ''
  check(
    `${label}: kernels shown`,
    run.kernels !== null ? kernels === run.kernels : evaluation && kernels.startsWith('none'),
    `ui="${kernels}" api=${run.kernels}`
  )
  const backend = (await page.getByTestId('run-backend').textContent()) ?? ''
  check(`${label}: backend shown`, backend === (run.backend ?? '—'), `ui=${backend}`)
  const episodes = await must<{ total: number }>(base, 'episodes/page', { runId, limit: 1 })
  check(
    `${label}: stored episodes match the config`,
    episodes.total === expectedEpisodes(config),
    `${episodes.total} stored, ${expectedEpisodes(config)} expected`
  )
  if (label === 'sokoban-smoke') {
    // The smoke run is watched from its start: the bar must have moved through the middle.
    const log = (await page.evaluate('e2e.progressLog()')) as string[]
    const middle = log.filter((e) => /^running:\d+$/.test(e)).map((e) => Number(e.split(':')[1]))
    check(
      `${label}: progress moved while running`,
      middle.some((d) => d > 0 && d < total),
      log.join(' ')
    )
  }
  return run
}

/** Per iteration: train/eval success rates and mean return equal what the episodes say. */
function metricsMatchEpisodes(
  label: string,
  config: Config,
  points: MetricPoint[],
  episodes: { id: number; iteration: number; phase: string; success: boolean; return: number }[]
): void {
  // HiMAC stores Phase A's groups, then Phase B's; its train/* metrics are Phase B's episodes.
  const rounds =
    config.algo === 'himac' ? (config.himac?.phaseA ?? 1) + (config.himac?.phaseB ?? 1) : 1
  const perRound = config.groupsPerIteration * config.groupSize
  const problems: string[] = []
  const evalIts = new Set(evalIterations(config))
  const cloned = cloneEpochs(config)
  for (const p of points) {
    if (p.iteration < cloned) {
      // A behaviour-cloning epoch: its loss, and the demonstrations stored with the first.
      if (p.values['bc/loss'] === undefined) problems.push(`it ${p.iteration}: no bc/loss`)
      continue
    }
    const allTrain = episodes
      .filter((e) => e.iteration === p.iteration && e.phase === 'train')
      .sort((a, b) => a.id - b.id)
    const train = config.algo === 'himac' ? allTrain.slice(-perRound) : allTrain
    const evals = episodes.filter((e) => e.iteration === p.iteration && e.phase === 'eval')
    const expect = (key: string, value: number): void => {
      const got = p.values[key]
      if (got === undefined || Math.abs(got - value) > 1e-9)
        problems.push(`it ${p.iteration} ${key}=${got} but episodes say ${value}`)
    }
    if (allTrain.length !== perRound * rounds)
      problems.push(`it ${p.iteration}: ${allTrain.length} train episodes`)
    if (train.length > 0) {
      expect('train/success_rate', mean(train.map((e) => (e.success ? 1 : 0))))
      expect('train/mean_return', mean(train.map((e) => e.return)))
    }
    if (evals.length !== (evalIts.has(p.iteration) ? config.evalEpisodes : 0))
      problems.push(`it ${p.iteration}: ${evals.length} eval episodes`)
    if (evals.length > 0) expect('eval/success_rate', mean(evals.map((e) => (e.success ? 1 : 0))))
  }
  check(
    `${label}: logged metrics equal the stored episodes' outcomes`,
    problems.length === 0 && points.length === totalIterations(config),
    problems.slice(0, 4).join('; ') || `${points.length} iterations`
  )
}

export async function checkTrainingValues(
  page: Page,
  base: string,
  label: string,
  runId: number,
  config: Config
): Promise<void> {
  const { points } = await must<{ points: MetricPoint[] }>(base, 'metrics/get', { runId })
  metricsMatchEpisodes(label, config, points, await allEpisodes(base, runId))
  let shownIterations: string | null = null
  const charted = await waitUntil(async () => {
    shownIterations = await attr(page, '[data-testid=metrics-chart]', 'data-iterations')
    return shownIterations === String(totalIterations(config))
  }, 15_000)
  check(
    `${label}: the chart has a point per iteration`,
    charted,
    `${shownIterations}/${totalIterations(config)}`
  )
  for (const key of ['train/success_rate', 'train/mean_return', 'eval/success_rate']) {
    const series = points.flatMap((p) => {
      const v = p.values[key]
      return v === undefined ? [] : [{ iteration: p.iteration, value: v }]
    })
    const last = series[series.length - 1]
    const drawn = await drawnLine(page, `metric-panel-${keyId(key)}`)
    const drawnLast = drawn?.values[drawn.values.length - 1]
    check(
      `${label}: ${key} is drawn through every logged value, ending at the API's`,
      last !== undefined &&
        drawn !== null &&
        drawnLast !== undefined &&
        drawn.vertices === series.length &&
        series.every((s, i) => close(drawn.values[i] ?? NaN, s.value, drawn.span)),
      `last drawn ${drawnLast?.toFixed(4)} api ${last?.value} (${drawn?.vertices} vertices of ${series.length})`
    )
    const latest = await page.getByTestId(`metric-latest-${keyId(key)}`).textContent()
    const want = last ? `${formatNumber(last.value)} @ it ${last.iteration}` : '?'
    check(`${label}: ${key} header shows the latest value`, latest === want, `"${latest}"`)
  }
}

export async function checkEvaluationValues(
  page: Page,
  base: string,
  label: string,
  runId: number,
  config: Config
): Promise<void> {
  const { points } = await must<{ points: MetricPoint[] }>(base, 'metrics/get', { runId })
  const episodes = await allEpisodes(base, runId)
  const values = points[0]?.values ?? {}
  const rate = mean(episodes.map((e) => (e.success ? 1 : 0)))
  check(
    `${label}: one evaluation whose success rate is the episodes'`,
    points.length === 1 &&
      episodes.every((e) => e.phase === 'eval') &&
      values['eval/episodes'] === config.evalEpisodes &&
      Math.abs((values['eval/success_rate'] ?? NaN) - rate) < 1e-9,
    `points=${points.length} rate=${values['eval/success_rate']} episodes say ${rate}`
  )
  await page.getByTestId('evaluation-summary').waitFor()
  const wrongCells: string[] = []
  for (const [key, value] of Object.entries(values)) {
    const text = await page.getByTestId(`summary-value-${keyId(key)}`).textContent()
    if (text !== formatNumber(value)) wrongCells.push(`${key}: "${text}" for ${value}`)
  }
  check(
    `${label}: the summary table shows every value`,
    Object.keys(values).length > 0 && wrongCells.length === 0,
    wrongCells.join('; ')
  )
  const rateKeys = Object.keys(values).filter((k) => k.includes('_rate'))
  const wrongBars: string[] = []
  for (const key of rateKeys) {
    const drawn = await drawnBar(page, `rate-bar-${keyId(key)}`)
    if (drawn === null || !close(drawn, values[key] ?? NaN, 1))
      wrongBars.push(`${key}: drawn ${drawn} api ${values[key]}`)
  }
  const perType = rateKeys.filter((k) => k.startsWith('eval/success_rate/')).length
  check(
    `${label}: rate bars on 0..1 match the API${config.env === 'alfworld' ? ', per task type' : ''}`,
    rateKeys.length > 0 && wrongBars.length === 0 && (config.env !== 'alfworld' || perType >= 2),
    wrongBars.join('; ') || `${rateKeys.length} bars, ${perType} per type`
  )
  const lines = await page.locator('[data-testid^=metric-panel-]').count()
  check(`${label}: no single-point line charts`, lines === 0, `${lines} line panels`)
}
