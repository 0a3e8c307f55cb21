// End-to-end test of web mode in headless Chromium against the real `himac serve`: a refused and
// a good create, then every preset in resources/presets created in the form, started and watched
// to `completed` through the UI, with the values shown checked against the API and the API's
// metrics against the stored episodes; episodes, replays, stop, writes by `himac train` on the
// served database, layout at two window sizes, and a server restart.
// Usage: node --import tsx test/e2e/run.ts [--only compare|lm-replay|groups|studies|replay|annotations|io|experiments]
//   (needs `npm run build` first; screenshots in test-results/). `--only compare` runs just the
//   runs table and compare flow (test/e2e/compare.ts) on a fresh server; `--only lm-replay` one
//   short ALFWorld LM run and its evaluation replay's candidates (test/e2e/lm-replay.ts);
//   `--only groups` one short ALFWorld HiMAC run and its blueprint group view (test/e2e/groups.ts);
//   `--only studies` a small `himac repro` study and its report page (test/e2e/studies.ts);
//   `--only replay` one short ALFWorld HiMAC run, started through the API, and its hierarchical
//   replay (test/e2e/replay.ts);
//   `--only annotations` labels, the review queue, comments and search on a short HiMAC run,
//   then counterfactual replays of one of its episodes, then a blueprint pinned on a stopped run
//   and resumed (test/e2e/annotations.ts, counterfactual.ts, pins.ts);
//   `--only io` a sokoban-smoke run by `himac train`, then its CSV / JSONL downloads and
//   `himac import` of the JSONL (test/e2e/io.ts).
//   `--only experiments` rename, tags, notes, config edit, duplicate and archive (test/e2e/experiments.ts).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { browseEpisodes, sokobanReplay, textReplay } from './browse'
import { cliWrites } from './cli-writes'
import { studiesReport } from './studies'
import { annotationFlow } from './annotations'
import { counterfactualFlow } from './counterfactual'
import { experimentUpkeep } from './experiments'
import { pinsFlow } from './pins'
import { blueprintGroups } from './groups'
import { hierarchicalReplay } from './replay'
import { runsTableAndCompare } from './compare'
import { exportsAndImport, trainSmokeRun } from './io'
import {
  api,
  check,
  failureEvidence,
  isEvaluation,
  must,
  repoRoot,
  resultsDir,
  shot,
  RUN_TIMEOUT_MS,
  tally,
  waitForAttr,
  waitUntil,
  type Config,
  type Preset,
  type RunRow
} from './harness'
import { layoutAndScreenshots } from './layout'
import { lmCandidatesReplay } from './lm-replay'
import {
  checkEvaluationValues,
  checkTrainingValues,
  createFromForm,
  openNewExperimentForm,
  startAndWatch
} from './runs'
import { startServer, type ServerHandle } from './server'
import { stopRun } from './stop'

const SMOKE = 'sokoban-smoke'
/** Flows that `--only <name>` runs alone. */
const ONLY = [
  'compare',
  'lm-replay',
  'groups',
  'studies',
  'replay',
  'annotations',
  'io',
  'experiments'
] as const
/** The LM preset whose evaluation replay is checked for candidates. */
const LM_REPLAY = 'alfworld-lm-grpo'
/** The HiMAC preset whose groups are browsed in the blueprint group view. */
const HIMAC_GROUPS = 'alfworld-himac'
const only = ((): (typeof ONLY)[number] | null => {
  const i = process.argv.indexOf('--only')
  if (i < 0) return null
  const name = process.argv[i + 1] ?? ''
  if (!(ONLY as readonly string[]).includes(name))
    throw new Error(`--only takes one of: ${ONLY.join(', ')} (got '${name}')`)
  return name as (typeof ONLY)[number]
})()
/** The LM presets' edits: a tiny model, 4 cloned demonstrations, one RL iteration. */
const LM_SHORT: Record<string, string> = {
  iterations: '2',
  groupsPerIteration: '2',
  groupSize: '2',
  evalEvery: '1',
  evalEpisodes: '4',
  'policy.lm.dModel': '32',
  'policy.lm.layers': '1',
  'policy.warmStart.episodes': '4',
  'policy.warmStart.epochs': '1'
}
/** Form edits that keep each preset's run short; the counts are checked against them. */
const SHORTER: Record<string, Record<string, string>> = {
  'sokoban-grpo': {
    iterations: '4',
    groupsPerIteration: '4',
    groupSize: '4',
    evalEvery: '2',
    evalEpisodes: '16'
  },
  'alfworld-expert': { evalEpisodes: '36' },
  'alfworld-random': { evalEpisodes: '24' },
  'alfworld-searcher': { evalEpisodes: '24' },
  'sokoban-lm-grpo': LM_SHORT,
  'sokoban-lm-gigpo': LM_SHORT,
  'sokoban-lm-rloo': LM_SHORT,
  'alfworld-lm-grpo': LM_SHORT,
  'alfworld-lm-gigpo': LM_SHORT,
  'alfworld-lm-rloo': LM_SHORT,
  'webshop-lm-grpo': LM_SHORT,
  'webshop-lm-gigpo': LM_SHORT,
  'webshop-lm-rloo': LM_SHORT,
  'sokoban-himac': LM_SHORT,
  'alfworld-himac': LM_SHORT,
  'webshop-himac': LM_SHORT,
  'webshop-expert': { evalEpisodes: '24' },
  'webshop-random': { evalEpisodes: '20' }
}

/** Console errors the flow provokes on purpose (the refused create, the restart). */
let expectedConsole: RegExp | null = null
/** The step the flow is in, named in page errors. */
let stage = 'start'
const KNOWN_CONSOLE = [/'frame-ancestors' is ignored when delivered via a <meta> element/]

async function refusedCreate(page: Page, base: string): Promise<void> {
  await openNewExperimentForm(page)
  await page.getByTestId('field-preset').selectOption(SMOKE)
  await shot(page, '1-new-experiment')
  await page.getByTestId('field-name').fill('e2e bad')
  await page.getByTestId('field-iterations').fill('0')
  expectedConsole = /status of 400/
  await page.getByTestId('create-submit').click()
  const formError = page.getByTestId('form-error')
  await formError.waitFor({ timeout: 15_000 })
  expectedConsole = null
  const field = await formError.getAttribute('data-field')
  const text = (await formError.textContent()) ?? ''
  check(
    'bad create shows an error naming the field',
    field === 'config.iterations' && text.includes('iterations'),
    `field=${field} text="${text}"`
  )
  const after = await must<unknown[]>(base, 'experiments/list', {})
  check('bad create created nothing', after.length === 0, `experiments=${after.length}`)
  await shot(page, '2-validation-error')
}

/**
 * The server restarts on the same port and database: the UI shows the lost event stream, then
 * reconnects and refetches, and lists an experiment added while it was down.
 */
async function restart(page: Page, server: ServerHandle, dbPath: string): Promise<ServerHandle> {
  await page.getByTestId('nav-experiments').click()
  await page.getByTestId('experiments-list').waitFor()
  // Only here may the browser see a dropped connection, a cut-off event stream, or an empty
  // answer to the event stream's reconnect while the server shuts down.
  expectedConsole =
    /ERR_CONNECTION_(REFUSED|RESET)|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_EMPTY_RESPONSE/
  await server.stop()
  await waitForAttr(page, '[data-testid=connection]', 'data-state', 'down', 30_000)
  const downText = (await page.getByTestId('connection').textContent()) ?? ''
  check('lost event stream is shown', downText.includes('reconnecting'), `"${downText}"`)
  const side = await startServer(repoRoot, dbPath)
  const preset = (await must<Preset[]>(side.url, 'presets/list', {})).find((p) => p.id === SMOKE)
  const added = await must<{ id: number }>(side.url, 'experiments/create', {
    name: 'e2e added offline',
    preset: SMOKE,
    config: preset?.config
  })
  await side.stop()
  const port = Number(new URL(server.url).port)
  // The same token: the page's session cookie stays valid, as for a user who restarts with it.
  const again = await startServer(repoRoot, dbPath, port, server.token)
  await waitForAttr(page, '[data-testid=connection]', 'data-state', 'reopened', 60_000)
  const listed = await waitUntil(
    async () => (await page.getByTestId(`experiment-row-${added.id}`).count()) === 1,
    30_000
  )
  expectedConsole = null
  const rows = await page.locator('[data-testid^=experiment-row-]').count()
  const stored = (await must<unknown[]>(again.url, 'experiments/list', {})).length
  check(
    'after a server restart the UI reconnects and refetches',
    listed && rows === stored,
    `${rows} experiments listed, ${stored} stored`
  )
  return again
}

/**
 * A short HiMAC run created and started through the API (no form: `--only replay` needs just its
 * episodes), watched to `completed`; its run id.
 */
/** The HiMAC preset's config with the form edits applied (numbers only). */
async function himacConfig(
  base: string,
  edits: Record<string, string>
): Promise<Record<string, unknown>> {
  const preset = (await must<Preset[]>(base, 'presets/list', {})).find((p) => p.id === HIMAC_GROUPS)
  if (!preset) throw new Error(`the ${HIMAC_GROUPS} preset is not served`)
  const config = structuredClone(preset.config) as Record<string, unknown>
  for (const [key, value] of Object.entries(edits)) {
    const parts = key.split('.')
    let at = config
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>
    at[parts[parts.length - 1]!] = Number(value)
  }
  return config
}

async function startHimacRun(base: string, edits: Record<string, string>): Promise<number> {
  const config = await himacConfig(base, edits)
  const created = await must<{ id: number }>(base, 'experiments/create', {
    name: `e2e ${HIMAC_GROUPS} replay`,
    preset: HIMAC_GROUPS,
    config
  })
  const run = await must<RunRow>(base, 'experiments/start', { experimentId: created.id })
  let last: RunRow = run
  const done = await waitUntil(
    async () => {
      last = await must<RunRow>(base, 'runs/get', { runId: run.id })
      return last.status !== 'queued' && last.status !== 'running'
    },
    RUN_TIMEOUT_MS,
    250
  )
  if (!done || last.status !== 'completed')
    throw new Error(`HiMAC run ${run.id}: ${last.status} ${last.error ?? ''}`)
  return run.id
}

async function main(): Promise<void> {
  const began = Date.now()
  fs.mkdirSync(resultsDir, { recursive: true })
  if (!fs.existsSync(path.join(repoRoot, 'out/renderer/index.html'))) {
    throw new Error('out/renderer/index.html missing: run `npm run build` first')
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-e2e-'))
  const dbPath = path.join(tmp, 'e2e.db')
  let server: ServerHandle | undefined
  let browser: Browser | undefined
  let shown: Page | undefined
  const pageErrors: string[] = []
  try {
    server = await startServer(repoRoot, dbPath)
    const base = server.url
    console.log(`server at ${base}`)
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    })
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    shown = page
    page.setDefaultTimeout(20_000)
    await page.addInitScript({ path: path.join(repoRoot, 'test/e2e/in-page.js') })
    page.on('pageerror', (err) => pageErrors.push(`[${stage}] ${err.message}`))
    page.on('console', (msg) => {
      const text = msg.text()
      if (msg.type() !== 'error' || KNOWN_CONSOLE.some((re) => re.test(text))) return
      if (expectedConsole?.test(text)) return
      pageErrors.push(`[${stage}] console: ${text}`)
    })
    // The printed URL logs the browser in (a session cookie), then redirects to the clean URL.
    await page.goto(`${base}/?token=${server.token}#/experiments`)
    check(
      'the token URL redirects to the clean URL',
      page.url() === `${base}/#/experiments`,
      page.url()
    )
    if (only === 'compare') {
      stage = 'runs table and compare'
      const shots = await runsTableAndCompare(page, base)
      console.log(`screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'lm-replay') {
      stage = 'LM replay'
      const created = await createFromForm(page, base, LM_REPLAY, `e2e ${LM_REPLAY}`, LM_SHORT)
      const run = await startAndWatch(page, base, LM_REPLAY, created.config)
      await lmCandidatesReplay(page, base, run.id)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'groups') {
      stage = 'blueprint groups'
      const edits = { ...LM_SHORT, groupSize: '3' }
      const created = await createFromForm(page, base, HIMAC_GROUPS, `e2e ${HIMAC_GROUPS}`, edits)
      const run = await startAndWatch(page, base, HIMAC_GROUPS, created.config)
      await blueprintGroups(page, base, run.id, dbPath)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'replay') {
      stage = 'hierarchical replay'
      const run = await startHimacRun(base, { ...LM_SHORT, iterations: '1', groupSize: '3' })
      const began = Date.now()
      const shots = await hierarchicalReplay(page, base, run, dbPath)
      console.log(`replay flow: ${Math.round((Date.now() - began) / 1000)} s`)
      console.log(`screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'annotations') {
      stage = 'annotations'
      const created = await createFromForm(
        page,
        base,
        HIMAC_GROUPS,
        `e2e ${HIMAC_GROUPS}`,
        LM_SHORT
      )
      const run = await startAndWatch(page, base, HIMAC_GROUPS, created.config)
      const shots = await annotationFlow(
        page,
        base,
        created.id,
        run.id,
        (re) => (expectedConsole = re)
      )
      stage = 'counterfactual'
      shots.push(...(await counterfactualFlow(page, base, run.id, (re) => (expectedConsole = re))))
      stage = 'pins'
      shots.push(...(await pinsFlow(page, base, await himacConfig(base, LM_SHORT))))
      console.log(`screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'experiments') {
      stage = 'experiment upkeep'
      const shots = await experimentUpkeep(page, base, (re) => (expectedConsole = re))
      console.log(`screenshots: ${shots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'studies') {
      stage = 'studies'
      console.log(`screenshot: ${path.relative(repoRoot, await studiesReport(page, base, dbPath))}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    if (only === 'io') {
      stage = 'export and import'
      const runId = await trainSmokeRun(base, dbPath)
      const file = await exportsAndImport(page, base, dbPath, runId)
      console.log(`screenshot: ${path.relative(repoRoot, file)}`)
      check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
      return
    }
    const presets = await must<Preset[]>(base, 'presets/list', {})
    check(
      'every preset has form edits that keep its e2e run short',
      presets.every((p) => p.id === SMOKE || SHORTER[p.id] !== undefined),
      presets.map((p) => p.id).join(', ')
    )

    stage = 'refused create'
    await refusedCreate(page, base)
    // The smoke preset as it is: watched from its start, then its episodes and a replay.
    stage = 'smoke run'
    const smoke = await createFromForm(page, base, SMOKE, 'e2e smoke', {})
    const smokeRun = await startAndWatch(page, base, SMOKE, smoke.config)
    await shot(page, '4-run-done')
    await checkTrainingValues(page, base, SMOKE, smokeRun.id, smoke.config)
    await page.getByTestId('metric-toggle-train-entropy').check()
    check(
      'metric toggle adds a chart',
      (await page.getByTestId('metric-panel-train-entropy').count()) === 1
    )
    const episodeId = await browseEpisodes(page, base, smokeRun.id)
    await sokobanReplay(page, base, episodeId)
    stage = 'stop'
    await stopRun(page, base, smoke.id)

    stage = 'presets'
    const runs = new Map<string, { experimentId: number; runId: number; config: Config }>()
    for (const preset of presets.filter((p) => p.id !== SMOKE)) {
      const created = await createFromForm(
        page,
        base,
        preset.id,
        `e2e ${preset.id}`,
        SHORTER[preset.id] ?? {}
      )
      const run = await startAndWatch(page, base, preset.id, created.config)
      if (!isEvaluation(created.config)) {
        await checkTrainingValues(page, base, preset.id, run.id, created.config)
      } else {
        await checkEvaluationValues(page, base, preset.id, run.id, created.config)
      }
      runs.set(preset.id, { experimentId: created.id, runId: run.id, config: created.config })
    }

    const alfworld = runs.get('alfworld-expert')
    const webshop = runs.get('webshop-expert')
    if (!alfworld || !webshop) throw new Error('the expert presets are not served')
    stage = 'text replays'
    const alfworldEpisode = await textReplay(page, base, 'alfworld', alfworld.runId)
    await shot(page, '9-alfworld-replay')
    const webshopEpisode = await textReplay(page, base, 'webshop', webshop.runId)
    await shot(page, '9-webshop-replay')
    const lm = runs.get(LM_REPLAY)
    if (!lm) throw new Error(`the ${LM_REPLAY} preset is not served`)
    await lmCandidatesReplay(page, base, lm.runId)
    stage = 'blueprint groups'
    const himac = runs.get(HIMAC_GROUPS)
    if (!himac) throw new Error(`the ${HIMAC_GROUPS} preset is not served`)
    await blueprintGroups(page, base, himac.runId, dbPath)
    stage = 'hierarchical replay'
    const replayShots = await hierarchicalReplay(page, base, himac.runId, dbPath)
    console.log(`screenshots: ${replayShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    stage = 'annotations'
    const annotationShots = await annotationFlow(
      page,
      base,
      himac.experimentId,
      himac.runId,
      (re) => (expectedConsole = re)
    )
    console.log(`screenshots: ${annotationShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    stage = 'counterfactual'
    const cfShots = await counterfactualFlow(
      page,
      base,
      himac.runId,
      (re) => (expectedConsole = re)
    )
    console.log(`screenshots: ${cfShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    stage = 'pins'
    const pinShots = await pinsFlow(page, base, await himacConfig(base, LM_SHORT))
    console.log(`screenshots: ${pinShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)

    stage = 'himac train'
    await cliWrites(page, base, dbPath)
    stage = 'studies'
    console.log(`screenshot: ${path.relative(repoRoot, await studiesReport(page, base, dbPath))}`)
    stage = 'layout'
    const files = await layoutAndScreenshots(page, base, {
      trainingExperimentId: smoke.id,
      evaluationExperimentId: alfworld.experimentId,
      trainingRunId: smokeRun.id,
      webshopEpisodeId: webshopEpisode,
      alfworldEpisodeId: alfworldEpisode
    })
    console.log(`screenshots: ${files.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    stage = 'runs table and compare'
    const compareShots = await runsTableAndCompare(page, base)
    console.log(`screenshots: ${compareShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    // Adds an experiment ('e2e imported'): after the flows that count experiments and runs.
    stage = 'export and import'
    const ioShot = await exportsAndImport(page, base, dbPath, smokeRun.id)
    console.log(`screenshot: ${path.relative(repoRoot, ioShot)}`)
    stage = 'experiment upkeep'
    const upkeepShots = await experimentUpkeep(page, base, (re) => (expectedConsole = re))
    console.log(`screenshots: ${upkeepShots.map((f) => path.relative(repoRoot, f)).join(' ')}`)
    stage = 'restart'
    server = await restart(page, server, dbPath)
    check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '))
    // An unknown command still answers as data (keeps `api` honest about errors).
    const unknown = await api<unknown>(server.url, 'runs/nope', {})
    check('an unknown command is an error, not a crash', unknown.error?.type === 'NotFound')
  } catch (err) {
    check(
      'e2e flow ran to the end',
      false,
      err instanceof Error ? (err.stack ?? err.message) : String(err)
    )
    if (pageErrors.length) console.log(`page errors: ${pageErrors.join(' | ')}`)
    if (shown) await failureEvidence(shown)
  } finally {
    await browser?.close().catch(() => undefined)
    await server?.stop()
    if (tally.failed > 0 && server) console.log(`server output:\n${server.output().slice(-3000)}`)
    fs.rmSync(tmp, { recursive: true, force: true })
    console.log(
      `e2e: ${tally.passed} passed, ${tally.failed} failed (${Math.round((Date.now() - began) / 1000)} s)`
    )
    process.exitCode = tally.failed > 0 ? 1 : 0
  }
}

await main()
