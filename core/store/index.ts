export { openDatabase, migrate, schemaVersion, SchemaTooNewError, type Db } from './open'
export { migrations, LATEST_VERSION } from './migrations'
export { DatabaseFileError } from './db-file'
export { StoreWriter, type AnnotationInput } from './writer'
export { StoreReader, type EpisodeFilter, type EpisodeSort, type StoredGroup } from './queries'
export type { GroupQuery } from './group-queries'
export type { StepRecord, EpisodeRecord, GroupRecord, RolloutBatch } from './records'
export {
  backupTo,
  checkIntegrity,
  vacuum,
  QUICK_CHECK_MAX_BYTES,
  type IntegrityReport
} from './maintenance'
