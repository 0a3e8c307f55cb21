// Experiment upkeep in Chromium: rename, a tag, notes, the config of the next runs edited (a bad one
// refused with its field, nothing stored), duplicate, archive (hidden from the list, shown on
// request) and unarchive — each checked against the API.
import type { Page } from 'playwright-core'
import { check, must, shot, waitUntil, type Preset } from './harness'

type Experiment = {
  id: number
  name: string
  tags: string[]
  notes: string
  archivedAt: string | null
  config: { iterations: number }
}

const get = async (base: string, id: number): Promise<Experiment> =>
  (await must<Experiment[]>(base, 'experiments/list', {})).find((e) => e.id === id)!

export async function experimentUpkeep(
  page: Page,
  base: string,
  expectConsole: (re: RegExp | null) => void
): Promise<string[]> {
  const shots: string[] = []
  const smoke = (await must<Preset[]>(base, 'presets/list', {})).find(
    (p) => p.id === 'sokoban-smoke'
  )!
  const created = await must<Experiment>(base, 'experiments/create', {
    name: 'e2e upkeep',
    preset: smoke.id,
    config: smoke.config
  })
  // Created over the API: a fresh load lists it.
  await page.goto(`${base}/#/experiments/${created.id}`)
  await page.reload()
  await page.getByTestId('experiment-upkeep').waitFor()

  await page.getByTestId('exp-rename').click()
  await page.getByTestId('exp-name').fill('e2e upkeep renamed')
  await page.getByTestId('exp-name').press('Enter')
  await page.getByTestId('exp-tag-input').fill('baseline')
  await page.getByTestId('exp-tag-input').press('Enter')
  await page.getByTestId('exp-tag-baseline').waitFor()
  await page.getByTestId('exp-notes').fill('kept as the smoke baseline')
  await page.getByTestId('exp-notes-save').click()
  const saved = await waitUntil(async () => (await get(base, created.id)).notes !== '', 10_000)
  const e1 = await get(base, created.id)
  const heading = (await page.locator('[data-testid=experiment-detail] h2').textContent()) ?? ''
  check(
    'rename, a tag and notes are stored and shown',
    saved &&
      e1.name === 'e2e upkeep renamed' &&
      e1.tags.join() === 'baseline' &&
      e1.notes === 'kept as the smoke baseline' &&
      heading.includes('e2e upkeep renamed'),
    JSON.stringify({ name: e1.name, tags: e1.tags, notes: e1.notes, heading })
  )

  await page.getByTestId('exp-config-edit').locator('summary').click()
  const text = (await page.getByTestId('exp-config').inputValue()).replace(
    /"iterations": \d+/,
    '"iterations": 0'
  )
  await page.getByTestId('exp-config').fill(text)
  expectConsole(/status of 400/)
  await page.getByTestId('exp-config-save').click()
  await page.getByTestId('exp-error').waitFor()
  expectConsole(null)
  const field = await page.getByTestId('exp-error').getAttribute('data-field')
  check(
    'a bad config is refused with its field, nothing stored',
    field === 'config.iterations' &&
      (await get(base, created.id)).config.iterations === smoke.config.iterations,
    `field=${field}`
  )
  await page.getByTestId('exp-config').fill(text.replace('"iterations": 0', '"iterations": 2'))
  await page.getByTestId('exp-config-save').click()
  const edited = await waitUntil(
    async () => (await get(base, created.id)).config.iterations === 2,
    10_000
  )
  check('a good config is stored for the next runs', edited)
  shots.push(await shot(page, 'experiment-upkeep'))

  await page.getByTestId('exp-duplicate').click()
  const copied = await waitUntil(
    async () => /#\/experiments\/\d+$/.test(page.url()) && !page.url().endsWith(`/${created.id}`),
    10_000
  )
  const copyId = Number(/(\d+)$/.exec(page.url())?.[1])
  const copy = await get(base, copyId)
  check(
    'duplicate: a new experiment with the config and tags, opened',
    copied &&
      copy.name === 'e2e upkeep renamed (copy)' &&
      copy.config.iterations === 2 &&
      copy.tags.join() === 'baseline',
    JSON.stringify(copy)
  )

  await page.getByTestId('exp-archive').click()
  await waitUntil(async () => (await get(base, copyId)).archivedAt !== null, 10_000)
  await page.goto(`${base}/#/experiments/${created.id}`)
  await page.getByTestId('experiment-upkeep').waitFor()
  // The list refetches after the archive (its event may come after the page shows): allow that.
  const row = page.getByTestId(`experiment-row-${copyId}`)
  const hidden = await waitUntil(async () => (await row.count()) === 0, 10_000)
  await page.getByTestId('exp-show-archived').check()
  const shown = await waitUntil(async () => (await row.count()) === 1, 10_000)
  check(
    'an archived experiment leaves the list until asked for',
    hidden && shown,
    `hidden=${hidden} shown=${shown}`
  )
  await must(base, 'experiments/update', { experimentId: copyId, archived: false })
  await page.getByTestId('exp-tag-filter').fill('baseline')
  await waitUntil(
    async () => (await page.locator('[data-testid^=experiment-row-]').count()) === 2,
    10_000
  )
  const filtered = await page.locator('[data-testid^=experiment-row-]').count()
  check('the tag filter shows the tagged experiments', filtered === 2, `${filtered} rows`)
  await page.getByTestId('exp-tag-filter').fill('')
  return shots
}
