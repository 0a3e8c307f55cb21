// Annotation in Chromium against the served database: label schemas defined on the experiment
// page (a bad one refused, nothing stored), the review queue labelled from the keyboard (values,
// advance, going back and changing a value keeps its history, switching label), a comment, a
// comment on a Phase-A blueprint from the group view, and the search page finding them, linking
// to the episode and exporting CSV — every value checked against the API.
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { check, must, shot, waitUntil } from './harness'

type Label = { name: string; type: string; options: string[] }
type Annotation = {
  id: number
  kind: string
  label: string | null
  value: string
  author: string
  history: { value: string | null }[]
}
type EpisodePage = { total: number; items: { id: number }[] }
type GroupSummary = { id: number; level: string }
type GroupDetail = {
  members: { episodeId: number; memberIndex: number; blueprint: string[] | null }[]
}

const reviewEpisode = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('review-episode').getAttribute('data-episode-id'))

async function waitForValue(page: Page, label: string, value: string): Promise<boolean> {
  return waitUntil(
    async () =>
      (await page
        .getByTestId(`ann-label-${label}`)
        .getAttribute('data-value')
        .catch(() => null)) === value,
    10_000
  )
}

export async function annotationFlow(
  page: Page,
  base: string,
  experimentId: number,
  runId: number,
  /** The browser logs the refused definition's 400: say it is expected. */
  expectConsole: (re: RegExp | null) => void
): Promise<string[]> {
  const shots: string[] = []
  await page.goto(`${base}/#/experiments/${experimentId}`)
  await page.getByTestId('label-schemas').locator('summary').click()
  const define = async (name: string, type: string, options = ''): Promise<void> => {
    await page.getByTestId('label-name').fill(name)
    await page.getByTestId('label-type').selectOption(type)
    if (type === 'category') await page.getByTestId('label-options').fill(options)
    await page.getByTestId('label-add').click()
  }
  await define('quality', 'score')
  await page.getByTestId('label-schema-quality').waitFor()
  await define('stuck', 'boolean')
  await page.getByTestId('label-schema-stuck').waitFor()
  expectConsole(/status of 400/)
  await define('mode', 'category', 'loops')
  await page.getByTestId('label-error').waitFor()
  expectConsole(null)
  const errorText = (await page.getByTestId('label-error').textContent()) ?? ''
  const labels = await must<Label[]>(base, 'labels/list', { experimentId })
  check(
    'label schemas: two defined, a one-option category refused with its reason',
    labels.map((l) => `${l.name}:${l.type}`).join(',') === 'quality:score,stuck:boolean' &&
      errorText.includes('2 or more options'),
    `${JSON.stringify(labels)} "${errorText}"`
  )

  // The review queue, opened from the run panel.
  await page.getByTestId('open-review').first().click()
  await page.getByTestId('review-episode').waitFor()
  const queue = await must<EpisodePage>(base, 'episodes/page', {
    runId,
    limit: 500,
    unlabeled: 'quality'
  })
  const total = Number(await page.getByTestId('review-position').getAttribute('data-total'))
  const first = await reviewEpisode(page)
  check(
    'review queue = the run’s episodes without a quality label, in order',
    total === Math.min(500, queue.total) && first === queue.items[0]?.id,
    `shown ${total} first #${first}; API ${queue.total} first #${queue.items[0]?.id}`
  )
  await page.keyboard.press('4')
  const advanced = await waitUntil(
    async () => (await reviewEpisode(page)) === queue.items[1]?.id,
    10_000
  )
  const stored = await must<Annotation[]>(base, 'annotations/list', {
    target: { type: 'episode', id: first }
  })
  check(
    'key 4 stores quality 4 and moves to the next episode',
    advanced && stored.some((a) => a.label === 'quality' && a.value === '4'),
    JSON.stringify(stored)
  )
  check(
    'the URL names the episode on screen',
    page.url().includes(`episode=${queue.items[1]?.id}`),
    page.url()
  )
  await page.keyboard.press('k')
  await waitUntil(async () => (await reviewEpisode(page)) === first, 10_000)
  const shows4 = await waitForValue(page, 'quality', '4')
  await page.getByTestId('review-advance').uncheck()
  await page.keyboard.press('2')
  const shows2 = await waitForValue(page, 'quality', '2')
  await page.keyboard.press('l')
  await waitUntil(async () => page.url().includes('label=stuck'), 10_000)
  // The queue of the other label loads before the episode is shown again.
  await waitUntil(
    async () =>
      (await page.getByTestId('review-episode').count()) === 1 &&
      (await reviewEpisode(page)) === first &&
      (await page.getByTestId('ann-label-stuck').count()) === 1,
    10_000
  )
  await page.keyboard.press('y')
  const stuck = await waitForValue(page, 'stuck', 'true')
  await page.keyboard.press('c')
  const note = `loops between the counter and the sink ${Date.now()}`
  await page.keyboard.type(note)
  await page.keyboard.press('Control+Enter')
  await page.getByTestId('ann-comment-text').filter({ hasText: note }).waitFor()
  const after = await must<Annotation[]>(base, 'annotations/list', {
    target: { type: 'episode', id: first }
  })
  const quality = after.find((a) => a.label === 'quality')
  check(
    'going back shows the value; a new value keeps the old one as history; another label; a comment',
    shows4 &&
      shows2 &&
      stuck &&
      quality?.value === '2' &&
      quality.history.map((h) => h.value).join() === '4' &&
      after.some((a) => a.label === 'stuck' && a.value === 'true') &&
      after.some((a) => a.kind === 'comment' && a.value === note),
    JSON.stringify(after)
  )
  await page.getByTestId('ann-history').first().locator('summary').click()
  shots.push(await shot(page, 'annotations-review'))

  // Labelled episodes leave the "without this label" queue.
  await page.getByTestId('review-label').selectOption('quality')
  await waitUntil(
    async () =>
      Number(await page.getByTestId('review-position').getAttribute('data-total')) ===
      Math.min(500, queue.total - 1),
    10_000
  )
  const left = await must<EpisodePage>(base, 'episodes/page', {
    runId,
    limit: 1,
    unlabeled: 'quality'
  })
  const shownLeft = Number(await page.getByTestId('review-position').getAttribute('data-total'))
  check(
    'the queue no longer holds the labelled episode',
    shownLeft === Math.min(500, left.total) && left.total === queue.total - 1,
    `${shownLeft} vs ${left.total}`
  )

  // A Phase-A blueprint's comment from the group view.
  const groups = await must<{ items: GroupSummary[] }>(base, 'groups/page', {
    runId,
    level: 'macro',
    limit: 1
  })
  const macro = groups.items[0]
  if (macro) {
    await page.goto(`${base}/#/groups/${macro.id}`)
    const detail = await must<GroupDetail>(base, 'groups/get', { groupId: macro.id })
    const member = detail.members.find((m) => m.blueprint !== null)!
    await page.getByTestId('group-ann-target').selectOption(`blueprint-${member.episodeId}`)
    await page.getByTestId('ann-panel').waitFor()
    await page.getByTestId('ann-comment-input').fill('subgoal 2 is redundant')
    await page.getByTestId('ann-comment-save').click()
    await page
      .getByTestId('ann-comment-text')
      .filter({ hasText: 'subgoal 2 is redundant' })
      .waitFor()
    const onBlueprint = await must<Annotation[]>(base, 'annotations/list', {
      target: { type: 'blueprint', id: member.episodeId }
    })
    const onEpisode = await must<Annotation[]>(base, 'annotations/list', {
      target: { type: 'episode', id: member.episodeId }
    })
    check(
      'a comment on a blueprint is stored on the blueprint, not its execution',
      onBlueprint.map((a) => a.value).join() === 'subgoal 2 is redundant' &&
        !onEpisode.some((a) => a.value === 'subgoal 2 is redundant'),
      JSON.stringify({ onBlueprint, onEpisode })
    )
    shots.push(await shot(page, 'annotations-group'))
  } else check('the run has a Phase-A group to annotate', false, `run ${runId}`)

  // Search, link and export.
  await page.getByTestId('nav-annotations').click()
  await page.getByTestId('annotations-page').waitFor()
  await page.getByTestId('ann-search-text').fill('loops between')
  await page.getByTestId('ann-search-go').click()
  const hits = await must<{ total: number; items: { id: number }[] }>(base, 'annotations/search', {
    text: 'loops between'
  })
  const shown = await waitUntil(
    async () => (await page.getByTestId('ann-hit').count()) === hits.total && hits.total >= 1,
    10_000
  )
  check('search shows the API’s matches', shown, `API ${hits.total}`)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('ann-export-csv').click()
  ])
  const csv = fs.readFileSync(await download.path(), 'utf8')
  const rows = csv.split('\r\n').filter((r) => r !== '')
  check(
    'CSV export: a header and one row per match',
    rows.length === hits.total + 1 && rows[0]!.startsWith('id,experiment_id') && csv.includes(note),
    `${rows.length} rows`
  )
  shots.push(await shot(page, 'annotations-search'))
  await page.getByTestId('ann-hit-link').first().click()
  const linked = await waitUntil(() => page.url().includes(`#/episodes/${first}`), 10_000)
  check('a hit links to its episode', linked, page.url())

  // The replay annotates the step on screen, apart from its episode.
  await page.goto(`${base}/#/episodes/${first}?t=3`)
  const stepPanel = page.getByTestId('replay-annotations').getByTestId('ann-panel').first()
  await stepPanel.waitFor()
  await stepPanel.getByTestId('ann-comment-input').fill('wrong receptacle here')
  await stepPanel.getByTestId('ann-comment-save').click()
  await stepPanel
    .getByTestId('ann-comment-text')
    .filter({ hasText: 'wrong receptacle here' })
    .waitFor()
  const onStep = await must<Annotation[]>(base, 'annotations/list', {
    target: { type: 'step', id: first, t: 3 }
  })
  const onEpisode = await must<Annotation[]>(base, 'annotations/list', {
    target: { type: 'episode', id: first }
  })
  check(
    'a comment from the replay is stored on the step on screen, not on its episode',
    onStep.some((a) => a.value === 'wrong receptacle here') &&
      !onEpisode.some((a) => a.value === 'wrong receptacle here') &&
      (await stepPanel.locator('h3').textContent()) === 'Step 3',
    JSON.stringify(onStep)
  )
  return shots
}
