// One LM training step on every backend that starts here matches the cpu backend's loss and updated
// weights (STEP_CHECK_TOLERANCE). Each backend runs in its own process (tfjs has one global engine).
// tensorflow (tfjs-node) and webgpu (Dawn: needs a GPU driver, or Mesa's lavapipe, which the check
// forces; Debian 12's 22.3 lacks a Vulkan feature Dawn needs, 25.0 from bookworm-backports works) are
// skipped with the reason when they cannot start; wasm must always run.
// HIMAC_BACKEND_CHECK_ALL=1 also checks the stock wasm kernels.
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkBackends, type BackendCheckReport } from '../../core/train/backends/check'
import { tsxWorker } from '../../core/train/backends/child'
import type { Variant } from '../../core/train/backends/variant'

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg)
    return true
  } catch {
    return false
  }
}
// No process for tfjs-node where it is not installed (the usual case): that is a skip either way.
const hasTensorflow = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some(installed)
const variants: Variant[] = [
  ...(hasTensorflow ? ['tensorflow' as const] : []),
  'webgpu',
  'wasm+native'
]
if (process.env.HIMAC_BACKEND_CHECK_ALL === '1') variants.push('wasm')
const mustStart = new Set<Variant>(['wasm+native', 'wasm'])

let report: BackendCheckReport

beforeAll(async () => {
  report = await checkBackends(tsxWorker(), variants, 90_000)
}, 240_000)

describe('one LM training step per backend vs cpu', () => {
  it('ran the cpu reference step', () => {
    expect(Number.isFinite(report.reference.loss)).toBe(true)
  })

  if (!hasTensorflow) {
    it.skip('tensorflow: @tensorflow/tfjs-node(-gpu) is not installed here', () => undefined)
  }

  for (const variant of variants) {
    it(`${variant} matches cpu within tolerance`, (ctx) => {
      const row = report.rows.find((r) => r.variant === variant)
      if (!row) throw new Error(`no row for ${variant}`)
      if (row.status === 'skipped') {
        if (mustStart.has(variant)) throw new Error(`${variant} did not start: ${row.reason}`)
        console.warn(`backends.test: ${variant} skipped: ${row.reason}`)
        ctx.skip(`${variant} cannot start here: ${row.reason}`)
        return
      }
      const c = row.comparison
      expect(c.initialMaxDiff).toBe(0)
      expect(c.maxUpdateCpu).toBeGreaterThan(0)
      expect(c.lossRelDiff).toBeLessThanOrEqual(report.tolerance.lossRel)
      expect(c.updateRelDiff).toBeLessThanOrEqual(report.tolerance.updateRel)
      expect(row.status).toBe('pass')
    })
  }
})

describe('himac train --backend webgpu', () => {
  it('fails with one line and exit code 2, the reason stored with the failed run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-backend-'))
    const db = path.join(dir, 'runs.db')
    const args = ['bin/himac.js', 'train', '--backend', 'webgpu', '--iterations', '1']
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [...args, '--no-progress', '--db', db], (err, _out, stderr) =>
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, stderr })
      )
    )
    const stored = new Database(db, { readonly: true })
    const run = stored.prepare('SELECT status, error FROM runs').get() as {
      status: string
      error: string
    }
    stored.close()
    fs.rmSync(dir, { recursive: true, force: true })
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/^backend 'webgpu' is unavailable: /)
    // Training reads synchronously, so webgpu is refused whether or not a GPU is there.
    expect(code).toBe(2)
    expect(stderr.trim()).toMatch(/^error: backend 'webgpu' is unavailable: .*synchronously/)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  }, 60_000)
})
