// The episodes list of a run and step-by-step replays (Sokoban grid, ALFWorld and WebShop text
// views with their blueprints).
import type { Page } from 'playwright-core'
import { attr, check, must, shot, waitForAttr, type EpisodeRow } from './harness'

type Items = { total: number; items: EpisodeRow[] }

/** Opens the run's episodes from its detail page, checks totals and filters, opens a replay. */
export async function browseEpisodes(page: Page, base: string, runId: number): Promise<number> {
  await page.getByTestId('open-episodes').click()
  await page.waitForURL(new RegExp(`#/runs/${runId}/episodes$`))
  await page.locator('[data-testid^=episode-row-]').first().waitFor({ timeout: 15_000 })
  const all = await must<Items>(base, 'episodes/page', { runId, limit: 1 })
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(all.total))
  const rendered = await page.locator('[data-testid^=episode-row-]').count()
  check(
    'episode table is virtualised',
    all.total > 60 && rendered > 0 && rendered < Math.min(all.total, 200),
    `${rendered} rows in the DOM of ${all.total}`
  )
  await shot(page, '5-episodes')

  await page.getByTestId('filter-phase').selectOption('eval')
  const evals = await must<Items>(base, 'episodes/page', { runId, limit: 1, phase: 'eval' })
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(evals.total))
  check(
    'phase filter narrows the list to the eval episodes',
    evals.total > 0 && evals.total < all.total,
    `eval ${evals.total} of ${all.total}`
  )
  await page.getByTestId('filter-phase').selectOption('')
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(all.total))

  // A solved episode through the success filter (the smoke run solves some), the longest shown.
  const solved = await must<Items>(base, 'episodes/page', { runId, limit: 10, success: true })
  check('the run solved some episodes', solved.total > 0, `${solved.total} solved`)
  await page.getByTestId('filter-success').selectOption('true')
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(solved.total))
  const rows = await page.locator('[data-testid^=episode-row-]').count()
  const unsolved = await page.locator('[data-testid^=episode-row-]:not(.ok)').count()
  check(
    'success filter shows only solved episodes',
    rows > 0 && unsolved === 0,
    `${rows} rows, ${unsolved} unsolved`
  )
  const target = [...solved.items].sort((a, b) => b.length - a.length)[0]
  if (!target) throw new Error('no solved episode')
  await page.getByTestId(`episode-row-${target.id}`).click()
  await page.waitForURL(new RegExp(`#/episodes/${target.id}(\\?|$)`))
  return target.id
}

type SokobanStep = { t: number; action: string; view: { room: number[][] } }

export async function sokobanReplay(page: Page, base: string, episodeId: number): Promise<void> {
  const grid = page.getByTestId('sokoban-grid')
  await grid.waitFor({ timeout: 15_000 })
  const { steps } = await must<{ steps: SokobanStep[] }>(base, 'episodes/steps', { episodeId })
  const expected = steps.map((s) => s.view.room.map((r) => r.join('')).join('/'))
  const room = async (): Promise<string> => (await grid.getAttribute('data-room')) ?? ''
  check(
    'grid shows the state before the first action',
    expected.length > 1 && (await room()) === expected[0],
    `steps=${expected.length}`
  )
  check(
    'grid has a cell per room square',
    (await grid.locator('g[data-code]').count()) === (expected[0]?.replace(/\//g, '').length ?? -1)
  )
  await shot(page, '6-replay-start')

  await page.locator('h2').first().click()
  // A solved episode ends with a pushed box, so its rooms differ; step at least to the first
  // change (early actions may bump into walls and leave the room as it was).
  const firstChange = expected.findIndex((r) => r !== expected[0])
  const presses = Math.min(expected.length - 1, Math.max(5, firstChange))
  let gridMatches = true
  const roomsSeen = new Set([await room()])
  for (let k = 1; k <= presses; k++) {
    await page.keyboard.press('ArrowRight')
    await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(k), 5_000)
    const r = await room()
    gridMatches &&= r === expected[k]
    roomsSeen.add(r)
  }
  const index = Number(await attr(page, '[data-testid=step-index]', 'data-step'))
  const slider = await page.getByTestId('step-slider').inputValue()
  check(
    '→ advances the step index and slider',
    presses > 0 && index === presses && slider === String(presses),
    `index=${index} slider=${slider}`
  )
  check('grid follows the recorded steps', gridMatches)
  check(
    'grid changed while stepping',
    roomsSeen.size === new Set(expected.slice(0, presses + 1)).size && roomsSeen.size > 1,
    `${roomsSeen.size} distinct rooms`
  )
  const selected = await page.locator(`[data-testid=step-row-${presses}].selected`).count()
  check('step table highlights the current step', selected === 1)
  const want = steps[presses]?.action ?? ''
  const caption = page.getByTestId('chosen-action')
  const action = (await caption.count()) > 0 ? await caption.textContent() : null
  check(
    'caption names the action taken at this step',
    want !== '' && action === want,
    `ui=${action} api=${want}`
  )
  await shot(page, '7-replay-stepped')

  await page.keyboard.press('ArrowLeft')
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(presses - 1), 5_000)
  check('← steps back', (await room()) === expected[presses - 1])
}

type TextStep = {
  action: string
  subgoalIndex: number | null
  subDone: boolean
}

/** A reference-expert episode: text view, blueprint with the active subgoal, 1-based numbers. */
export async function textReplay(
  page: Page,
  base: string,
  env: 'alfworld' | 'webshop',
  runId: number
): Promise<number> {
  const { items } = await must<Items>(base, 'episodes/page', { runId, limit: 50, success: true })
  const target = [...items].sort((a, b) => b.length - a.length)[0]
  if (!target) throw new Error(`${env}: no solved expert episode`)
  await page.goto(`${base}/#/episodes/${target.id}`)
  await page.getByTestId(`${env}-view`).waitFor({ timeout: 15_000 })
  const { steps } = await must<{ steps: TextStep[] }>(base, 'episodes/steps', {
    episodeId: target.id
  })
  await page.locator('h2').first().click()
  const before = (await page.getByTestId('observation').textContent()) ?? ''
  const problems: string[] = []
  const last = Math.min(steps.length - 2, 4)
  for (let k = 0; k <= last; k++) {
    if (k > 0) {
      await page.keyboard.press('ArrowRight')
      await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(k), 5_000)
    }
    const sub = steps[k]?.subgoalIndex
    if (sub === null || sub === undefined) {
      problems.push(`step ${k} has no subgoal`)
      continue
    }
    const n = sub + 1
    const active = await page.locator('[data-testid=blueprint] li[data-active=true]').count()
    const marked = await attr(page, `[data-testid=blueprint-${n}]`, 'data-active')
    const banner = (await page.getByTestId('active-subgoal').textContent()) ?? ''
    const cell = (await page.getByTestId(`step-subgoal-${k}`).textContent()) ?? ''
    if (active !== 1 || marked !== 'true') problems.push(`step ${k}: blueprint ${n} not marked`)
    if (!banner.startsWith(`subgoal ${n} / ${target.blueprint?.length}`))
      problems.push(`step ${k}: banner "${banner}"`)
    if (cell.replace('✓', '') !== String(n)) problems.push(`step ${k}: sub column "${cell}"`)
  }
  check(
    `${env} replay marks the active subgoal, numbered from 1 everywhere`,
    last >= 1 && problems.length === 0,
    problems.slice(0, 3).join('; ')
  )
  const chosen = page.locator('[data-testid=admissible-actions] li[data-chosen=true]')
  check(`${env} replay marks the chosen action`, (await chosen.count()) === 1)
  const after = (await page.getByTestId('observation').textContent()) ?? ''
  check(`${env} observation changes when stepping`, before.length > 0 && after !== before)
  return target.id
}
