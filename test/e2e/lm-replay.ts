// An LM run's evaluation replay: each step lists the candidate actions with probabilities that
// sum to ~1 (stored to 4 significant digits), most likely first, the action taken marked.
import type { Page } from 'playwright-core'
import { check, must, shot, shownCandidates, waitForAttr, type EpisodeRow } from './harness'

type CandidateStep = {
  action: string
  candidates: { action: string; prob: number }[] | null
}

export async function lmCandidatesReplay(page: Page, base: string, runId: number): Promise<void> {
  const { items } = await must<{ items: EpisodeRow[] }>(base, 'episodes/page', {
    runId,
    limit: 50,
    phase: 'eval'
  })
  const target = [...items].sort((a, b) => b.length - a.length)[0]
  if (!target) throw new Error(`LM run ${runId}: no evaluation episode`)
  const { steps } = await must<{ steps: CandidateStep[] }>(base, 'episodes/steps', {
    episodeId: target.id
  })
  const acted = steps.filter((s) => s.action !== '')
  check(
    'an LM evaluation episode stores candidates at every action step',
    acted.length > 0 && acted.every((s) => s.candidates !== null && s.candidates.length > 0),
    `${acted.filter((s) => s.candidates).length} of ${acted.length} steps`
  )
  await page.goto(`${base}/#/episodes/${target.id}`)
  await page.getByTestId('candidates').waitFor({ timeout: 15_000 })
  await page.locator('h2').first().click()
  const problems: string[] = []
  const last = Math.min(acted.length - 1, 2)
  for (let k = 0; k <= last; k++) {
    if (k > 0) {
      await page.keyboard.press('ArrowRight')
      await waitForAttr(page, '[data-testid=step-index]', 'data-step', String(k), 5_000)
    }
    const { probs, chosen: marked } = await shownCandidates(page)
    const chosen = marked.length
    const sum = probs.reduce((a, b) => a + b, 0)
    const sorted = probs.every((p, i) => i === 0 || p <= probs[i - 1]!)
    const stored = steps[k]?.candidates?.length ?? 0
    if (Math.abs(sum - 1) > 0.005) problems.push(`step ${k}: probabilities sum to ${sum}`)
    if (!sorted) problems.push(`step ${k}: not sorted`)
    if (chosen !== 1) problems.push(`step ${k}: ${chosen} chosen`)
    if (probs.length !== stored) problems.push(`step ${k}: ${probs.length} shown of ${stored}`)
  }
  check(
    'LM replay shows the candidates with probabilities summing to ~1, sorted, the chosen one marked',
    last >= 0 && problems.length === 0,
    problems.slice(0, 3).join('; ')
  )
  await shot(page, '9-lm-candidates-replay')
}
