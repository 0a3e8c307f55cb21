// Bytes per stored step of LM-like ALFWorld episodes, with and without the migration-7 extras.
// Episodes: the reference agents' evaluation episodes; each action step gets candidates as the
// constrained LM decoder records them (every admissible action, then `<sub_done>`), with
// probabilities from a seeded softmax: "flat" like an untrained model, "peaked" like a trained one
// (the chosen action's logit raised). `subDoneProb` is the `<sub_done>` candidate's probability.
// Run: node --import tsx scripts/store-extras-size.ts [episodes per agent, default 100]
import { experimentConfigSchema } from '../core/api/config'
import { mulberry32 } from '../core/rng'
import type { EpisodeRecord, RolloutBatch, StepRecord } from '../core/store/records'
import { packSteps, stepRowOf, type StepRow } from '../core/store/step-pack'
import { runBaseline } from '../core/train/baselines'
import type { TrainingSink } from '../core/train/sink'

const SEED = 515151
const episodesPerAgent = Number(process.argv[2] ?? 100)

async function episodes(algo: 'random' | 'searcher' | 'expert'): Promise<EpisodeRecord[]> {
  const config = experimentConfigSchema.parse({
    env: 'alfworld',
    algo,
    seed: SEED,
    evalEpisodes: episodesPerAgent
  })
  const batches: RolloutBatch[] = []
  const sink: TrainingSink = {
    started: () => undefined,
    rollouts: (b) => batches.push(b),
    metrics: () => undefined,
    progress: () => undefined,
    checkpoint: () => undefined
  }
  await runBaseline(config, sink)
  return batches.flatMap((b) => b.loose)
}

function withCandidates(steps: StepRecord[], peaked: boolean, random: () => number): StepRecord[] {
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  return steps.map((s) => {
    if (s.action === '') return s
    const actions = [...s.admissibleActions, '<sub_done>']
    const logits = actions.map((a) =>
      peaked ? 2 * gauss() + (a === s.action ? 6 : 0) : 0.3 * gauss()
    )
    const max = Math.max(...logits)
    const e = logits.map((l) => Math.exp(l - max))
    const z = e.reduce((x, y) => x + y, 0)
    const candidates = actions.map((action, i) => ({ action, prob: e[i]! / z }))
    return { ...s, candidates, subDoneProb: candidates[candidates.length - 1]!.prob }
  })
}

/** The extras at full double precision (the writer rounds to 4 significant digits). */
function unrounded(s: StepRecord): StepRow {
  const row = stepRowOf(s)
  if (!s.candidates) return row
  const extra = {
    candidates: s.candidates.map((c) => ({ action: c.action, prob: c.prob })),
    subDoneProb: s.subDoneProb
  }
  return { ...row, extra_json: JSON.stringify(extra) }
}

function bytesPerStep(eps: EpisodeRecord[], rows: (s: StepRecord) => StepRow): number {
  let bytes = 0
  let steps = 0
  for (const ep of eps) {
    bytes += packSteps(ep.env, ep.steps.map(rows)).body.length
    steps += ep.steps.length
  }
  return bytes / steps
}

const random = mulberry32(SEED)
console.log(`ALFWorld, ${episodesPerAgent} evaluation episodes per agent; bytes per stored step`)
console.log('agent\tsteps/ep\tadmissible\tno extras\tflat 4sd\tflat full\tpeaked 4sd\tpeaked full')
for (const algo of ['random', 'searcher', 'expert'] as const) {
  const eps = await episodes(algo)
  const flat = eps.map((e) => ({ ...e, steps: withCandidates(e.steps, false, random) }))
  const peaked = eps.map((e) => ({ ...e, steps: withCandidates(e.steps, true, random) }))
  const steps = eps.reduce((n, e) => n + e.steps.length, 0)
  const admissible =
    eps.reduce((n, e) => n + e.steps.reduce((m, s) => m + s.admissibleActions.length, 0), 0) / steps
  const cells = [
    bytesPerStep(eps, stepRowOf),
    bytesPerStep(flat, stepRowOf),
    bytesPerStep(flat, unrounded),
    bytesPerStep(peaked, stepRowOf),
    bytesPerStep(peaked, unrounded)
  ]
  console.log(
    [
      algo,
      (steps / eps.length).toFixed(1),
      admissible.toFixed(1),
      ...cells.map((c) => c.toFixed(1))
    ].join('\t')
  )
}
