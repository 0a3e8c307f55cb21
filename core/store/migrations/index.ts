// Numbered migrations, applied in order, each in its own transaction; version kept in PRAGMA user_version.
import { migration0001 } from './0001_init'

export type Migration = { version: number; name: string; sql: string }

export const migrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: migration0001 }
]

export const LATEST_VERSION = migrations.length
