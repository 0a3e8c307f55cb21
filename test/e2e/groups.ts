// The blueprint group view of a HiMAC run: the group browser (totals, level / outcome / task-type
// filters against the API), a Phase-A group's blueprints side by side (z*, returns, advantages and
// plan log-probs against the database file itself, one row per subgoal of the longest blueprint,
// differing subgoals marked), the click through to the replay and back, and the Phase-B group's
// executions aligned by subgoal (steps per subgoal against the stored steps), linked both ways.
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { formatNumber } from '../../core/format'
import { check, must, shot, waitForAttr, waitUntil } from './harness'

type Summary = {
  id: number
  level: 'macro' | 'micro' | 'flat'
  iteration: number
  taskType: string | null
  allEqual: boolean
  distinctBlueprints: number
  childGroupId: number | null
  zStarSuccess: boolean | null
}
type Page_ = { total: number; items: Summary[] }
type MemberRow = {
  id: number
  return: number
  success: number
  plan_advantage: number | null
  plan_log_prob: number | null
  blueprint_json: string | null
}
type StepRow = { action: string; subgoalIndex: number | null }

const rowIds = async (page: Page): Promise<number[]> =>
  (await page
    .locator('[data-testid^=group-row-]')
    .evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-testid')!.slice(10)))
    )) as number[]

/** Chooses a select's option and waits until the table shows exactly the API's ids. */
async function filterTo(
  page: Page,
  base: string,
  runId: number,
  select: string,
  value: string,
  query: object,
  name: string
): Promise<number[]> {
  await page.getByTestId(select).selectOption(value)
  const expected = await must<Page_>(base, 'groups/page', { runId, limit: 50, ...query })
  await waitForAttr(page, '[data-testid=groups-total]', 'data-total', String(expected.total))
  const ok = await waitUntil(
    async () =>
      JSON.stringify(await rowIds(page)) === JSON.stringify(expected.items.map((g) => g.id)),
    10_000
  )
  check(name, ok, `${expected.total} groups: ${expected.items.map((g) => g.id).join(',')}`)
  return expected.items.map((g) => g.id)
}

async function browser(page: Page, base: string, runId: number): Promise<Summary[]> {
  // From the run's experiment view, as a user gets there.
  const run = await must<{ experimentId: number }>(base, 'runs/get', { runId })
  await page.goto(`${base}/#/experiments/${run.experimentId}`)
  await page.getByTestId('open-groups').click()
  await page.waitForURL(new RegExp(`#/runs/${runId}/groups$`))
  await page.getByTestId('groups-page').waitFor()
  const all = await must<Page_>(base, 'groups/page', { runId, limit: 200 })
  await waitForAttr(page, '[data-testid=groups-total]', 'data-total', String(all.total))
  const shown = await rowIds(page)
  check(
    'group browser lists the run’s groups in order, paged by 50',
    all.total > 0 &&
      JSON.stringify(shown) === JSON.stringify(all.items.slice(0, 50).map((g) => g.id)),
    `${shown.length} rows of ${all.total}`
  )
  await shot(page, 'groups-browser')
  await filterTo(
    page,
    base,
    runId,
    'groups-level',
    'micro',
    { level: 'micro' },
    'level filter: Phase-B groups only'
  )
  await filterTo(page, base, runId, 'groups-level', '', {}, 'level filter cleared')
  const equal = await filterTo(
    page,
    base,
    runId,
    'groups-filter',
    'all-equal',
    { filter: 'all-equal' },
    'filter "all returns equal" shows exactly those groups'
  )
  check(
    'the all-equal groups are the API’s',
    JSON.stringify(equal) === JSON.stringify(all.items.filter((g) => g.allEqual).map((g) => g.id))
  )
  await filterTo(
    page,
    base,
    runId,
    'groups-filter',
    'zstar-succeeded',
    { filter: 'zstar-succeeded' },
    'filter "z* succeeded"'
  )
  await filterTo(page, base, runId, 'groups-filter', 'all', {}, 'outcome filter cleared')
  const type = all.items.find((g) => g.taskType !== null)?.taskType
  if (type) {
    await filterTo(
      page,
      base,
      runId,
      'groups-task-type',
      type,
      { taskType: type },
      'task-type filter'
    )
    await filterTo(page, base, runId, 'groups-task-type', '', {}, 'task-type filter cleared')
  } else check('an ALFWorld HiMAC run’s groups name their task type', false)
  return all.items
}

async function macroGroup(page: Page, db: Database.Database, g: Summary): Promise<void> {
  await page.getByTestId(`group-row-${g.id}`).click()
  await page.waitForURL(new RegExp(`#/groups/${g.id}$`))
  await page.getByTestId('blueprint-columns').waitFor()
  const members = db
    .prepare(
      'SELECT id, return, success, plan_advantage, plan_log_prob, blueprint_json FROM episodes WHERE group_id = ? ORDER BY member_index, id'
    )
    .all(g.id) as MemberRow[]
  const chosen = db
    .prepare('SELECT chosen_episode_id FROM rollout_groups WHERE id = ?')
    .pluck()
    .get(g.id)
  const heads = page.locator('[data-testid^=member-col-]')
  const shown = (await heads.evaluateAll((els) =>
    els.map((e) => ({
      id: Number(e.getAttribute('data-testid')!.slice(11)),
      zstar: e.getAttribute('data-zstar') === 'true',
      ret: Number(e.getAttribute('data-return')),
      adv: Number(e.getAttribute('data-advantage')),
      logp: Number(e.getAttribute('data-log-prob')),
      success: e.getAttribute('data-success') === 'true',
      retText: e.querySelector('[data-testid=member-return]')?.textContent ?? '',
      advText: e.querySelector('[data-testid=member-advantage]')?.textContent ?? ''
    }))
  )) as {
    id: number
    zstar: boolean
    ret: number
    adv: number
    logp: number
    success: boolean
    retText: string
    advText: string
  }[]
  check(
    'one column per member, in member order',
    JSON.stringify(shown.map((s) => s.id)) === JSON.stringify(members.map((m) => m.id)),
    `${shown.length} columns, ${members.length} members`
  )
  const zstars = shown.filter((s) => s.zstar)
  check(
    'z* is marked on exactly the stored chosen member',
    zstars.length === 1 &&
      zstars[0]!.id === chosen &&
      (await page.locator('[data-testid=zstar-badge]').count()) === 1,
    `marked ${zstars.map((s) => s.id).join(',')}, stored ${String(chosen)}`
  )
  const wrong = members.filter((m, i) => {
    const s = shown[i]
    return (
      !s ||
      s.ret !== m.return ||
      s.adv !== m.plan_advantage ||
      s.logp !== m.plan_log_prob ||
      s.success !== (m.success === 1) ||
      s.retText !== formatNumber(m.return) ||
      s.advText !== formatNumber(m.plan_advantage)
    )
  })
  check(
    'each column shows its stored return, plan advantage, success and plan log-prob',
    wrong.length === 0,
    wrong.map((m) => `episode ${m.id}`).join(', ')
  )
  const blueprints = members.map((m) => JSON.parse(m.blueprint_json ?? '[]') as string[])
  const longest = Math.max(...blueprints.map((b) => b.length))
  const rows = await page.locator('[data-testid=subgoal-row]').count()
  check(
    'one subgoal row per subgoal of the longest blueprint',
    rows === longest,
    `${rows} rows, longest blueprint ${longest}`
  )
  const marks = (await page
    .locator('[data-testid=subgoal-row]')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('[data-testid=subgoal-cell]')].map((td) =>
          td.getAttribute('data-differs')
        )
      )
    )) as string[][]
  const badRows = blueprints[0]
    ? Array.from({ length: longest }, (_, k) => k).filter((k) => {
        const texts = blueprints.map((b) => b[k] ?? null)
        const unanimous = texts.every((t) => t === texts[0])
        const differs = (marks[k] ?? []).filter((d) => d === 'true').length
        return unanimous ? differs > 0 : differs === 0
      })
    : []
  check(
    'differing subgoals are highlighted, unanimous rows are not',
    badRows.length === 0,
    `rows ${badRows.join(',')}`
  )
  await shot(page, 'group-macro')

  // One click on a column opens that execution's replay; its group link comes back.
  const other = members.find((m) => m.id !== chosen) ?? members[0]!
  await page.locator(`[data-testid=subgoal-cell][data-member="${other.id}"]`).first().click()
  await page.waitForURL(new RegExp(`#/episodes/${other.id}(\\?|$)`))
  await page.getByTestId('episode-facts').waitFor()
  const blueprint = await page.locator('[data-testid^=blueprint-]').count()
  check(
    'a click on a column opens the execution’s replay with its blueprint',
    blueprint === JSON.parse(other.blueprint_json ?? '[]').length,
    `${blueprint} subgoals shown`
  )
  await page.getByTestId('episode-group-link').click()
  await page.waitForURL(new RegExp(`#/groups/${g.id}$`))
  await page.getByTestId('blueprint-columns').waitFor()
  check('the replay links back to its group', true)
}

async function microGroup(page: Page, base: string, macro: Summary): Promise<void> {
  await page.getByTestId('child-link').first().click()
  const childId = macro.childGroupId!
  await page.waitForURL(new RegExp(`#/groups/${childId}$`))
  await page.getByTestId('execution-columns').waitFor()
  const detail = await must<{
    members: { episodeId: number; blueprint: string[] }[]
    parent: { id: number; zStarEpisodeId: number } | null
  }>(base, 'groups/get', { groupId: childId })
  const blueprint = detail.members[0]?.blueprint ?? []
  const rows = await page.locator('[data-testid=execution-row]').count()
  const after = await page.locator('[data-testid=after-plan-row]').count()
  check(
    'Phase B: one row per subgoal of z*, then the steps after the plan',
    rows === blueprint.length && after === 1,
    `${rows} + ${after} rows for ${blueprint.length} subgoals`
  )
  const cells = (await page.locator('[data-testid=execution-cell]').evaluateAll((tds) =>
    tds.map((td) => ({
      member: Number(td.getAttribute('data-member')),
      steps: Number(td.getAttribute('data-steps'))
    }))
  )) as { member: number; steps: number }[]
  const problems: string[] = []
  for (const m of detail.members) {
    const { steps } = await must<{ steps: StepRow[] }>(base, 'episodes/steps', {
      episodeId: m.episodeId
    })
    const shown = cells.filter((c) => c.member === m.episodeId).map((c) => c.steps)
    const stored = Array.from(
      { length: blueprint.length + 1 },
      (_, k) => steps.filter((s) => s.action !== '' && s.subgoalIndex === k).length
    )
    if (JSON.stringify(shown) !== JSON.stringify(stored))
      problems.push(`episode ${m.episodeId}: ${shown.join(',')} vs ${stored.join(',')}`)
  }
  check(
    'Phase B: the steps per subgoal of every execution match the stored steps',
    problems.length === 0 && detail.members.length > 0,
    problems.slice(0, 2).join('; ')
  )
  check('Phase B links to its Phase-A group', detail.parent?.id === macro.id)
  await shot(page, 'group-micro')
  await page.getByTestId('parent-link').click()
  await page.waitForURL(new RegExp(`#/groups/${macro.id}$`))
  await page.getByTestId('blueprint-columns').waitFor()
  check('the Phase-A group is one click back', true)
}

/** The whole flow on a finished HiMAC run of the served database `dbPath`. */
export async function blueprintGroups(
  page: Page,
  base: string,
  runId: number,
  dbPath: string
): Promise<void> {
  const groups = await browser(page, base, runId)
  const macros = groups.filter((g) => g.level === 'macro' && g.childGroupId !== null)
  // The richest Phase-A group: the most distinct blueprints.
  const macro = [...macros].sort((a, b) => b.distinctBlueprints - a.distinctBlueprints)[0]
  if (!macro) throw new Error(`HiMAC run ${runId}: no Phase-A group with a Phase-B child`)
  const db = new Database(dbPath, { readonly: true, fileMustExist: true })
  try {
    await macroGroup(page, db, macro)
  } finally {
    db.close()
  }
  await microGroup(page, base, macro)
}
