// How fast the views become usable in Chromium on a large database (issue 15: the runs table, a
// group view and a 50-step replay each < 100 ms): the real web server over HIMAC_FIXTURE_DB
// (scripts/fixture-db.ts, 10^6 episodes) or a fixture it builds, the built renderer, and headless
// Chromium. Each view is entered by an in-app navigation from an empty page; the time runs from the
// hash change to the frame after the view's content is in the DOM (median of 7).
import fs from 'node:fs'
import { loadAverage } from './bench-machine'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWebServer } from '../core/api/http-server'
import { loadPresets } from '../core/api/presets'
import { createWorkbenchService } from '../core/api/service'
import { openDatabase, type StoreReader } from '../core/store'
import { buildFixture } from '../core/train/store-fixture'
import { nodeForkLauncher } from '../core/train/node-launcher'
import { tempDb } from './bench-store'

export const UI_READY_MS_TARGET = 100
const REPEATS = 7

type Page = {
  goto(url: string): Promise<unknown>
  waitForSelector(selector: string, options?: { timeout: number }): Promise<unknown>
  evaluate<R>(expression: string): Promise<R>
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** In the page: set the hash, resolve on the frame after `selector` matches; the elapsed ms. */
const NAVIGATE_AND_WAIT = `({ hash, selector }) => new Promise((resolve, reject) => {
  const t0 = performance.now()
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return
    observer.disconnect()
    requestAnimationFrame(() => resolve(performance.now() - t0))
  })
  observer.observe(document.body, { childList: true, subtree: true, attributes: true })
  setTimeout(() => {
    observer.disconnect()
    reject(new Error(selector + ' did not appear in 20 s'))
  }, 20000)
  window.location.hash = hash
})`

async function timeView(
  page: Page,
  hash: string,
  selector: string
): Promise<{ medianMs: number; ms: number[] }> {
  const ms: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    await page.evaluate(`window.location.hash = '#/bench-blank'`)
    await page.waitForSelector('[data-testid=not-found]', { timeout: 20_000 })
    ms.push(
      await page.evaluate<number>(`(${NAVIGATE_AND_WAIT})(${JSON.stringify({ hash, selector })})`)
    )
  }
  return { medianMs: +median(ms).toFixed(1), ms: ms.map((x) => +x.toFixed(1)) }
}

export async function uiBench(episodes = 100_000): Promise<Record<string, unknown>> {
  const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../out/renderer')
  const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    return { skipped: 'out/renderer is missing: run `npm run build` first' }
  if (!fs.existsSync(chromiumPath)) return { skipped: `no Chromium at ${chromiumPath}` }
  let chromium
  try {
    ;({ chromium } = await import('playwright-core'))
  } catch {
    return { skipped: 'playwright-core is not installed (a dev dependency)' }
  }
  const given = process.env['HIMAC_FIXTURE_DB']
  const { dir, file } = given ? { dir: null, file: given } : tempDb('ui.db')
  let buildSeconds: number | null = null
  try {
    if (!given) {
      const db = openDatabase(file)
      buildSeconds = (await buildFixture(db, { episodes, stepsPerEpisode: 50 })).seconds
      db.close()
    }
    const service = createWorkbenchService({
      dbPath: file,
      launcher: nodeForkLauncher,
      presets: loadPresets()
    })
    const reader = service.reader
    const picks = pickTargets(reader)
    const server = await startWebServer({ service, staticDir: rendererDir, port: 0 })
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
      await page.goto(`${server.loginUrl}#/bench-blank`)
      await page.waitForSelector('[data-testid=not-found]', { timeout: 60_000 })
      const views = {
        runsTable: await timeView(page, '#/runs', '[data-testid^=run-row-]'),
        groupView: await timeView(page, `#/groups/${picks.groupId}`, '[data-testid=group-facts]'),
        replay: await timeView(page, `#/episodes/${picks.episodeId}`, '[data-testid^=step-row-]')
      }
      return {
        target: UI_READY_MS_TARGET,
        fixture: {
          file: given ?? null,
          episodes: reader.countRows('episodes'),
          runs: reader.countRows('runs'),
          buildSeconds
        },
        replaySteps: picks.steps,
        loadavg: loadAverage(),
        views
      }
    } finally {
      await browser.close()
      await server.close()
      await service.close()
    }
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A group of the newest run, and the stored episode whose step count is nearest to 50. */
function pickTargets(reader: StoreReader): { groupId: number; episodeId: number; steps: number } {
  const run = reader.listRunTable()[0]?.run
  if (!run) throw new Error('the fixture has no runs')
  const group = reader.pageGroups({ runId: run.id, offset: 0, limit: 1 }).items[0]
  const episode = reader
    .pageEpisodes(run.id, 0, 50)
    .items.sort((a, b) => Math.abs(a.length - 50) - Math.abs(b.length - 50))[0]
  if (!group || !episode) throw new Error('the fixture run has no groups or episodes')
  return { groupId: group.id, episodeId: episode.id, steps: reader.getSteps(episode.id).length }
}
