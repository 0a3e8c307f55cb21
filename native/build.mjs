#!/usr/bin/env node
// Builds the HiMAC native kernel addon (native/build/Release/himac_blas.node) with node-gyp when a BLAS
// is available. Meant for the npm `install` script: it never fails the install (exit 0 with one line)
// unless --strict is given, so machines without a BLAS keep the pure-wasm fallback.
//
// Usage: node native/build.mjs [--force] [--strict] [--verbose]
// Env:   HIMAC_NATIVE_BUILD=0 skips the build; HIMAC_OPENBLAS_LIB=<path> picks the BLAS library
//        (a static libopenblas.a on Linux, an import .lib on Windows).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = new Set(process.argv.slice(2))
const strict = args.has('--strict')
const verbose = args.has('--verbose')
const addonFile = path.join(here, 'build', 'Release', 'himac_blas.node')
const sources = ['himac_blas.c', 'binding.gyp', 'build.mjs'].map((f) => path.join(here, f))

function done(message, ok) {
  console.log(`[himac-native] ${message}`)
  process.exit(ok || !strict ? 0 : 1)
}

const MULTIARCH = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  ppc64: 'powerpc64le-linux-gnu'
}

/** The BLAS to link: { name, lib } or undefined. Linux needs the static archive (pthread flavour). */
function detectBlas() {
  const override = process.env.HIMAC_OPENBLAS_LIB
  if (override) return existsSync(override) ? { name: 'openblas', lib: override } : undefined
  if (process.platform === 'darwin') {
    const fw = '/System/Library/Frameworks/Accelerate.framework'
    return existsSync(fw) ? { name: 'accelerate', lib: '' } : undefined
  }
  if (process.platform !== 'linux') return undefined
  const triple = MULTIARCH[process.arch] ?? `${process.arch}-linux-gnu`
  const candidates = [
    `/usr/lib/${triple}/openblas-pthread/libopenblas.a`,
    `/usr/lib/${triple}/libopenblas.a`,
    '/usr/lib64/libopenblas.a',
    '/usr/lib/libopenblas.a',
    '/usr/local/lib/libopenblas.a',
    '/opt/OpenBLAS/lib/libopenblas.a'
  ]
  const lib = candidates.find((p) => existsSync(p))
  return lib ? { name: 'openblas-static', lib } : undefined
}

/** npm's bundled node-gyp (npm sets npm_config_node_gyp inside lifecycle scripts). */
function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp
  if (fromNpm && existsSync(fromNpm)) return fromNpm
  const bin = path.dirname(process.execPath)
  const candidates = [
    path.join(
      bin,
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js'
    ),
    path.join(bin, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  ]
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'))
  } catch {
    // not a project dependency
  }
  return candidates.find((p) => existsSync(p))
}

/** Local Node headers, so node-gyp needs no download (the user .npmrc's nodedir is not passed on). */
function findNodeDir() {
  const configured = process.env.npm_config_nodedir
  if (configured && existsSync(path.join(configured, 'include', 'node', 'node_api.h')))
    return configured
  const prefix = path.resolve(path.dirname(process.execPath), '..')
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined
}

function upToDate() {
  if (!existsSync(addonFile)) return false
  const built = statSync(addonFile).mtimeMs
  return sources.every((f) => !existsSync(f) || statSync(f).mtimeMs <= built)
}

function loadCheck() {
  const probe = `const a = require(${JSON.stringify(addonFile)}); console.log(a.blasInfo())`
  const res = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' })
  return res.status === 0
    ? { ok: true, info: res.stdout.trim() }
    : { ok: false, info: res.stderr.trim() }
}

function main() {
  if (process.env.HIMAC_NATIVE_BUILD === '0')
    done('skipped (HIMAC_NATIVE_BUILD=0); using the wasm fallback', true)
  const blas = detectBlas()
  if (!blas) {
    const hint =
      process.platform === 'linux'
        ? 'install libopenblas-dev'
        : process.platform === 'win32'
          ? 'set HIMAC_OPENBLAS_LIB (see native/README.md)'
          : 'unsupported platform'
    done(`no BLAS found (${hint}); the pure-wasm kernels will be used`, false)
  }
  if (!args.has('--force') && upToDate()) {
    const check = loadCheck()
    if (check.ok)
      done(`up to date: ${path.relative(process.cwd(), addonFile)} (${check.info})`, true)
  }
  const gyp = findNodeGyp()
  if (!gyp)
    done('node-gyp not found (it ships with npm); the pure-wasm kernels will be used', false)
  const gypArgs = [gyp, 'rebuild', '--release']
  const nodedir = findNodeDir()
  if (nodedir) gypArgs.push(`--nodedir=${nodedir}`)
  if (blas.lib) gypArgs.push(`--himac_blas_lib=${blas.lib}`)
  const res = spawnSync(process.execPath, gypArgs, {
    cwd: here,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
    env: { ...process.env, JOBS: '1' }
  })
  if (res.status !== 0) {
    let where = ''
    if (!verbose) {
      const log = path.join(here, 'build', 'last-build.log')
      mkdirSync(path.dirname(log), { recursive: true })
      writeFileSync(log, `${res.stdout ?? ''}\n${res.stderr ?? ''}`)
      where = `, log in ${path.relative(process.cwd(), log)}`
    }
    done(
      `build failed (node-gyp exit ${res.status}${where}); the pure-wasm kernels will be used`,
      false
    )
  }
  const check = loadCheck()
  if (!check.ok) done(`built but failed to load: ${check.info.split('\n')[0]}`, false)
  const size = (statSync(addonFile).size / 1e6).toFixed(1)
  done(`built ${path.relative(process.cwd(), addonFile)} (${size} MB, ${check.info})`, true)
}

main()
