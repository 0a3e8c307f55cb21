// `npm run dist [-- --linux|--mac|--win] [--keep-electron-build]`: the packaged app for this OS.
//
// better-sqlite3 is not a Node-API module, so the copy `npm install` built for Node cannot load in
// Electron (ABI 115 vs 143). electron-builder.yml keeps `npmRebuild: false` (an offline or stray
// `electron-builder` would "rebuild" against Node's headers, toolchain.md §5/6); this script instead
// rebuilds better-sqlite3 for the installed Electron with @electron/rebuild, packages, and then rebuilds
// it for Node again so that `npm test` keeps working. Needs network access: Electron's headers (or a
// prebuilt better-sqlite3) and electron-builder's Electron zip and target tools are downloaded.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

export type DistStep = {
  label: string
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  /** Runs even when an earlier step failed. */
  always?: boolean
  /** Only for a bare `npm` (npm.cmd on Windows cannot be spawned without a shell). */
  shell?: boolean
}

const PLATFORM_FLAGS = ['--linux', '--mac', '--win'] as const

/** The steps of `npm run dist` for these arguments, in order. */
export function distSteps(argv: string[], env: NodeJS.ProcessEnv, root: string): DistStep[] {
  const require = createRequire(path.join(root, 'package.json'))
  const electronVersion = (require('electron/package.json') as { version: string }).version
  const fromBuilder = createRequire(require.resolve('electron-builder'))
  const fromLib = createRequire(fromBuilder.resolve('app-builder-lib'))
  const rebuildCli = path.join(
    path.dirname(fromLib.resolve('@electron/rebuild/package.json')),
    'lib/cli.js'
  )
  const builderCli = path.join(root, 'node_modules/electron-builder/cli.js')
  // npm passes the user's `nodedir` (here /usr: Node's headers) on to node-gyp, which would then build
  // against Node instead of Electron.
  const electronEnv = Object.fromEntries(
    Object.entries(env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl)$/i.test(k))
  )
  const platforms = argv.filter((a) => (PLATFORM_FLAGS as readonly string[]).includes(a))
  const node = process.execPath
  const steps: DistStep[] = [
    {
      label: 'build (electron-vite)',
      command: node,
      args: [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      env
    },
    {
      label: `rebuild better-sqlite3 for Electron ${electronVersion}`,
      command: node,
      args: [rebuildCli, '--version', electronVersion, '--only', 'better-sqlite3', '--force'],
      env: electronEnv
    },
    {
      label: 'package (electron-builder)',
      command: node,
      args: [builderCli, '--config', 'electron-builder.yml', '--publish', 'never', ...platforms],
      env: electronEnv
    }
  ]
  if (!argv.includes('--keep-electron-build')) {
    // Under `npm run`, npm_execpath is npm's own CLI; otherwise the `npm` on PATH.
    const npm = env['npm_execpath']
      ? { command: node, args: [env['npm_execpath']] }
      : { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [], shell: true }
    // @electron/rebuild's marker would otherwise outlive its build when npm fetches a prebuilt binary
    // (the Electron smoke test reads it).
    const marker = path.join(root, 'node_modules/better-sqlite3/build/Release/.forge-meta')
    steps.push({
      label: "forget @electron/rebuild's marker",
      command: node,
      args: ['-e', 'require("node:fs").rmSync(process.argv[1], { force: true })', marker],
      env,
      always: true
    })
    steps.push({
      label: 'rebuild better-sqlite3 for Node again',
      ...npm,
      args: [...npm.args, 'rebuild', 'better-sqlite3'],
      env,
      always: true
    })
  }
  return steps
}

function main(): void {
  const root = path.resolve(import.meta.dirname, '..')
  let failed: string | undefined
  for (const step of distSteps(process.argv.slice(2), process.env, root)) {
    if (failed && !step.always) continue
    console.log(`[dist] ${step.label}`)
    const result = spawnSync(step.command, step.args, {
      cwd: root,
      env: step.env,
      stdio: 'inherit',
      shell: step.shell ?? false
    })
    if (result.status !== 0)
      failed ??= `${step.label} failed (exit ${result.status ?? result.signal})`
  }
  if (failed) {
    console.error(`[dist] ${failed}`)
    process.exit(1)
  }
  console.log('[dist] done: see release/')
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main()
