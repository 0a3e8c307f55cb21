// Runs the real electron-builder (`--linux dir`, no installer) offline on a staged copy of the project,
// with a stand-in Electron folder instead of the Electron zip it would download: what lands in app.asar,
// app.asar.unpacked and resources/ is then electron-builder's own file selection for this configuration.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'

type Asar = { listPackage(archive: string, options: { isPack: boolean }): string[] }

const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const asar = createRequire(fromBuilder.resolve('app-builder-lib'))('@electron/asar') as Asar

export type PackagedDir = {
  /** The packaged app's resources folder (process.resourcesPath). */
  resources: string
  /** Paths inside app.asar (unpacked ones included), project-relative, `/`-separated. */
  asarFiles: Set<string>
  log: string
}

/**
 * Stages package.json, the builder config, `builtOut` as out/, resources/ (copied: electron-builder
 * does not follow a linked folder) and links to node_modules and the addon's folder, then packages it.
 */
export async function packageDir(
  projectDir: string,
  builtOut: string,
  work: string
): Promise<PackagedDir> {
  const stage = path.join(work, 'stage')
  fs.mkdirSync(path.join(stage, 'native', 'build'), { recursive: true })
  for (const file of ['package.json', 'electron-builder.yml'])
    fs.copyFileSync(path.join(projectDir, file), path.join(stage, file))
  fs.cpSync(builtOut, path.join(stage, 'out'), { recursive: true })
  fs.cpSync(path.join(projectDir, 'resources'), path.join(stage, 'resources'), { recursive: true })
  fs.symlinkSync(path.join(projectDir, 'node_modules'), path.join(stage, 'node_modules'))
  const addonDir = path.join(projectDir, 'native', 'build', 'Release')
  if (fs.existsSync(addonDir)) fs.symlinkSync(addonDir, path.join(stage, 'native/build/Release'))

  // What electron-builder needs of an Electron folder for `dir` on Linux: the executable (renamed to
  // the app's), the licence files and resources/default_app.asar (removed).
  const electron = path.join(work, 'electron-dist')
  fs.mkdirSync(path.join(electron, 'resources'), { recursive: true })
  fs.writeFileSync(path.join(electron, 'electron'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
  for (const file of ['LICENSE', 'LICENSES.chromium.html', 'resources/default_app.asar'])
    fs.writeFileSync(path.join(electron, file), '')

  const output = path.join(work, 'release')
  const cli = path.join(projectDir, 'node_modules/electron-builder/cli.js')
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      cli,
      '--projectDir',
      stage,
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${electron}`,
      `-c.directories.output=${output}`
    ],
    { timeout: 180_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } }
  )
  const resources = path.join(output, 'linux-unpacked', 'resources')
  const listed = asar.listPackage(path.join(resources, 'app.asar'), { isPack: false })
  return {
    resources,
    asarFiles: new Set(listed.map((p) => p.split(path.sep).join('/').replace(/^\//, ''))),
    log: stdout + stderr
  }
}
