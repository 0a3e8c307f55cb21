// Numbered migrations, applied in order, each in its own transaction; version kept in PRAGMA user_version.
import type { Db } from '../open'
import { migration0001 } from './0001_init'
import { migration0002 } from './0002_run_kernels'
import { migration0003 } from './0003_texts'
import { migration0004 } from './0004_step_packs'
import { migration0005 } from './0005_episode_indexes'
import { migration0006 } from './0006_run_backend_device'
import { migration0007 } from './0007_himac_records'
import { migration0008 } from './0008_group_task_type'
import { migration0009 } from './0009_studies'
import { migration0010 } from './0010_run_last_metrics'
import { migration0011 } from './0011_annotations'
import { migration0012 } from './0012_counterfactuals'
import { migration0013 } from './0013_blueprint_pins'
import { migration0014 } from './0014_experiment_meta'
import { migration0015 } from './0015_checkpoint_retain'
import { migration0016 } from './0016_step_pack_bases'
import { migration0017 } from './0017_episode_tasks'
import { migration0018 } from './0018_run_owner'

/** A migration is SQL, or code where rows must be rewritten (it runs inside the transaction). */
export type Migration = { version: number; name: string; sql?: string; up?: (db: Db) => void }

export const migrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: migration0001 },
  { version: 2, name: 'run_kernels', sql: migration0002 },
  { version: 3, name: 'content_addressed_texts', up: migration0003 },
  { version: 4, name: 'step_packs', up: migration0004 },
  { version: 5, name: 'episode_indexes', sql: migration0005 },
  { version: 6, name: 'run_backend_device', sql: migration0006 },
  { version: 7, name: 'himac_records', sql: migration0007 },
  { version: 8, name: 'group_task_type', up: migration0008 },
  { version: 9, name: 'studies', sql: migration0009 },
  { version: 10, name: 'run_last_metrics', sql: migration0010 },
  { version: 11, name: 'annotations', sql: migration0011 },
  { version: 12, name: 'counterfactuals', sql: migration0012 },
  { version: 13, name: 'blueprint_pins', sql: migration0013 },
  { version: 14, name: 'experiment_meta', sql: migration0014 },
  { version: 15, name: 'checkpoint_retain', sql: migration0015 },
  { version: 16, name: 'step_pack_bases', sql: migration0016 },
  { version: 17, name: 'episode_tasks', up: migration0017 },
  { version: 18, name: 'run_owner', sql: migration0018 }
]

export const LATEST_VERSION = migrations.length
