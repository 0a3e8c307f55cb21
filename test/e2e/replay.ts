// The hierarchical replay of a HiMAC run at 1024 × 700: reached from the episodes page filtered
// by its URL; segment headers against the stored subgoal segments (groups/get), folding by click
// and by key, ↑ / ↓ to segment starts, the URL following the step (no history entries), a `?t=`
// deep link through a reload, j / k through the filtered list (ids from episodes/page) and
// through a group's members, the shortcuts overlay, the dark theme kept over a reload and the
// system's preference followed, and a 500-step episode written through the store's writer
// stepping with only the rows in view in the DOM.
import type { Page } from 'playwright-core'
import { openDatabase, StoreWriter } from '../../core/store'
import type { StepRecord } from '../../core/store/records'
import { attr, check, must, shot, shownCandidates, waitForAttr, waitUntil } from './harness'

type Episode = { id: number; groupId: number | null; length: number }
type Items = { total: number; items: Episode[] }
type Segment = {
  index: number
  steps: number
  firstT: number | null
  end: 'sub_done' | 'fallback' | 'episode_end' | 'not_reached'
}
type Member = { episodeId: number; memberIndex: number; segments: Segment[] }
type Detail = { members: Member[] }
type StepT = { t: number }

const VIEW = { width: 1024, height: 700 }

const step = async (page: Page): Promise<number> =>
  Number(await attr(page, '[data-testid=step-index]', 'data-step'))

const urlParam = (page: Page, name: string): string | null =>
  new URLSearchParams(page.url().split('#')[1]?.split('?')[1] ?? '').get(name)

/** A train episode of the run (not first or last in the list) with the most non-empty segments. */
async function pickTarget(
  base: string,
  runId: number
): Promise<{ position: number; episode: Episode; segments: Segment[]; groupId: number }> {
  const listed = await must<Items>(base, 'episodes/page', { runId, phase: 'train', limit: 500 })
  const details = new Map<number, Detail>()
  let best: { position: number; episode: Episode; segments: Segment[]; groupId: number } | null =
    null
  for (const [position, e] of listed.items.entries()) {
    if (position === 0 || position >= Math.min(listed.items.length - 1, 15) || e.groupId === null)
      continue
    const detail =
      details.get(e.groupId) ?? (await must<Detail>(base, 'groups/get', { groupId: e.groupId }))
    details.set(e.groupId, detail)
    const segments = detail.members.find((m) => m.episodeId === e.id)?.segments ?? []
    const filled = (s: Segment[]): number => s.filter((x) => x.steps > 0).length
    if (!best || filled(segments) > filled(best.segments))
      best = { position, episode: e, segments, groupId: e.groupId }
  }
  if (!best || best.segments.filter((s) => s.steps > 0).length < 2)
    throw new Error(`HiMAC run ${runId}: no train episode with two subgoal segments`)
  return best
}

async function segmentHeaders(page: Page, stored: Segment[], steps: StepT[]): Promise<void> {
  const problems: string[] = []
  for (const [i, s] of stored.entries()) {
    const header = page.getByTestId(`segment-header-${i}`)
    await header.scrollIntoViewIfNeeded()
    const shown = await header.evaluate((el) => ({
      subgoal: el.getAttribute('data-subgoal'),
      steps: Number(el.getAttribute('data-steps')),
      end: el.getAttribute('data-end'),
      first: el.getAttribute('data-first')
    }))
    const firstT = shown.first === '' ? null : (steps[Number(shown.first)]?.t ?? -1)
    if (
      shown.subgoal !== String(s.index) ||
      shown.steps !== s.steps ||
      shown.end !== s.end ||
      (s.steps > 0 && firstT !== s.firstT)
    )
      problems.push(`segment ${i}: ${JSON.stringify(shown)} vs ${JSON.stringify(s)}`)
    if (s.steps === 0) continue
    // A click folds it: its rows leave the DOM.
    await header.click()
    await waitForAttr(page, `[data-testid=segment-header-${i}]`, 'data-collapsed', 'true', 5_000)
    const left = await page.locator(`[data-testid^=step-row-][data-segment="${i}"]`).count()
    if (left !== 0) problems.push(`segment ${i}: ${left} rows left after folding`)
  }
  check(
    'replay: one header per stored subgoal segment (subgoal, steps, ending, first step)',
    problems.length === 0,
    problems.slice(0, 2).join('; ')
  )
  const headers = await page.locator('[data-testid^=segment-header-]').count()
  check(
    'replay: folding every segment leaves the headers only',
    headers === stored.length && (await page.locator('[data-testid^=step-row-]').count()) === 0,
    `${headers} headers`
  )
  await shot(page, 'replay-folded')
  // Last first: unfolding a segment pushes the ones below it out of view (and out of the DOM).
  for (const [i, s] of [...stored.entries()].reverse()) {
    if (s.steps === 0) continue
    await page.getByTestId(`segment-header-${i}`).click()
    await waitForAttr(page, `[data-testid=segment-header-${i}]`, 'data-collapsed', 'false', 5_000)
  }
}

async function keys(page: Page, stored: Segment[]): Promise<void> {
  await page.locator('h2').first().click()
  const starts = stored.filter((s) => s.steps > 0).map((s) => s.firstT ?? -1)
  const history = (await page.evaluate('history.length')) as number
  const seen: number[] = [await step(page)]
  for (let i = 1; i < starts.length; i++) {
    await page.keyboard.press('ArrowDown')
    await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(starts[i]), 5_000)
    seen.push(await step(page))
  }
  for (let i = starts.length - 2; i >= 0; i--) {
    await page.keyboard.press('ArrowUp')
    await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(starts[i]), 5_000)
    seen.push(await step(page))
  }
  check(
    '↓ / ↑ move to the segments’ first steps',
    JSON.stringify(seen) === JSON.stringify([...starts, ...starts.slice(0, -1).reverse()]),
    `${seen.join(',')} for starts ${starts.join(',')}`
  )
  // The URL follows the step, replacing its entry.
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowRight')
  const at = String((starts[1] ?? 0) + 1)
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', at, 5_000)
  const followed = await waitUntil(() => urlParam(page, 't') === at, 5_000)
  check(
    'the URL follows the selected step without adding history entries',
    followed && (await page.evaluate('history.length')) === history,
    page.url()
  )
  const current = Number(
    await attr(page, `[data-testid=step-row-${at}]`, 'data-segment').then((s) => s ?? -1)
  )
  await page.keyboard.press('c')
  await waitForAttr(page, `[data-testid=segment-header-${current}]`, 'data-collapsed', 'true')
  const hidden = await page.locator(`[data-testid^=step-row-][data-segment="${current}"]`).count()
  await page.keyboard.press('c')
  await waitForAttr(page, `[data-testid=segment-header-${current}]`, 'data-collapsed', 'false')
  const back = await page.locator(`[data-testid=step-row-${at}].selected`).count()
  check('c folds and unfolds the current segment', hidden === 0 && back === 1)
}

async function deepLink(page: Page, base: string, id: number, t: number): Promise<void> {
  await page.goto(`${base}/#/episodes/${id}?t=${t}`)
  await page.reload()
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(t))
  const selected = await page.locator(`[data-testid=step-row-${t}].selected`).count()
  await page.locator('h2').first().click()
  await page.keyboard.press('ArrowRight')
  const moved = await waitUntil(() => urlParam(page, 't') === String(t + 1), 5_000)
  await page.reload()
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(t + 1))
  check(
    '?t= opens at that step, the step shows in the list, and a reload keeps the step moved to',
    selected === 1 && moved,
    page.url()
  )
  // "copy link" names the step on screen at once (the URL follows only once stepping pauses).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  await page.locator('h2').first().click()
  await page.keyboard.press('ArrowRight')
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(t + 2))
  await page.getByTestId('copy-link').click()
  await page.getByTestId('copy-link').filter({ hasText: 'copied' }).waitFor({ timeout: 5_000 })
  const copied = (await page.evaluate('navigator.clipboard.readText()')) as string
  check(
    'copy link copies the link to the step on screen',
    copied === `${base}/#/episodes/${id}?t=${t + 2}`,
    copied
  )
}

async function episodeKeys(
  page: Page,
  base: string,
  runId: number,
  target: { position: number; episode: Episode; groupId: number }
): Promise<void> {
  const { position, episode } = target
  const [next, prev] = await Promise.all(
    [position + 1, position - 1].map(
      async (offset) =>
        (await must<Items>(base, 'episodes/page', { runId, phase: 'train', offset, limit: 1 }))
          .items[0]?.id
    )
  )
  await page.goto(`${base}/#/episodes/${episode.id}?run=${runId}&phase=train&offset=${position}`)
  await waitForAttr(page, '[data-testid=episode-next]', 'data-episode', String(next))
  await page.locator('h2').first().click()
  await page.keyboard.press('j')
  await page.waitForURL(new RegExp(`#/episodes/${next}\\?`))
  const nextOffset = urlParam(page, 'offset')
  await waitForAttr(page, '[data-testid=episode-prev]', 'data-episode', String(episode.id))
  await page.locator('h2').first().click()
  await page.keyboard.press('k')
  await page.waitForURL(new RegExp(`#/episodes/${episode.id}\\?`))
  await waitForAttr(page, '[data-testid=episode-prev]', 'data-episode', String(prev))
  await page.locator('h2').first().click()
  await page.keyboard.press('k')
  await page.waitForURL(new RegExp(`#/episodes/${prev}\\?`))
  check(
    'j / k open the next / previous episode of the filtered list (episodes/page)',
    nextOffset === String(position + 1) &&
      urlParam(page, 'phase') === 'train' &&
      urlParam(page, 'offset') === String(position - 1),
    page.url()
  )
  // Typing in a field is not a shortcut.
  await page.goto(`${base}/#/runs/${runId}/episodes?phase=train`)
  await page.getByTestId('filter-phase').focus()
  await page.keyboard.press('j')
  check('keys typed into a field are not shortcuts', page.url().includes(`/runs/${runId}/`))

  const detail = await must<Detail>(base, 'groups/get', { groupId: target.groupId })
  const order = [...detail.members].sort((a, b) => a.memberIndex - b.memberIndex)
  const at = order.findIndex((m) => m.episodeId === episode.id)
  const key = at + 1 < order.length ? 'j' : 'k'
  const want = order[key === 'j' ? at + 1 : at - 1]?.episodeId
  await page.goto(`${base}/#/episodes/${episode.id}?group=${target.groupId}`)
  await page.getByTestId('list-position').filter({ hasText: 'of' }).waitFor()
  await page.locator('h2').first().click()
  await page.keyboard.press(key)
  const moved = await waitUntil(
    () => page.url().includes(`#/episodes/${want}?group=${target.groupId}`),
    10_000
  )
  check(`${key} walks the group’s members in member order`, moved, page.url())
}

async function overlay(page: Page): Promise<void> {
  await page.locator('h2').first().click()
  await page.keyboard.press('?')
  await page.getByTestId('shortcuts-overlay').waitFor({ timeout: 5_000 })
  const listed = (await page.getByTestId('shortcuts-overlay').textContent()) ?? ''
  await shot(page, 'replay-shortcuts')
  await page.keyboard.press('Escape')
  await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached', timeout: 5_000 })
  await page.getByTestId('shortcuts-button').click()
  const byButton = await page.getByTestId('shortcuts-overlay').count()
  await page.getByTestId('shortcuts-close').click()
  check(
    '? and the nav button open the shortcuts overlay, Esc closes it',
    byButton === 1 && ['j / k', '↑ / ↓', '← / →'].every((k) => listed.includes(k)),
    listed.slice(0, 80)
  )
}

const background = (page: Page): Promise<string> =>
  page.evaluate('getComputedStyle(document.querySelector(".step-table-wrap")).backgroundColor')

async function themes(page: Page): Promise<string[]> {
  const layout = async (name: string): Promise<void> => {
    const problems = (await page.evaluate('e2e.layoutProblems()')) as string[]
    check(`layout at 1024×700: ${name}`, problems.length === 0, problems.slice(0, 3).join('; '))
  }
  const files = [await shot(page, 'replay-light-1024')]
  await layout('replay, light')
  const light = await background(page)
  await page.getByTestId('theme-dark').click()
  await waitForAttr(page, 'html', 'data-theme', 'dark', 5_000)
  const dark = await background(page)
  await page.reload()
  await page.getByTestId('step-table').waitFor()
  const kept = (await attr(page, 'html', 'data-theme')) === 'dark'
  check(
    'the dark theme applies (another panel colour) and is kept over a reload',
    light !== dark && kept && (await background(page)) === dark,
    `${light} → ${dark}`
  )
  files.push(await shot(page, 'replay-dark-1024'))
  await layout('replay, dark')
  await page.getByTestId('theme-system').click()
  await waitForAttr(page, 'html', 'data-theme', 'light', 5_000)
  await page.emulateMedia({ colorScheme: 'dark' })
  const followsDark = await waitUntil(
    async () => (await attr(page, 'html', 'data-theme')) === 'dark',
    5_000
  )
  await page.emulateMedia({ colorScheme: 'light' })
  await waitForAttr(page, 'html', 'data-theme', 'light', 5_000)
  check('"system" follows prefers-color-scheme', followsDark)
  return files
}

/** A 500-step, 10-subgoal evaluation episode added to the run through the store's writer. */
function writeLongEpisode(dbPath: string, runId: number): void {
  const db = openDatabase(dbPath)
  try {
    const iteration = (db
      .prepare('SELECT MAX(iteration) FROM episodes WHERE run_id = ?')
      .pluck()
      .get(runId) ?? 0) as number
    const places = ['cabinet 1', 'drawer 2', 'shelf 3', 'countertop 1', 'fridge 1']
    const steps: StepRecord[] = Array.from({ length: 500 }, (_, t) => ({
      t,
      observation: `You arrive at ${places[t % 5]}. (step ${t})`,
      admissibleActions: places.map((p) => `go to ${p}`),
      action: `go to ${places[(t + 1) % 5]}`,
      reward: t === 499 ? 1 : 0,
      done: t === 499,
      subgoalIndex: Math.floor(t / 50),
      subDone: t % 50 === 49 && t !== 499 && Math.floor(t / 50) !== 4,
      fallback: t % 50 === 49 && Math.floor(t / 50) === 4,
      logProb: -0.5,
      advantage: 0.25,
      view: { kind: 'alfworld', location: places[t % 5], inventory: [] },
      candidates: places.map((p, i) => ({ action: `go to ${p}`, prob: i === 0 ? 0.6 : 0.1 }))
    }))
    steps.push({
      t: 500,
      observation: 'Done.',
      admissibleActions: [],
      action: '',
      reward: 0,
      done: true,
      view: { kind: 'alfworld', location: 'fridge 1', inventory: [] }
    })
    new StoreWriter(db).insertRollouts(runId, {
      iteration,
      groups: [],
      loose: [
        {
          phase: 'eval',
          memberIndex: 0,
          env: 'alfworld',
          task: 'e2e: walk 500 steps through 10 subgoals',
          seed: 424242,
          blueprint: Array.from({ length: 10 }, (_, i) => `go to place ${i + 1}`),
          return: 1,
          success: true,
          length: 500,
          steps
        }
      ]
    })
  } finally {
    db.close()
  }
}

async function longEpisode(page: Page, base: string, runId: number, dbPath: string): Promise<void> {
  writeLongEpisode(dbPath, runId)
  const { items } = await must<Items>(base, 'episodes/page', { runId, phase: 'eval', limit: 500 })
  const long = items.find((e) => e.length === 500)
  if (!long) throw new Error('the 500-step episode is not listed')
  await page.goto(`${base}/#/episodes/${long.id}`)
  await waitForAttr(page, '[data-testid=step-table]', 'data-rows', '501')
  await page.locator('h2').first().click()
  const began = Date.now()
  const presses = 40
  for (let k = 1; k <= presses; k++) {
    await page.keyboard.press('ArrowRight')
    await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(k), 5_000)
  }
  const perStep = (Date.now() - began) / presses
  for (let s = 1; s <= 4; s++) {
    await page.keyboard.press('ArrowDown')
    await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(50 * s), 5_000)
  }
  // Step 200 starts subgoal 5, whose header scrolled into view with it (the virtual list may
  // render it a frame after the step index moved: wait for it, then read it).
  await waitUntil(
    async () => (await page.locator('[data-testid=segment-header-4]').count()) > 0,
    5_000
  )
  const fallback = await attr(page, '[data-testid=segment-header-4]', 'data-end')
  await shot(page, 'replay-500-steps')
  await page.keyboard.press('End')
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', '500', 5_000)
  const lastShown = await waitUntil(
    async () => (await page.locator('[data-testid=step-row-500].selected').count()) === 1,
    5_000
  )
  const rendered = await page.locator('[data-testid^=step-row-]').count()
  check(
    'a 500-step episode: only the rows in view are in the DOM, stepping and End keep up',
    rendered < 60 && lastShown && perStep < 1_000,
    `${rendered} rows in the DOM of 501, ${Math.round(perStep)} ms per → (press + render + poll)`
  )
  check(
    'a segment ended by its step budget reads as a fallback',
    fallback === 'fallback',
    String(fallback)
  )
}

type SubDoneStep = {
  t: number
  subgoalIndex: number | null
  subDoneChoices: { action: string; prob: number }[][] | null
}

/**
 * A step after which the executor chose `<sub_done>` (not an env step, so recorded on the next
 * step): the replay shows one panel per such choice, its candidates (the admissible actions and
 * `<sub_done>`) summing to ~1 with `<sub_done>` marked as the one taken.
 */
async function subDonePanel(page: Page, base: string, runId: number): Promise<void> {
  // Candidates are recorded on evaluation episodes (and on training ones with candidates 'all').
  const listed = [
    ...(await must<Items>(base, 'episodes/page', { runId, phase: 'eval', limit: 200 })).items,
    ...(await must<Items>(base, 'episodes/page', { runId, phase: 'train', limit: 200 })).items
  ]
  let found: { episodeId: number; step: SubDoneStep } | null = null
  let withChoices = 0
  for (const e of listed) {
    const { steps } = await must<{ steps: SubDoneStep[] }>(base, 'episodes/steps', {
      episodeId: e.id
    })
    const chose = steps.filter((s) => (s.subDoneChoices?.length ?? 0) > 0)
    withChoices += chose.length
    if (chose[0] && !found) found = { episodeId: e.id, step: chose[0] }
  }
  if (!found) throw new Error(`HiMAC run ${runId}: no step records a <sub_done> choice`)
  const { episodeId, step } = found
  const choices = step.subDoneChoices ?? []
  await page.goto(`${base}/#/episodes/${episodeId}?t=${step.t}`)
  await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(step.t))
  const panels = page.getByTestId('sub-done-choice')
  await panels.first().waitFor({ timeout: 10_000 })
  const problems: string[] = []
  const shown = await panels.count()
  if (shown !== choices.length) problems.push(`${shown} panels for ${choices.length} choices`)
  for (let i = 0; i < Math.min(shown, choices.length); i++) {
    const panel = panels.nth(i)
    const { probs, chosen } = await shownCandidates(panel, 'sub-done-candidate')
    const sum = probs.reduce((a, b) => a + b, 0)
    const ended = step.subgoalIndex === null ? '?' : String(step.subgoalIndex - shown + i + 1)
    if (probs.length !== choices[i]!.length)
      problems.push(`choice ${i}: ${probs.length} rows of ${choices[i]!.length}`)
    if (Math.abs(sum - 1) > 0.005) problems.push(`choice ${i}: probabilities sum to ${sum}`)
    if (chosen.length !== 1 || !chosen[0]!.includes('<sub_done>'))
      problems.push(`choice ${i}: chosen ${JSON.stringify(chosen)}`)
    if (!((await panel.textContent()) ?? '').includes(`ended subgoal ${ended}`))
      problems.push(`choice ${i}: does not say it ended subgoal ${ended}`)
  }
  // The step's own candidates stay apart from the <sub_done> choices.
  const own = await page.locator('[data-testid=candidate]').count()
  check(
    "a <sub_done> chosen before a step shows as its own panel: the executor's candidates with <sub_done> taken",
    problems.length === 0 && own > 0,
    problems.slice(0, 3).join('; ') ||
      `episode ${episodeId} t=${step.t}; ${withChoices} steps of ${listed.length} episodes record one`
  )
}

/** The whole flow on a finished HiMAC run of the served database `dbPath`. */
export async function hierarchicalReplay(
  page: Page,
  base: string,
  runId: number,
  dbPath: string
): Promise<string[]> {
  const before = page.viewportSize()
  await page.setViewportSize(VIEW)
  const target = await pickTarget(base, runId)
  const { episode, position, segments } = target
  const { steps } = await must<{ steps: StepT[] }>(base, 'episodes/steps', {
    episodeId: episode.id
  })
  const total = (await must<Items>(base, 'episodes/page', { runId, phase: 'train', limit: 1 }))
    .total
  await page.goto(`${base}/#/runs/${runId}/episodes?phase=train`)
  await waitForAttr(page, '[data-testid=episodes-total]', 'data-total', String(total))
  check(
    'the episodes page reads its filter from the URL',
    (await page.getByTestId('filter-phase').inputValue()) === 'train'
  )
  await page.getByTestId(`episode-row-${episode.id}`).click()
  await page.waitForURL(new RegExp(`#/episodes/${episode.id}\\?`))
  check(
    'a row opens the replay with its list in the URL',
    urlParam(page, 'run') === String(runId) &&
      urlParam(page, 'phase') === 'train' &&
      urlParam(page, 'offset') === String(position),
    page.url()
  )
  await page.getByTestId('step-table').waitFor()
  await segmentHeaders(page, segments, steps)
  await keys(page, segments)
  const later = segments.filter((s) => s.steps > 1)[1] ?? segments.find((s) => s.steps > 1)
  await deepLink(page, base, episode.id, (later?.firstT ?? 0) + 1)
  await overlay(page)
  const files = await themes(page)
  await episodeKeys(page, base, runId, target)
  await subDonePanel(page, base, runId)
  await longEpisode(page, base, runId, dbPath)
  if (before) await page.setViewportSize(before)
  return files
}
