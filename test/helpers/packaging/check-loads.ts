// Compares the run-time loads of a build with what an electron-builder configuration ships.
import fs from 'node:fs'
import path from 'node:path'
import type { Shipping } from './builder-config'
import type { RuntimeLoad } from './runtime-loads'

export type LoadContext = {
  projectDir: string
  /** The electron-vite output standing in for the project's `out/`. */
  builtDir: string
  shipping: Shipping
  /** dependencies + optionalDependencies, transitively. */
  production: ReadonlySet<string>
  /** Packages the code may try and that need not be shipped (their absence is handled). */
  optional: ReadonlySet<string>
  /** Loads the walker cannot resolve, each known by a piece of its line, with what it loads. */
  knownDynamic: ReadonlyArray<{ code: string; loads: string }>
}

const NATIVE = /\.(?:node|wasm)$/

/** Project files under `rel` (a file or folder; `out/…` read from builtDir). */
function filesAt(ctx: LoadContext, rel: string): string[] | undefined {
  const abs = rel.startsWith('out/')
    ? path.join(ctx.builtDir, path.posix.relative('out', rel))
    : path.join(ctx.projectDir, rel)
  if (!fs.existsSync(abs)) return undefined
  if (fs.statSync(abs).isFile()) return [rel]
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(abs, f)).isFile())
    .map((f) => path.posix.join(rel, f.split(path.sep).join('/')))
}

/** Native and wasm files of a package (nested node_modules are other packages). */
function nativeFilesOf(ctx: LoadContext, name: string): string[] {
  const root = path.join(ctx.projectDir, 'node_modules', name)
  if (!fs.existsSync(root)) return []
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => NATIVE.test(f) && !f.includes('node_modules/'))
    .map((f) => `node_modules/${name}/${f}`)
}

function checkFile(ctx: LoadContext, load: RuntimeLoad & { kind: 'file' }): string[] {
  const files = filesAt(ctx, load.path)
  if (!files || files.length === 0)
    return [`${load.path} does not exist (${load.from}: ${load.code})`]
  return files.flatMap((f) => {
    if (!ctx.shipping.inApp(f))
      return [`${f} is not in the builder's files (${load.from}: ${load.code})`]
    if (NATIVE.test(f) && !ctx.shipping.unpacked(f))
      return [`${f} must be unpacked from the asar (${load.from}: ${load.code})`]
    return []
  })
}

function checkPackage(ctx: LoadContext, load: RuntimeLoad & { kind: 'package' }): string[] {
  const { name } = load
  const where = `(${load.from}: ${load.code})`
  if (!ctx.production.has(name))
    return [`package ${name} is not a dependency or optionalDependency ${where}`]
  if (ctx.optional.has(name)) return []
  if (!ctx.shipping.inApp(`node_modules/${name}/package.json`))
    return [`package ${name} is excluded by the builder's files ${where}`]
  return nativeFilesOf(ctx, name)
    .filter((f) => ctx.shipping.inApp(f) && !ctx.shipping.unpacked(f))
    .map((f) => `${f} must be unpacked from the asar ${where}`)
}

/** One line per load the configuration would not ship (or ship unusably); empty when all are shipped. */
export function unshippedLoads(loads: RuntimeLoad[], ctx: LoadContext): string[] {
  const problems = loads.flatMap((load): string[] => {
    switch (load.kind) {
      case 'file':
        return checkFile(ctx, load)
      case 'package':
        return checkPackage(ctx, load)
      case 'resource':
        return ctx.shipping.extraResource(load.path) === undefined
          ? [`<resources>/${load.path} is not in extraResources (${load.from}: ${load.code})`]
          : []
      case 'unresolved':
        return ctx.knownDynamic.some((k) => load.code.includes(k.code))
          ? []
          : [`a run-time load the walker cannot resolve (${load.from}: ${load.code})`]
    }
  })
  return [...new Set(problems)]
}
