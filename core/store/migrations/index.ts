// Numbered migrations, applied in order, each in its own transaction; version kept in PRAGMA user_version.
import { migration0001 } from './0001_init'
import { migration0002 } from './0002_run_kernels'

export type Migration = { version: number; name: string; sql: string }

export const migrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: migration0001 },
  { version: 2, name: 'run_kernels', sql: migration0002 }
]

export const LATEST_VERSION = migrations.length
