// Where the shared real-data fixtures live: the nearest `shared/fixtures/<name>` above this checkout.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export function sharedFixture(name: string): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'fixtures', name)
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}
