#!/usr/bin/env node
// Fetches the Electron runtime binary after `npm install` / `npm ci`, and never fails the install.
//
// electron's own postinstall downloads the binary and fails the whole install when it cannot (no
// network, a blocked host). package.json's allowScripts denies that script ("electron": false) and this
// root postinstall runs the same installer instead: where the download works the app gets its runtime;
// where it does not, one line says so and `npm start` / `npm run dev` use web mode.
//
// Env: ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download (electron's own switch);
//      HIMAC_ELECTRON_DOWNLOAD_TIMEOUT_S bounds it (default 600).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

function note(message) {
  console.log(`[himac-electron] ${message}`)
  process.exit(0)
}

let electronDir
try {
  electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'))
} catch {
  note('electron is not installed (production install); nothing to fetch.')
}

const pathFile = path.join(electronDir, 'path.txt')
if (existsSync(pathFile)) {
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (existsSync(binary)) note(`Electron runtime present (${binary}).`)
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  note('ELECTRON_SKIP_BINARY_DOWNLOAD is set; not downloading the Electron runtime.')
}

const timeoutS = Number(process.env.HIMAC_ELECTRON_DOWNLOAD_TIMEOUT_S ?? 600)
const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
  cwd: electronDir,
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
  timeout: timeoutS * 1000
})
if (result.status === 0) note('Electron runtime downloaded.')
const why = result.error
  ? result.error.code === 'ETIMEDOUT'
    ? `no answer within ${timeoutS} s`
    : result.error.message
  : ((result.stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /error/i.test(l)) ?? `exit code ${result.status}`)
note(
  `The Electron runtime could not be downloaded (${why}): npm start and npm run dev will use web mode. ` +
    'To retry: node node_modules/electron/install.js'
)
