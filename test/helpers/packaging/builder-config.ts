// electron-builder's configuration as electron-builder itself reads and validates it, and which paths it
// would ship. Uses electron-builder's own loader, schema and minimatch (resolved through electron-builder,
// which depends on them), so this follows the installed version instead of a re-implementation.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Configuration } from 'electron-builder'

type Pattern = { negate: boolean; match(path: string, partial?: boolean): boolean }
type MinimatchModule = { Minimatch: new (pattern: string, options: { dot: boolean }) => Pattern }
type ConfigModule = {
  getConfig(
    projectDir: string,
    configPath: string | null,
    fromOptions: null
  ): Promise<Configuration>
  validateConfiguration(
    config: Configuration,
    logger: { isEnabled: boolean; add(key: string, value: unknown): void }
  ): Promise<void>
}

const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib'))
const configModule = fromLib('app-builder-lib/out/util/config/config') as ConfigModule
const { Minimatch } = fromLib('minimatch') as MinimatchModule

/** Reads electron-builder.yml (and package.json's `build`, if any) the way `electron-builder` does. */
export async function loadBuilderConfig(projectDir: string): Promise<Configuration> {
  return configModule.getConfig(projectDir, null, null)
}

/** Throws electron-builder's own message when the configuration does not match its schema. */
export async function validateBuilderConfig(config: Configuration): Promise<void> {
  await configModule.validateConfiguration(config, { isEnabled: false, add: () => {} })
}

/** The patterns that apply to the app directory: strings, and the filters of file sets without `from`
 * (electron-builder's loader turns a plain list into `[{ filter: [...] }]`). */
const stringPatterns = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value == null ? [] : [value]).flatMap((p: unknown) => {
    if (typeof p === 'string') return [p]
    const set = p as { from?: string; filter?: string | string[] } | null
    if (set === null || typeof set !== 'object' || (set.from != null && set.from !== '.')) return []
    return Array.isArray(set.filter) ? set.filter : set.filter ? [set.filter] : []
  })

/** electron-builder's filter: patterns in order, a later one may exclude (or re-include) a path. */
function matchesAll(relative: string, patterns: string[]): boolean {
  let match = false
  for (const source of patterns) {
    const pattern = new Minimatch(source, { dot: true })
    if (match !== pattern.negate) continue
    match = pattern.match(relative)
  }
  return match
}

export type FileSetTarget = { from: string; to: string }

/** What the configuration ships, for paths relative to the project (app) directory. */
export type Shipping = {
  /** Inside app.asar (or app.asar.unpacked): a project file or a production dependency's file. */
  inApp(relative: string): boolean
  /** Also a real file on disk: matched by asarUnpack (or the whole app is not an asar). */
  unpacked(relative: string): boolean
  /** The project file copied to `<resources>/<to>` by extraResources, if any. */
  extraResource(to: string): string | undefined
}

export function shipping(config: Configuration, productionPackages: ReadonlySet<string>): Shipping {
  const files = stringPatterns(config.files)
  // node_modules are copied from the production dependency tree, filtered by the exclusions only.
  const moduleFiles = ['**/*', ...files.filter((p) => p.startsWith('!'))]
  const unpack = stringPatterns(config.asarUnpack)
  const extra = (Array.isArray(config.extraResources) ? config.extraResources : []).filter(
    (s): s is FileSetTarget =>
      typeof s === 'object' && s !== null && typeof s.from === 'string' && typeof s.to === 'string'
  )
  return {
    inApp: (relative) => {
      const pkg = packageOf(relative)
      if (pkg === undefined) return matchesAll(relative, files)
      return productionPackages.has(pkg) && matchesAll(relative, moduleFiles)
    },
    unpacked: (relative) => config.asar === false || matchesAll(relative, unpack),
    extraResource: (to) => {
      for (const set of extra) {
        if (set.to === to) return set.from
        const prefix = `${set.to}/`
        if (to.startsWith(prefix)) return path.posix.join(set.from, to.slice(prefix.length))
      }
      return undefined
    }
  }
}

/** `node_modules/@scope/name/…` → `@scope/name`; undefined outside node_modules. */
export function packageOf(relative: string): string | undefined {
  const parts = relative.split('/')
  if (parts[0] !== 'node_modules' || parts.length < 2) return undefined
  return parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]
}

/** The packages electron-builder copies: dependencies and optionalDependencies, transitively. */
export function productionPackages(projectDir: string): Set<string> {
  const seen = new Set<string>()
  const readDeps = (manifest: string): string[] => {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>
    return ['dependencies', 'optionalDependencies'].flatMap((k) =>
      Object.keys((json[k] as Record<string, string> | undefined) ?? {})
    )
  }
  const queue = readDeps(path.join(projectDir, 'package.json'))
  while (queue.length > 0) {
    const name = queue.pop()!
    if (seen.has(name)) continue
    seen.add(name)
    const manifest = path.join(projectDir, 'node_modules', name, 'package.json')
    if (fs.existsSync(manifest)) queue.push(...readDeps(manifest))
  }
  return seen
}
