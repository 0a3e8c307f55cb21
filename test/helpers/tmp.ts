// Temporary directories for tests that use real SQLite files.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export function tempDir(prefix = 'himac-test-'): {
  dir: string
  file(name: string): string
  remove(): void
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => fs.rmSync(dir, { recursive: true, force: true })
  }
}
