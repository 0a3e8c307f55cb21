// The review queue's URL: which label, which episodes (phase, outcome, only unlabeled), and where
// in the queue, so a review can be linked and resumed.
export type ReviewView = {
  label: string | null
  phase: 'train' | 'eval' | null
  success: boolean | null
  unlabeledOnly: boolean
  /** The episode on screen. */
  episode: number | null
}

export function parseReviewView(query: string): ReviewView {
  const p = new URLSearchParams(query)
  const phase = p.get('phase')
  const success = p.get('success')
  const episode = Number(p.get('episode'))
  return {
    label: p.get('label') || null,
    phase: phase === 'train' || phase === 'eval' ? phase : null,
    success: success === 'true' ? true : success === 'false' ? false : null,
    unlabeledOnly: p.get('all') !== '1',
    episode: Number.isInteger(episode) && episode >= 1 ? episode : null
  }
}

export function reviewQuery(v: ReviewView): string {
  const p = new URLSearchParams()
  if (v.label !== null) p.set('label', v.label)
  if (v.phase !== null) p.set('phase', v.phase)
  if (v.success !== null) p.set('success', String(v.success))
  if (!v.unlabeledOnly) p.set('all', '1')
  if (v.episode !== null) p.set('episode', String(v.episode))
  return p.toString()
}
