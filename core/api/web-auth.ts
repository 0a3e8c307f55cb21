// Web mode's request checks: the per-launch session token (cookie or Bearer header), the Host header
// (DNS rebinding) and the Origin header (cross-site requests). Pure functions of the request headers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { z } from 'zod'

/** 32 random bytes (256 bits), base64url: 43 characters. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A token from outside (HIMAC_SERVE_TOKEN): base64url, at least 128 bits (22 characters). */
export const sessionTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,256}$/, 'a session token is 22 to 256 base64url characters')

/** The environment variable that fixes the token (a server restarted on the same port keeps its sessions). */
export const TOKEN_ENV = 'HIMAC_SERVE_TOKEN'

/** Per port: cookies ignore the port, so two servers on one host must not overwrite each other's. */
export const sessionCookieName = (port: number): string => `himac_session_${port}`

export type RequestGuard = {
  /** The Host header names this server: 127.0.0.1:PORT or localhost:PORT. */
  hostAllowed(headers: IncomingHttpHeaders): boolean
  /** No Origin header (a script, the CLI, a same-origin GET) or one of the allowed origins. */
  originAllowed(headers: IncomingHttpHeaders): boolean
  /** The session cookie or an `Authorization: Bearer` header carries the token. */
  authorized(headers: IncomingHttpHeaders): boolean
  /** Whether a token from a `?token=` query is this server's. */
  tokenMatches(candidate: string): boolean
  /** Set-Cookie value for a browser that presented the token. */
  sessionCookie(): string
  /** Also accept requests from this origin (the dev server that proxies /api here). */
  allowOrigin(origin: string): void
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

export function createRequestGuard(token: string, port: number): RequestGuard {
  const expected = digest(token)
  const tokenMatches = (candidate: string): boolean => timingSafeEqual(digest(candidate), expected)
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = new Set([...hosts].map((h) => `http://${h}`))
  const cookie = sessionCookieName(port)
  return {
    hostAllowed: (headers) => hosts.has((headers.host ?? '').toLowerCase()),
    originAllowed: (headers) => headers.origin === undefined || origins.has(headers.origin),
    authorized(headers) {
      const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')
      if (bearer?.[1] !== undefined && tokenMatches(bearer[1])) return true
      const value = readCookie(headers.cookie, cookie)
      return value !== undefined && tokenMatches(value)
    },
    tokenMatches,
    sessionCookie: () => `${cookie}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    allowOrigin: (origin) => {
      origins.add(origin.replace(/\/$/, ''))
    }
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
