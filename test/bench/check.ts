// Performance gate, run on demand (`npm run bench:check`), never inside `npm test`: runs the
// benchmarks and exits non-zero when a target of the issues is missed on this machine.
import fs from 'node:fs'
import { runBenchmarks } from '../../cli/bench'
import type { TargetCheck } from '../../cli/bench-targets'

const results = await runBenchmarks(process.argv[2])
const targets = results['targets'] as TargetCheck[]
fs.mkdirSync('test-results', { recursive: true })
fs.writeFileSync('test-results/bench.json', JSON.stringify(results, null, 2) + '\n')
for (const t of targets) {
  const value = t.value === null ? 'n/a' : Number(t.value.toFixed(1)).toLocaleString('en')
  console.log(
    `${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${value} (goal ${t.atMost ? '≤' : '≥'} ${t.goal.toLocaleString('en')})`
  )
}
const missed = targets.filter((t) => t.met !== true).length
console.log(`bench: ${targets.length - missed} passed, ${missed} failed`)
process.exitCode = missed > 0 ? 1 : 0
