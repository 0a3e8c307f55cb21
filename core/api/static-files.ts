// Web mode's static files: request paths checked before any normalisation, and files served only
// from inside the build folder (symbolic links that lead out of it are not followed).
import fs from 'node:fs'
import path from 'node:path'

export type PathCheck = { ok: true; path: string; query: string } | { ok: false; reason: string }

/**
 * The decoded path of a raw request target (`req.url`). Refused: anything but an origin-form path,
 * `.`/`..` segments (also percent-encoded), encoded slashes and backslashes, backslashes, NUL and
 * control characters, drive letters. The WHATWG URL parser would silently resolve some of these.
 */
export function checkRequestPath(target: string): PathCheck {
  const q = target.indexOf('?')
  const raw = q < 0 ? target : target.slice(0, q)
  const query = q < 0 ? '' : target.slice(q + 1)
  if (!raw.startsWith('/') || raw.startsWith('//')) return { ok: false, reason: 'not a path' }
  if (raw.includes('\\') || /%(2f|5c)/i.test(raw)) return { ok: false, reason: 'encoded separator' }
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return { ok: false, reason: 'bad percent-encoding' }
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, reason: 'control character' }
  if (decoded.split('/').some((s) => s === '.' || s === '..'))
    return { ok: false, reason: 'dot segment' }
  if (/^\/[A-Za-z]:/.test(decoded)) return { ok: false, reason: 'drive letter' }
  return { ok: true, path: decoded, query }
}

export type StaticFile = { ok: true; file: string } | { ok: false; status: 404 }

/** The file a checked path names under `rootReal` (a realpath); `/` is index.html. */
export function resolveStaticFile(rootReal: string, decodedPath: string): StaticFile {
  const rel = decodedPath === '/' ? 'index.html' : decodedPath.slice(1)
  let real: string
  try {
    real = fs.realpathSync(path.join(rootReal, rel))
  } catch {
    return { ok: false, status: 404 }
  }
  if (!real.startsWith(rootReal + path.sep) || !fs.statSync(real).isFile())
    return { ok: false, status: 404 }
  return { ok: true, file: real }
}
