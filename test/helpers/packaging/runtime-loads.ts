// Walks an electron-vite build (unminified ESM/CJS) from its entry and lists what it loads at run time:
// its own files (imports, chunks, utilityProcess/worker/preload/renderer files joined onto the module's
// folder), npm packages, files under process.resourcesPath, and every load whose target it cannot read
// from the code (a non-literal import/require, a `.node` / `.wasm` name it cannot place).
import fs from 'node:fs'
import { isBuiltin } from 'node:module'
import path from 'node:path'

export type RuntimeLoad =
  /** A project-relative path (`out/main/trainer.js`, `resources/presets`). */
  | { kind: 'file'; path: string; from: string; code: string }
  | { kind: 'package'; name: string; from: string; code: string }
  /** Relative to process.resourcesPath. */
  | { kind: 'resource'; path: string; from: string; code: string }
  | { kind: 'unresolved'; from: string; code: string }

/** Files the walker reads for further loads. */
const FOLLOWED = /\.(?:c|m)?js$|\.html$/
const STRING = /^(["'])([^"'\\]*)\1$/
const MODULE_DIR =
  /(?:import\.meta\.dirname|__dirname|path\.dirname\(fileURLToPath\(import\.meta\.url\)\))/.source

/** The lines from `index` to `until` (a call spread over lines stays whole), whitespace collapsed. */
const linesOf = (code: string, index: number, until = index): string => {
  const start = code.lastIndexOf('\n', index) + 1
  const end = code.indexOf('\n', until)
  return code
    .slice(start, end < 0 ? undefined : end)
    .replace(/\s+/g, ' ')
    .trim()
}

/** Splits `a, "b", c` at top-level commas. */
function args(list: string): string[] {
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of list) {
    if ('([{'.includes(ch)) depth++
    if (')]}'.includes(ch)) depth--
    if (ch === ',' && depth === 0) {
      out.push(current.trim())
      current = ''
    } else current += ch
  }
  if (current.trim()) out.push(current.trim())
  return out
}

/** String constants of a file (`var ADDON_FILE = "himac_blas.node"`), for path pieces named by a constant. */
function constants(code: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of code.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*(["'])([^"'\\\n]*)\2\s*;/g))
    found.set(m[1]!, m[3]!)
  return found
}

function literalPieces(list: string, consts: Map<string, string>): string[] | undefined {
  const pieces = args(list).map((a) => STRING.exec(a)?.[2] ?? consts.get(a))
  return pieces.every((p) => p !== undefined) ? (pieces as string[]) : undefined
}

const packageName = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!

/** Loads of one built file (`file` is project-relative, e.g. `out/main/index.js`). */
export function loadsOf(file: string, code: string): RuntimeLoad[] {
  const dir = path.posix.dirname(file)
  const consts = constants(code)
  const loads: RuntimeLoad[] = []
  const at = (index: number, length = 0): { from: string; code: string } => ({
    from: file,
    code: linesOf(code, index, index + length)
  })
  const specifier = (spec: string, index: number): void => {
    if (spec.startsWith('.'))
      loads.push({ kind: 'file', path: path.posix.join(dir, spec), ...at(index) })
    else if (!isBuiltin(spec) && spec !== 'electron')
      loads.push({ kind: 'package', name: packageName(spec), ...at(index) })
  }
  const call = (m: RegExpMatchArray, arg: string): void => {
    const literal = STRING.exec(arg.replace(/\/\*.*?\*\//gs, '').trim())
    if (literal) specifier(literal[2]!, m.index!)
    else loads.push({ kind: 'unresolved', ...at(m.index!, m[0].length) })
  }

  for (const m of code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(["'])([^"']+)\1/gm))
    specifier(m[2]!, m.index)
  for (const m of code.matchAll(/^\s*import\s*(["'])([^"']+)\1/gm)) specifier(m[2]!, m.index)
  for (const m of code.matchAll(/(?<![\w.$])import\(([^)]*)\)/g)) call(m, m[1]!)
  for (const m of code.matchAll(/(?<![\w.$])require(?:\.resolve)?\(([^)]*)\)/g)) call(m, m[1]!)
  for (const m of code.matchAll(/createRequire\([^)]*\)(?:\.resolve)?\(([^)]*)\)/g)) call(m, m[1]!)

  // Files joined onto the module's own folder, and `new URL(…, import.meta.url)`.
  const joins = new RegExp(`(?:join|resolve)\\(\\s*${MODULE_DIR}\\s*,([^()]*)\\)`, 'g')
  for (const m of code.matchAll(joins)) {
    const pieces = literalPieces(m[1]!, consts)
    if (pieces) loads.push({ kind: 'file', path: path.posix.join(dir, ...pieces), ...at(m.index) })
    else loads.push({ kind: 'unresolved', ...at(m.index) })
  }
  for (const m of code.matchAll(/new URL\(\s*(["'])([^"']+)\1\s*,\s*import\.meta\.url\s*\)/g))
    loads.push({ kind: 'file', path: path.posix.join(dir, m[2]!), ...at(m.index) })

  // Files under process.resourcesPath (directly or through a variable holding it).
  const aliases = [...code.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*process\.resourcesPath\b/g)]
  const bases = ['process\\.resourcesPath', ...aliases.map((a) => a[1]!)].join('|')
  for (const m of code.matchAll(new RegExp(`join\\(\\s*(?:${bases})\\s*,([^()]*)\\)`, 'g'))) {
    const pieces = literalPieces(m[1]!, consts)
    if (pieces) loads.push({ kind: 'resource', path: path.posix.join(...pieces), ...at(m.index) })
    else loads.push({ kind: 'unresolved', ...at(m.index) })
  }

  for (const m of code.matchAll(/new (?:Worker|SharedWorker)\(\s*(?!new URL\(\s*["'])/g))
    loads.push({ kind: 'unresolved', ...at(m.index) })

  // A native or wasm file named in the code must be one of the loads above.
  const placed = new Set(
    loads.flatMap((l) =>
      l.kind === 'file' || l.kind === 'resource' ? [path.posix.basename(l.path)] : []
    )
  )
  for (const m of code.matchAll(/(["'`])([^"'`\n]*\.(?:node|wasm))\1/g))
    if (!placed.has(path.posix.basename(m[2]!))) loads.push({ kind: 'unresolved', ...at(m.index!) })
  return loads
}

/** The renderer page's own scripts and stylesheets (`src` / `href` relative to the page). */
function assetsOf(file: string, html: string): RuntimeLoad[] {
  return [...html.matchAll(/\b(?:src|href)="(\.{0,2}\/[^"]+)"/g)].map((m) => ({
    kind: 'file',
    path: path.posix.join(path.posix.dirname(file), m[1]!),
    from: file,
    code: m[0]
  }))
}

/** Every load reachable from `entry` (project-relative), reading `out/…` files from `builtDir`. */
export function findRuntimeLoads(builtDir: string, entry: string): RuntimeLoad[] {
  const read = (file: string): string | undefined => {
    const abs = path.join(builtDir, path.posix.relative('out', file))
    return file.startsWith('out/') && fs.existsSync(abs) && fs.statSync(abs).isFile()
      ? fs.readFileSync(abs, 'utf8')
      : undefined
  }
  const all: RuntimeLoad[] = [{ kind: 'file', path: entry, from: 'package.json', code: 'main' }]
  const seen = new Set<string>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift()!
    if (seen.has(file)) continue
    seen.add(file)
    const code = read(file)
    if (code === undefined) continue
    const found = file.endsWith('.html') ? assetsOf(file, code) : loadsOf(file, code)
    for (const load of found) {
      all.push(load)
      if (load.kind === 'file' && FOLLOWED.test(load.path)) queue.push(load.path)
    }
  }
  return all
}
