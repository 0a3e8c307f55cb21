// The e2e's shared pieces: checks with a running tally, API calls, polling waits, screenshots.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { tokenFor } from './server'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const resultsDir = path.join(repoRoot, 'test-results')
/** A run on a busy 2-core machine: trainer start-up (tfjs) plus the work. */
export const RUN_TIMEOUT_MS = 180_000

export const tally = { passed: 0, failed: 0 }

export function check(name: string, ok: boolean, detail = ''): void {
  if (ok) tally.passed++
  else tally.failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`)
}

type ApiResult<T> = { data?: T; error?: { type: string; message: string; field?: string } }

export async function api<T>(base: string, command: string, input: unknown): Promise<ApiResult<T>> {
  const res = await fetch(`${base}/api/${command}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokenFor(base) ?? ''}`
    },
    body: JSON.stringify(input)
  })
  return (await res.json()) as ApiResult<T>
}

/** The data of a command that must succeed (the flow cannot go on without it). */
export async function must<T>(base: string, command: string, input: unknown): Promise<T> {
  const r = await api<T>(base, command, input)
  if (r.data === undefined) throw new Error(`${command} failed: ${JSON.stringify(r.error)}`)
  return r.data
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(resultsDir, `e2e-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/**
 * A candidate list of the replay in `scope`, expanded to every row: each row's probability in the
 * order shown, and the text of the row(s) marked as the action taken.
 */
export async function shownCandidates(
  scope: Page | Locator,
  testId = 'candidate'
): Promise<{ probs: number[]; chosen: string[] }> {
  const more = scope.getByTestId(`${testId}s-more`)
  if ((await more.count()) === 1 && !((await more.textContent()) ?? '').startsWith('show'))
    await more.click()
  const probs = (await scope
    .locator(`[data-testid=${testId}]`)
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-prob'))))) as number[]
  const chosen = await scope.locator(`[data-testid=${testId}][data-chosen=true]`).allTextContents()
  return { probs, chosen }
}

/** What the page showed when the flow failed: a screenshot, its URL and the start of its text. */
export async function failureEvidence(page: Page): Promise<void> {
  try {
    const file = await shot(page, 'failure')
    const text = (await page.evaluate('document.body.innerText')) as string
    console.log(`failure at ${page.url()} (${path.relative(repoRoot, file)}):`)
    console.log(text.replace(/\s+/g, ' ').slice(0, 800))
  } catch (err) {
    console.log(`no failure evidence: ${err instanceof Error ? err.message : String(err)}`)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls `probe` until it returns true; false after `timeoutMs` (never throws for a timeout). */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 50
): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await probe()) return true
    if (Date.now() > until) return false
    await sleep(intervalMs)
  }
}

export async function attr(page: Page, selector: string, name: string): Promise<string | null> {
  const el = page.locator(selector).first()
  if ((await el.count()) === 0) return null
  return el.getAttribute(name, { timeout: 1_000 }).catch(() => null)
}

export async function waitForAttr(
  page: Page,
  selector: string,
  name: string,
  value: string,
  timeoutMs = 15_000
): Promise<void> {
  let last: string | null = null
  const ok = await waitUntil(async () => {
    last = await attr(page, selector, name)
    return last === value
  }, timeoutMs)
  if (!ok) throw new Error(`${selector} [${name}] is ${last}, not ${value}, after ${timeoutMs} ms`)
}

// Config and records as the e2e reads them from the API.
export type Config = {
  env: string
  algo: string
  iterations: number
  seed: number
  groupsPerIteration: number
  groupSize: number
  evalEvery: number
  evalEpisodes: number
  policy?: {
    kind?: string | null
    warmStart?: { episodes: number; epochs: number; from: string | null }
  }
  himac?: { phaseA?: number; phaseB?: number }
}
export type Preset = { id: string; name: string; config: Config & Record<string, unknown> }
export type RunRow = {
  id: number
  experimentId: number
  status: string
  error: string | null
  backend: string | null
  kernels: string | null
  iterations: number
  iterationsDone: number
  config: Config
}
export type EpisodeRow = {
  id: number
  iteration: number
  phase: 'train' | 'eval'
  return: number
  success: boolean
  length: number
  blueprint: string[] | null
}
export type MetricPoint = { iteration: number; values: Record<string, number> }

export const isEvaluation = (c: Config): boolean =>
  !['grpo', 'gigpo', 'rloo', 'himac'].includes(c.algo)

export const isLm = (c: Config): boolean =>
  c.algo === 'himac' || (c.policy?.kind ?? (c.env === 'sokoban' ? 'mlp' : 'lm')) === 'lm'

/** Rollout rounds per iteration: HiMAC's Phase A and Phase B rounds, one for flat algorithms. */
const roundsPerIteration = (c: Config): number =>
  c.algo === 'himac' ? (c.himac?.phaseA ?? 1) + (c.himac?.phaseB ?? 1) : 1

/** Behaviour-cloning epochs an LM run reports before its RL iterations (core/api/config.ts). */
export function cloneEpochs(c: Config): number {
  const w = c.policy?.warmStart
  return isLm(c) && !isEvaluation(c) && w && w.from === null && w.episodes > 0 ? w.epochs : 0
}

/** Every iteration a training run reports: cloning epochs, then RL iterations. */
export const totalIterations = (c: Config): number => c.iterations + cloneEpochs(c)

/** Iterations that evaluate: every `evalEvery`-th RL iteration and the last (core/train/grpo.ts). */
export function evalIterations(c: Config): number[] {
  if (isEvaluation(c)) return [0]
  if (c.evalEvery === 0) return []
  const first = cloneEpochs(c)
  const its: number[] = []
  for (let i = 0; i < c.iterations; i++) {
    if (i % c.evalEvery === 0 || i === c.iterations - 1) its.push(first + i)
  }
  return its
}

/**
 * groups × group size × iterations + eval episodes × evaluations (+ the cloned demonstrations of an
 * LM run); a reference agent: its episodes.
 */
export function expectedEpisodes(c: Config): number {
  if (isEvaluation(c)) return c.evalEpisodes
  const demos = cloneEpochs(c) > 0 ? (c.policy?.warmStart?.episodes ?? 0) : 0
  return (
    demos +
    c.groupsPerIteration * c.groupSize * c.iterations * roundsPerIteration(c) +
    c.evalEpisodes * evalIterations(c).length
  )
}

export async function allEpisodes(base: string, runId: number): Promise<EpisodeRow[]> {
  const out: EpisodeRow[] = []
  for (;;) {
    const page = await must<{ total: number; items: EpisodeRow[] }>(base, 'episodes/page', {
      runId,
      offset: out.length,
      limit: 500
    })
    out.push(...page.items)
    if (page.items.length === 0 || out.length >= page.total) return out
  }
}
