// Smoke test of the real Electron app (where its runtime can be had): launch the built app under Xvfb,
// open the main window, run a 2-iteration training through the preload bridge (window.himac, the same
// IPC contract the renderer uses), and save a screenshot (test-results/electron-smoke.png).
// Skipped, saying what is missing and how to get it, where it cannot run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { Preset, Run } from '../../core/api/entities'
import { tempDir } from '../helpers/tmp'

const electronDir = path.resolve('node_modules/electron')
const electronVersion = (
  JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')) as { version: string }
).version
const pathFile = path.join(electronDir, 'path.txt')
const binary = fs.existsSync(pathFile)
  ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  : undefined
const needsXvfb = process.platform === 'linux'
const sqliteBuild = path.resolve('node_modules/better-sqlite3/build/Release')

/** What this machine lacks for the smoke test, each with how to get it. */
function missing(): string[] {
  const lacks: string[] = []
  if (!binary || !fs.existsSync(binary))
    lacks.push(
      'the Electron runtime binary (node_modules/electron/dist/): run `node node_modules/electron/install.js` with network access'
    )
  if (needsXvfb && spawnSync('sh', ['-c', 'command -v xvfb-run']).status !== 0)
    lacks.push('xvfb-run: `apt-get install xvfb`')
  // better-sqlite3 is not Node-API: Electron needs its own build (@electron/rebuild marks it).
  const abi = fs.readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim()
  const meta = path.join(sqliteBuild, '.forge-meta')
  if (!fs.existsSync(meta) || !fs.readFileSync(meta, 'utf8').endsWith(`--${abi}`))
    lacks.push(
      `better-sqlite3 built for Electron (ABI ${abi}): with network access run ` +
        `\`npx electron-rebuild --version ${electronVersion} --only better-sqlite3 --force\` ` +
        '(`npm rebuild better-sqlite3` afterwards for the Node tests)'
    )
  return lacks
}

const lacks = missing()
if (lacks.length > 0) console.warn(`Electron smoke test skipped; missing: ${lacks.join('; ')}`)

async function invoke<T>(page: Page, name: string, input: unknown): Promise<T> {
  const result = (await page.evaluate(
    `window.himac.invoke(${JSON.stringify(name)}, ${JSON.stringify(input)})`
  )) as { data?: T; error?: { message: string } }
  if (result.error || result.data === undefined)
    throw new Error(`${name}: ${result.error?.message ?? 'no data'}`)
  return result.data
}

/** A virtual display from xvfb-run (its DISPLAY and the cookie file it requires), alive until `stop`. */
async function startXvfb(): Promise<{ env: Record<string, string>; stop(): void }> {
  const child: ChildProcess = spawn(
    'xvfb-run',
    [
      '-a',
      '-s',
      '-screen 0 1280x800x24 -nolisten tcp',
      'sh',
      '-c',
      'echo "$DISPLAY $XAUTHORITY"; exec sleep 600'
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(String(d).trim()))
    child.once('exit', (code) => reject(new Error(`xvfb-run exited (${code}) before a DISPLAY`)))
  })
  const [display = '', xauthority = ''] = line.split(' ')
  return {
    env: { DISPLAY: display, XAUTHORITY: xauthority },
    stop: () => process.kill(-child.pid!, 'SIGTERM')
  }
}

const tmp = tempDir('himac-electron-smoke-')
let app: ElectronApplication | undefined
let xvfb: Awaited<ReturnType<typeof startXvfb>> | undefined
afterAll(async () => {
  await app?.close()
  xvfb?.stop()
  tmp.remove()
})

describe('the Electron app', () => {
  it.skipIf(lacks.length > 0)(
    `opens its window and trains 2 iterations over IPC${lacks.length > 0 ? ` (skipped: missing ${lacks.length} requirement(s), see the warning above)` : ''}`,
    async () => {
      const cli = path.resolve('node_modules/electron-vite/bin/electron-vite.js')
      expect(spawnSync(process.execPath, [cli, 'build', '--logLevel', 'error']).status).toBe(0)
      xvfb = needsXvfb ? await startXvfb() : undefined
      app = await _electron.launch({
        executablePath: binary!,
        // Chromium refuses to run as root without it (containers, CI).
        args: [
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
          '.',
          `--db=${tmp.file('smoke.db')}`
        ],
        env: {
          ...(process.env as Record<string, string>),
          ...xvfb?.env
        },
        timeout: 60_000
      })
      const page = await app.firstWindow()
      await page.waitForLoadState('domcontentloaded')
      expect(await page.title()).toBe('HiMAC Workbench')

      const presets = await invoke<Preset[]>(page, 'presets/list', {})
      const smoke = presets.find((p) => p.id === 'sokoban-smoke')
      expect(smoke).toBeDefined()
      const experiment = await invoke<{ id: number }>(page, 'experiments/create', {
        name: 'electron smoke',
        preset: 'sokoban-smoke',
        config: { ...smoke!.config, iterations: 2 }
      })
      let run = await invoke<Run>(page, 'experiments/start', { experimentId: experiment.id })
      const deadline = Date.now() + 150_000
      while (!['completed', 'failed', 'stopped'].includes(run.status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500))
        run = await invoke<Run>(page, 'runs/get', { runId: run.id })
      }
      expect(run.error).toBeNull()
      expect(run.status).toBe('completed')
      expect(run.iterationsDone).toBe(2)

      await page.evaluate(`location.hash = '#/experiments/${experiment.id}'`)
      await page.getByTestId('experiment-upkeep').waitFor({ timeout: 10_000 })
      fs.mkdirSync('test-results', { recursive: true })
      await page.screenshot({ path: path.join('test-results', 'electron-smoke.png') })
    },
    240_000
  )
})
