// Blueprint pins in Chromium: a short HiMAC run is stopped after its first RL iteration, one of a
// Phase-A group's blueprints is pinned from the group view, the run is resumed from the experiment
// page, and every later iteration's Phase-B group of that task executes the pinned blueprint (the
// group view says so) — checked against the API.
import type { Page } from 'playwright-core'
import { check, must, RUN_TIMEOUT_MS, shot, waitUntil, type RunRow } from './harness'

/** Enough RL iterations that the stop lands before the run ends. */
const RL_ITERATIONS = 6

type Pin = { id: number; taskSeed: number; blueprint: string[]; fromIteration: number | null }
type Summary = {
  id: number
  iteration: number
  level: string
  taskSeed: number
  pinId: number | null
}

export async function pinsFlow(
  page: Page,
  base: string,
  config: Record<string, unknown>
): Promise<string[]> {
  const created = await must<{ id: number }>(base, 'experiments/create', {
    name: 'e2e pins',
    config: { ...config, iterations: RL_ITERATIONS, evalEvery: 0 }
  })
  const run = await must<RunRow>(base, 'experiments/start', { experimentId: created.id })
  // Stop once the first RL iteration (after one cloning epoch) is stored.
  await waitUntil(
    async () => (await must<RunRow>(base, 'runs/get', { runId: run.id })).iterationsDone >= 2,
    RUN_TIMEOUT_MS,
    100
  )
  await must(base, 'experiments/stop', { runId: run.id })
  await waitUntil(
    async () => (await must<RunRow>(base, 'runs/get', { runId: run.id })).status === 'stopped',
    60_000,
    100
  )
  const stoppedAt = (await must<RunRow>(base, 'runs/get', { runId: run.id })).iterationsDone
  const macro = (
    await must<{ items: Summary[] }>(base, 'groups/page', {
      runId: run.id,
      level: 'macro',
      limit: 1
    })
  ).items[0]!
  await page.goto(`${base}/#/groups/${macro.id}`)
  await page.getByTestId('pins-panel').waitFor()
  await page.getByTestId('pin-member-0').click()
  await page.getByTestId('pin-list').waitFor()
  const [pin] = await must<Pin[]>(base, 'pins/list', { runId: run.id })
  const listed = (await page.getByTestId('pin-list').textContent()) ?? ''
  check(
    'a Phase-A blueprint pinned from the group view waits for the next iteration',
    pin !== undefined &&
      pin.taskSeed === macro.taskSeed &&
      pin.fromIteration === null &&
      listed.includes('waiting'),
    listed
  )
  await page.goto(`${base}/#/experiments/${created.id}`)
  await page.getByTestId('run-resume').click()
  const done = await waitUntil(
    async () => (await must<RunRow>(base, 'runs/get', { runId: run.id })).status === 'completed',
    RUN_TIMEOUT_MS,
    250
  )
  const after = (await must<Pin[]>(base, 'pins/list', { runId: run.id }))[0]
  const micro = (
    await must<{ items: Summary[] }>(base, 'groups/page', {
      runId: run.id,
      level: 'micro',
      limit: 200
    })
  ).items
  const pinned = micro.filter((g) => g.pinId === after?.id)
  check(
    'the resumed run executes the pinned blueprint for its task in each later iteration',
    done &&
      after?.fromIteration === stoppedAt &&
      pinned.map((g) => g.iteration).join() ===
        Array.from({ length: RL_ITERATIONS + 1 - stoppedAt }, (_, i) => stoppedAt + i).join() &&
      pinned.every((g) => g.taskSeed === pin?.taskSeed),
    `stopped at ${stoppedAt}; pin from ${after?.fromIteration}; pinned groups in ${pinned.map((g) => g.iteration).join()}`
  )
  const first = pinned[0]
  if (first) {
    await page.goto(`${base}/#/groups/${first.id}`)
    await page.getByTestId('group-pinned').waitFor()
    const text = (await page.getByTestId('group-pinned').textContent()) ?? ''
    check(
      'the Phase-B group view says it executed the pin',
      text.includes(`pin #${after?.id}`),
      text
    )
  }
  return [await shot(page, 'pins-group')]
}
