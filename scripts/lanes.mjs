// Runs npm scripts at once as lanes (`node scripts/lanes.mjs typecheck lint`): on a 2-core machine
// `npm test` runs its static checks side by side, and its vitest step as two lanes — the short
// learning runs (child processes that keep the cores busy for minutes) beside the rest of the suite,
// one file at a time each — so it takes about the longer lane instead of their sum. Each line carries
// its lane's name; the exit code is 1 when any lane fails (all run to the end).
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const lanes = process.argv.slice(2)
if (lanes.length === 0) {
  console.error('usage: node scripts/lanes.mjs <npm script> [<npm script> …]')
  process.exit(2)
}
// Plain text: the lane prefixes would sit among colour codes otherwise.
const env = { ...process.env, NO_COLOR: '1' }
delete env.FORCE_COLOR
const npm = process.env.npm_execpath

function runLane(name) {
  const started = performance.now()
  const child = npm
    ? spawn(process.execPath, [npm, 'run', '--silent', name], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env
      })
    : spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'], env })
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

const results = await Promise.all(lanes.map(runLane))
process.exitCode = results.every(Boolean) ? 0 : 1
