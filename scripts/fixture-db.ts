// A large workbench database for query benchmarks (see core/train/store-fixture.ts):
//   node --import tsx scripts/fixture-db.ts --episodes 1000000 --steps-per-episode 30 --out FILE
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../core/store'
import { buildFixture } from '../core/train/store-fixture'

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '100000' },
    'steps-per-episode': { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' }
  }
})
if (!values.out) throw new Error('--out FILE is required')
if (fs.existsSync(values.out)) throw new Error(`${values.out} already exists`)
const episodes = Number(values.episodes)
const db = openDatabase(values.out)
// A throwaway file: speed over durability while it is built.
db.pragma('synchronous = OFF')
let lastPrint = 0
const summary = await buildFixture(
  db,
  {
    episodes,
    stepsPerEpisode: Number(values['steps-per-episode']),
    seed: Number(values.seed)
  },
  (p) => {
    if (p.seconds - lastPrint < 10 && p.episodes < episodes) return
    lastPrint = p.seconds
    const rate = Math.round(p.episodes / p.seconds)
    process.stderr.write(
      `${p.episodes}/${episodes} episodes, ${p.steps} steps, ${p.runs} runs, ${p.seconds.toFixed(0)} s (${rate} episodes/s)\n`
    )
  }
)
db.pragma('wal_checkpoint(TRUNCATE)')
db.close()
const bytes = fs.statSync(values.out).size
console.log(
  JSON.stringify({ ...summary, bytes, bytesPerStep: +(bytes / summary.steps).toFixed(1) }, null, 2)
)
