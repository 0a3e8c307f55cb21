// electron-builder.yml against what the app needs: electron-builder's own loader and schema accept it,
// the app facts (id, name = the user-data folder, targets, icons, licenses, the Electron rebuild of
// better-sqlite3) hold, and every file, package and resource a fresh electron-vite build loads at run
// time (main, preload, the trainer utilityProcess and their chunks) is shipped, unpacked where it must
// be a real file. On Linux, electron-builder itself then packages a `dir` build offline (a stand-in for
// the Electron zip) and the same loads are looked up in what it produced. Nothing here downloads.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Configuration } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_NAME } from '../../core/paths'
import { distSteps } from '../../scripts/dist'
import {
  loadBuilderConfig,
  productionPackages,
  shipping,
  validateBuilderConfig
} from '../helpers/packaging/builder-config'
import { unshippedLoads, type LoadContext } from '../helpers/packaging/check-loads'
import { packageDir } from '../helpers/packaging/package-dir'
import { findRuntimeLoads, type RuntimeLoad } from '../helpers/packaging/runtime-loads'
import { tempDir } from '../helpers/tmp'

const root = path.resolve('.')
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  main: string
  optionalDependencies: Record<string, string>
}

/** Packages the code tries and whose absence it handles (each is an optionalDependency). */
const OPTIONAL = new Set(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'])

/** Loads the walker cannot read from the code; each names what it loads and why that ships. */
const KNOWN_DYNAMIC = [
  // core/train/backend.ts: `for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'])`.
  { code: 'await import( /* @vite-ignore */ pkg );', loads: 'the optional tensorflow backends' },
  // core/train/native/addon.ts: the first existing addon candidate (<resources>/native/… when packaged).
  { code: 'createRequire(import.meta.url)(found)', loads: 'himac_blas.node (a resource load)' },
  // core/train/webgpu.ts: versions of installed packages, for the run's record; "?" when missing.
  { code: 'createRequire(import.meta.url)(`${name}/package.json`)', loads: 'package.json files' }
]

const tmp = tempDir('himac-packaging-')
let config: Configuration
let loads: RuntimeLoad[]
let ctx: LoadContext

beforeAll(async () => {
  const cli = path.resolve('node_modules/electron-vite/bin/electron-vite.js')
  const out = tmp.file('out')
  await promisify(execFile)(
    process.execPath,
    [cli, 'build', '--outDir', out, '--logLevel', 'error'],
    {
      timeout: 120_000
    }
  )
  config = await loadBuilderConfig(root)
  const production = productionPackages(root)
  ctx = {
    projectDir: root,
    builtDir: out,
    shipping: shipping(config, production),
    production,
    optional: OPTIONAL,
    knownDynamic: KNOWN_DYNAMIC
  }
  loads = findRuntimeLoads(out, pkg.main)
}, 120_000)
afterAll(() => tmp.remove())

const fileLoads = (): string[] => loads.flatMap((l) => (l.kind === 'file' ? [l.path] : []))

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema (and the schema rejects an unknown option)", async () => {
    await validateBuilderConfig(config)
    await expect(
      validateBuilderConfig({ ...config, linux: { ...config.linux, iconz: 'icons' } as never })
    ).rejects.toThrow(/does not match the API schema/)
  })

  it('app id, product name = the user-data folder name, targets, no rebuild by electron-builder', () => {
    expect(config.appId).toBe('dev.himac.workbench')
    // app.getPath('userData') ends in the app's name: one database for the app and the CLI (core/paths.ts).
    expect(config.productName).toBe(APP_NAME)
    expect(fs.readFileSync('electron/main/index.ts', 'utf8')).toContain('app.setName(APP_NAME)')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.asar).toBe(true)
    expect(config.npmRebuild).toBe(false)
  })

  it('npm run dist rebuilds better-sqlite3 for the pinned Electron (not Node headers) and restores it', () => {
    const env = { npm_config_nodedir: '/usr', npm_execpath: '/npm/bin/npm-cli.js', PATH: '/bin' }
    const steps = distSteps(['--linux'], env, root)
    const electron = JSON.parse(fs.readFileSync('node_modules/electron/package.json', 'utf8')) as {
      version: string
    }
    const rebuild = steps.find((s) =>
      s.args[0]?.endsWith(path.join('@electron', 'rebuild', 'lib', 'cli.js'))
    )
    expect(rebuild?.args.slice(1)).toEqual([
      '--version',
      electron.version,
      '--only',
      'better-sqlite3',
      '--force'
    ])
    expect(rebuild?.env).not.toHaveProperty('npm_config_nodedir')
    const labels = steps.map((s) => s.label)
    expect(labels.indexOf(rebuild!.label)).toBeLessThan(
      labels.indexOf('package (electron-builder)')
    )
    const builder = steps.find((s) => s.label === 'package (electron-builder)')
    expect(builder?.args.slice(1)).toEqual([
      '--config',
      'electron-builder.yml',
      '--publish',
      'never',
      '--linux'
    ])
    const restore = steps.at(-1)
    expect(restore?.args).toEqual(['/npm/bin/npm-cli.js', 'rebuild', 'better-sqlite3'])
    expect(restore?.always).toBe(true)
    const forget = steps.at(-2)
    expect(forget?.args.at(-1)).toBe(
      path.join(root, 'node_modules/better-sqlite3/build/Release/.forge-meta')
    )
    expect(forget?.always).toBe(true)
    const kept = distSteps(['--keep-electron-build'], env, root).map((s) => s.label)
    expect(kept).not.toContain(restore?.label)
    expect(kept).not.toContain(forget?.label)
  })

  it('icons: a 1024 px PNG, Linux PNGs at their stated sizes, .ico and .icns', () => {
    const dir = path.join(root, config.directories?.buildResources ?? 'build')
    const pngSize = (file: string): [number, number] => {
      const head = fs.readFileSync(file).subarray(0, 24)
      expect(head.subarray(1, 4).toString('latin1'), file).toBe('PNG')
      return [head.readUInt32BE(16), head.readUInt32BE(20)]
    }
    expect(pngSize(path.join(dir, 'icon.png'))).toEqual([1024, 1024])
    const linuxIcons = path.join(dir, String(config.linux?.icon))
    for (const name of fs.readdirSync(linuxIcons)) {
      const side = Number(/^(\d+)x\1\.png$/.exec(name)?.[1])
      expect(pngSize(path.join(linuxIcons, name)), name).toEqual([side, side])
    }
    expect(fs.readdirSync(linuxIcons)).toEqual(
      expect.arrayContaining(['256x256.png', '512x512.png'])
    )
    const ico = fs.readFileSync(path.join(dir, String(config.win?.icon)))
    expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0])
    const icns = fs.readFileSync(path.join(dir, String(config.mac?.icon)))
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
  })

  it('licenses of the bundled native and wasm code ship in <resources>/licenses', () => {
    const from = ctx.shipping.extraResource('licenses')
    expect(from).toBe('resources/licenses')
    const names = fs.readdirSync(path.join(root, from!))
    for (const part of ['OpenBLAS', 'SQLite', 'better-sqlite3', 'TensorFlow.js', 'XNNPACK'])
      expect(
        names.some((n) => n.startsWith(part)),
        part
      ).toBe(true)
  })
})

describe('every run-time load of the built app is shipped', () => {
  it('the walker finds the entry points, the presets, the natives and the packages', () => {
    expect(fileLoads()).toEqual(
      expect.arrayContaining([
        'out/main/index.js',
        'out/main/trainer.js',
        'out/preload/index.cjs',
        'out/renderer/index.html',
        'resources/presets'
      ])
    )
    expect(fileLoads().filter((f) => f.startsWith('out/renderer/assets/'))).toEqual([
      expect.stringMatching(/^out\/renderer\/assets\/index-[\w-]+\.js$/),
      expect.stringMatching(/^out\/renderer\/assets\/index-[\w-]+\.css$/)
    ])
    const packages = new Set(loads.flatMap((l) => (l.kind === 'package' ? [l.name] : [])))
    for (const name of [
      'better-sqlite3',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      'zod'
    ])
      expect(packages).toContain(name)
    expect(loads).toContainEqual(
      expect.objectContaining({ kind: 'resource', path: 'native/himac_blas.node' })
    )
  })

  it('the configuration ships all of them (natives and wasm unpacked)', () => {
    expect(unshippedLoads(loads, ctx)).toEqual([])
    // The files behind the loads that must be real files on disk (and survive the exclusions).
    expect(
      ctx.shipping.inApp('node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    ).toBe(true)
    expect(
      ctx.shipping.unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')
    ).toBe(true)
    for (const wasm of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'])
      expect(ctx.shipping.unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${wasm}`)).toBe(
        true
      )
    expect(ctx.shipping.extraResource('native/himac_blas.node')).toBe(
      'native/build/Release/himac_blas.node'
    )
    for (const name of OPTIONAL) expect(pkg.optionalDependencies, name).toHaveProperty([name])
  })

  it('every known dynamic load is still in the build (the list does not go stale)', () => {
    const unresolved = loads.filter((l) => l.kind === 'unresolved').map((l) => l.code)
    for (const known of KNOWN_DYNAMIC)
      expect(
        unresolved.some((c) => c.includes(known.code)),
        known.code
      ).toBe(true)
  })

  it('a load the configuration would not ship fails the check (hand-made build)', () => {
    const fake = tmp.file('fake-out')
    fs.mkdirSync(path.join(fake, 'main'), { recursive: true })
    fs.writeFileSync(
      path.join(fake, 'main/index.js'),
      [
        'import Database from "better-sqlite3";',
        'import fc from "fast-check";',
        'import { helper } from "./helper.js";',
        'const ADDON = "other.node";',
        'const model = path.join(import.meta.dirname, "../../assets/model.bin");',
        'const addonPath = path.join(process.resourcesPath, "native", ADDON);',
        'const plugin = await import(pluginName);',
        'const wasm = fs.readFileSync(`${wasmDir}/kernels.wasm`);',
        'const worker = new Worker(workerFile);'
      ].join('\n')
    )
    fs.writeFileSync(path.join(fake, 'main/helper.js'), 'export const helper = 1;\n')
    const found = findRuntimeLoads(fake, 'out/main/index.js')
    const problems = unshippedLoads(found, { ...ctx, builtDir: fake })
    const unresolved = 'a run-time load the walker cannot resolve (out/main/index.js: '
    expect(problems).toEqual([
      'package fast-check is not a dependency or optionalDependency (out/main/index.js: import fc from "fast-check";)',
      `${unresolved}const plugin = await import(pluginName);)`,
      'assets/model.bin does not exist (out/main/index.js: const model = path.join(import.meta.dirname, "../../assets/model.bin");)',
      '<resources>/native/other.node is not in extraResources (out/main/index.js: const addonPath = path.join(process.resourcesPath, "native", ADDON);)',
      `${unresolved}const worker = new Worker(workerFile);)`,
      `${unresolved}const wasm = fs.readFileSync(\`\${wasmDir}/kernels.wasm\`);)`
    ])
    // A project file that exists but is left out of `files`, and a .node file inside the asar.
    expect(
      unshippedLoads(
        [
          { kind: 'file', path: 'scripts/dist.ts', from: 'x', code: 'y' },
          { kind: 'file', path: 'out/main/index.js', from: 'x', code: 'y' }
        ],
        { ...ctx, builtDir: fake }
      )
    ).toEqual(["scripts/dist.ts is not in the builder's files (x: y)"])
    const noUnpack = shipping({ ...config, asarUnpack: [] }, ctx.production)
    expect(unshippedLoads(loads, { ...ctx, shipping: noUnpack })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node must be unpacked/
        ),
        expect.stringMatching(
          /^node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/tfjs-backend-wasm\.wasm must be unpacked/
        )
      ])
    )
  })
})

describe.skipIf(process.platform !== 'linux')(
  'electron-builder itself (--linux dir, a stand-in Electron, offline) ships every load',
  () => {
    it('app.asar, app.asar.unpacked and resources/ hold what the build loads, and nothing excluded', async () => {
      const packaged = await packageDir(root, tmp.file('out'), tmp.file('pack'))
      const unpacked = (rel: string): boolean =>
        fs.existsSync(path.join(packaged.resources, 'app.asar.unpacked', rel))
      const presets = fs.readdirSync('resources/presets').map((f) => `resources/presets/${f}`)
      for (const load of loads) {
        if (load.kind === 'file' && load.path.startsWith('out/'))
          expect(packaged.asarFiles.has(load.path), load.path).toBe(true)
        if (load.kind === 'package' && !OPTIONAL.has(load.name))
          expect(packaged.asarFiles.has(`node_modules/${load.name}/package.json`), load.name).toBe(
            true
          )
        if (load.kind === 'resource')
          expect(fs.existsSync(path.join(packaged.resources, load.path)), load.path).toBe(true)
      }
      for (const preset of presets) expect(unpacked(preset), preset).toBe(true)
      expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true)
      for (const wasm of ['', '-simd', '-threaded-simd'])
        expect(
          unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm${wasm}.wasm`)
        ).toBe(true)
      expect(fs.readdirSync(path.join(packaged.resources, 'licenses'))).toContain('README.md')
      for (const left of [
        'webgpu',
        'tsx',
        'esbuild',
        'vitest',
        'electron',
        '@tensorflow/tfjs-node'
      ])
        expect(
          [...packaged.asarFiles].some((f) => f.startsWith(`node_modules/${left}/`)),
          left
        ).toBe(false)
      expect([...packaged.asarFiles].some((f) => /^(core|renderer|test|cli)\//.test(f))).toBe(false)
      // The model the walker's check uses agrees with electron-builder: nothing shipped that it says is not.
      const outside = [...packaged.asarFiles].filter(
        (f) =>
          !f.endsWith('/') &&
          fs.existsSync(path.join(root, f)) &&
          fs.statSync(path.join(root, f)).isFile() &&
          !ctx.shipping.inApp(f)
      )
      expect(outside).toEqual([])
    }, 200_000)
  }
)
