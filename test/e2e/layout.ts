// Screenshots of the main pages at a desktop and a small window, and the layout faults seen in
// them checked in the DOM: clipped badges, y ticks past the card, wrapped chart headers, missing
// axis titles, a step table pushed wide, a list pane that stops halfway down.
import type { Page } from 'playwright-core'
import { check, shot } from './harness'

export type LayoutTargets = {
  trainingExperimentId: number
  evaluationExperimentId: number
  trainingRunId: number
  webshopEpisodeId: number
  alfworldEpisodeId: number
}

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 }
]

async function visit(page: Page, base: string, hash: string, ready: string): Promise<void> {
  await page.goto(`${base}/${hash}`)
  await page.locator(ready).first().waitFor({ timeout: 15_000 })
  // Charts measure their container after the first layout.
  await page.waitForFunction(
    `document.querySelectorAll('.recharts-responsive-container .recharts-wrapper').length ===
      document.querySelectorAll('.recharts-responsive-container').length`
  )
}

export async function layoutAndScreenshots(
  page: Page,
  base: string,
  t: LayoutTargets
): Promise<string[]> {
  const pages = [
    { name: 'experiments', hash: '#/experiments', ready: '[data-testid=new-experiment-form]' },
    {
      name: 'experiment-charts',
      hash: `#/experiments/${t.trainingExperimentId}`,
      ready: '[data-testid=metric-panel-train-success_rate] .recharts-line-curve'
    },
    {
      name: 'experiment-evaluation',
      hash: `#/experiments/${t.evaluationExperimentId}`,
      ready: '[data-testid=rate-bars] rect[data-testid^=rate-bar-]'
    },
    {
      name: 'episodes',
      hash: `#/runs/${t.trainingRunId}/episodes`,
      ready: '[data-testid^=episode-row-]'
    },
    {
      name: 'webshop-replay',
      hash: `#/episodes/${t.webshopEpisodeId}`,
      ready: '[data-testid=webshop-view]'
    },
    {
      name: 'alfworld-replay',
      hash: `#/episodes/${t.alfworldEpisodeId}`,
      ready: '[data-testid=alfworld-view]'
    }
  ]
  const files: string[] = []
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport)
    for (const p of pages) {
      await visit(page, base, p.hash, p.ready)
      if (p.name === 'experiment-charts') {
        // The big numbers whose tick labels used to spill over the card's edge.
        await page.getByTestId('metric-toggle-perf-env_steps_per_s').check()
        await page.getByTestId('metric-toggle-train-loss').check()
        await page
          .locator('[data-testid=metric-panel-perf-env_steps_per_s] .recharts-line-curve')
          .waitFor()
      }
      const problems = (await page.evaluate('e2e.layoutProblems()')) as string[]
      check(
        `layout at ${viewport.width}×${viewport.height}: ${p.name}`,
        problems.length === 0,
        problems.slice(0, 4).join('; ')
      )
      if (p.name === 'webshop-replay') {
        const cut = (await page.evaluate('e2e.truncatedActions()')) as string[]
        check(
          `layout at ${viewport.width}×${viewport.height}: a long search action is cut short, whole in its title`,
          cut.some((a) => a.startsWith('search[') && a.length > 40),
          JSON.stringify(cut)
        )
      }
      files.push(await shot(page, `layout-${viewport.width}-${p.name}`))
    }
  }
  await page.setViewportSize(VIEWPORTS[0] ?? { width: 1440, height: 900 })
  return files
}
