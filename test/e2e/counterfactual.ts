// Counterfactual replay in Chromium: from an evaluation episode's replay, "what if" another action
// at step 2, then a rewritten first subgoal; each opens beside its origin (prefix the same, the
// changed row marked) and is listed on the origin's replay; a policy run that does not exist is an
// error shown in the form, with nothing stored. Values are checked against the API.
import type { Page } from 'playwright-core'
import { check, must, shot, waitUntil } from './harness'

type Episode = {
  id: number
  return: number
  blueprint: string[] | null
  counterfactual: { originEpisodeId: number; from: number } | null
}
type Step = { action: string; admissibleActions: string[] }

const pairIds = (url: string): [number, number] | null => {
  const m = /#\/episodes\/(\d+)\/vs\/(\d+)/.exec(url)
  return m ? [Number(m[1]), Number(m[2])] : null
}

async function openForm(page: Page, base: string, episodeId: number, t: number): Promise<void> {
  await page.goto(`${base}/#/episodes/${episodeId}?t=${t}`)
  await page.getByTestId('cf-form').waitFor()
  if ((await page.getByTestId('cf-form').getAttribute('open')) === null)
    await page.getByTestId('cf-form').locator('summary').click()
}

export async function counterfactualFlow(
  page: Page,
  base: string,
  runId: number,
  expectConsole: (re: RegExp | null) => void
): Promise<string[]> {
  const shots: string[] = []
  const evals = await must<{ items: Episode[] }>(base, 'episodes/page', {
    runId,
    phase: 'eval',
    limit: 50
  })
  const origin = evals.items.find((e) => (e.blueprint?.length ?? 0) > 0) ?? evals.items[0]!
  const { steps } = await must<{ steps: Step[] }>(base, 'episodes/steps', { episodeId: origin.id })
  const t = 2
  await openForm(page, base, origin.id, t)
  const choice = steps[t]!.admissibleActions.find((a) => a !== steps[t]!.action)!
  await page.getByTestId('cf-action').selectOption(choice)
  await page.getByTestId('cf-run').click()
  const opened = await waitUntil(() => pairIds(page.url()) !== null, 60_000)
  const ids = pairIds(page.url())
  await page.getByTestId('cf-table').waitFor()
  const made = ids
    ? await must<{ episode: Episode; steps: Step[] }>(base, 'episodes/steps', { episodeId: ids[1] })
    : null
  const kinds = await page
    .locator('[data-testid^=cf-row-]')
    .evaluateAll((rows) => rows.slice(0, 4).map((r) => r.getAttribute('data-kind')))
  check(
    'another action at step 2: a stored counterfactual beside its origin, prefix the same',
    opened &&
      ids?.[0] === origin.id &&
      made?.episode.counterfactual?.originEpisodeId === origin.id &&
      made.episode.counterfactual.from === t &&
      made.steps[t]?.action === choice &&
      made.steps.slice(0, t).every((s, i) => s.action === steps[i]!.action) &&
      kinds.join() === 'same,same,changed,' + (kinds[3] ?? ''),
    `${page.url()} kinds=${kinds.join()} step2=${made?.steps[t]?.action} chose=${choice}`
  )
  const shownReturn = Number(
    await page.getByTestId('cf-head-counterfactual').getAttribute('data-return')
  )
  check(
    'the pair shows the stored return',
    shownReturn === made?.episode.return,
    `${shownReturn} vs ${made?.episode.return}`
  )
  shots.push(await shot(page, 'counterfactual-pair'))

  if (origin.blueprint && origin.blueprint.length > 0) {
    await openForm(page, base, origin.id, 0)
    await page.getByTestId('cf-mode-subgoal').check()
    await page.getByTestId('cf-subgoal').selectOption('0')
    const text = origin.blueprint[0] === 'go to the shelf' ? 'go to the desk' : 'go to the shelf'
    await page.getByTestId('cf-text').fill(text)
    await page.getByTestId('cf-run').click()
    const second = await waitUntil(() => {
      const p = pairIds(page.url())
      return p !== null && p[1] !== ids?.[1]
    }, 60_000)
    await page.locator('.cf-edited').first().waitFor()
    const edited = (await page.locator('.cf-edited').first().textContent()) ?? ''
    check(
      'a rewritten subgoal shows in the counterfactual’s blueprint',
      second && edited === text,
      `"${edited}"`
    )
  }

  // The origin lists what was made from it.
  const listed = await must<Episode[]>(base, 'episodes/counterfactuals', { episodeId: origin.id })
  await page.goto(`${base}/#/episodes/${origin.id}`)
  await page.getByTestId('cf-list').waitFor()
  const links = await page.locator('[data-testid^=cf-link-]').count()
  check(
    'the origin’s replay lists its counterfactuals',
    links === listed.length && links >= 1,
    `${links} vs ${listed.length}`
  )

  // A policy run that does not exist: an error in the form, nothing stored.
  await openForm(page, base, origin.id, t)
  await page.getByTestId('cf-policy-run').fill('9999')
  expectConsole(/status of 40\d/)
  await page.getByTestId('cf-run').click()
  await page.getByTestId('cf-error').waitFor()
  expectConsole(null)
  const errorText = (await page.getByTestId('cf-error').textContent()) ?? ''
  const after = await must<Episode[]>(base, 'episodes/counterfactuals', { episodeId: origin.id })
  check(
    'a bad policy run is refused in the form, nothing stored',
    /9999/.test(errorText) && after.length === listed.length,
    errorText
  )
  // Pins: a completed run's Phase-A group offers them disabled, saying why.
  const macro = await must<{ items: { id: number }[] }>(base, 'groups/page', {
    runId,
    level: 'macro',
    limit: 1
  })
  if (macro.items[0]) {
    await page.goto(`${base}/#/groups/${macro.items[0].id}`)
    await page.getByTestId('pins-panel').waitFor()
    const disabled = await page.getByTestId('pin-member-0').isDisabled()
    const text = (await page.getByTestId('pins-panel').textContent()) ?? ''
    check(
      'a completed HiMAC run shows its Phase-A blueprints unpinnable, and why',
      disabled && text.includes('has completed'),
      text.slice(0, 200)
    )
  }
  return shots
}
