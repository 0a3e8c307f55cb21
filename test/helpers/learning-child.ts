// Runs one short learning run in a child Node process (its own tfjs backend and BLAS pool) and
// prints `{ status, points }` as JSON on stdout: `node --import tsx test/helpers/learning-child.ts`
// with the experiment config (JSON) on stdin. Two such children use the two cores at once, where
// one process leaves a core idle while it rolls out (the rollout is single-threaded JavaScript).
import { experimentConfigSchema } from '../../core/api/config'
import { runExperiment } from '../../core/train/run'
import { metricsSink, type Point } from './learning-sink'

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const config = experimentConfigSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
const points: Point[] = []
const outcome = await runExperiment(config, metricsSink(points))
// The BLAS pool and the backend keep no work queued, but exit rather than wait on their handles.
process.stdout.write(`${JSON.stringify({ status: outcome.status, points })}\n`, () =>
  process.exit(0)
)
