// `npm run test:unit`: the vitest suite as two lanes run at once — the short learning runs (child
// processes that keep the cores busy for minutes) and everything else, one file at a time each — so
// the suite takes about the longer lane instead of their sum. Each lane's lines carry its name; the
// exit code is 1 when either lane fails. Arguments are passed to both lanes (e.g. --reporter).
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const LANES = ['learning', 'suite']
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname
// Plain text: the lane prefixes would sit among colour codes otherwise.
const env = { ...process.env, NO_COLOR: '1' }
delete env.FORCE_COLOR

function runLane(name) {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [vitest, 'run', '--project', name, ...process.argv.slice(2)],
    { stdio: ['ignore', 'pipe', 'pipe'], env }
  )
  for (const stream of [child.stdout, child.stderr]) {
    const out = stream === child.stdout ? process.stdout : process.stderr
    createInterface({ input: stream }).on('line', (line) => out.write(`[${name}] ${line}\n`))
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0)
      const outcome = code === 0 ? 'passed' : `failed (${signal ?? `exit ${code}`})`
      console.log(`[${name}] lane ${outcome} in ${seconds} s`)
      resolve(code === 0)
    })
  })
}

const results = await Promise.all(LANES.map(runLane))
process.exitCode = results.every(Boolean) ? 0 : 1
