// Errors caused by what the user asked for: printed as one line (no stack trace), exit code 2.
import { DatabaseFileError, SchemaTooNewError } from '../core/store'
import { BackendUnavailableError } from '../core/train/backend'
import { DiskFullError } from '../core/store/db-file'

export class UsageError extends Error {}

/** The one line to print for an error the user can fix, or null for a bug (keep its stack). */
export function userFacingMessage(err: unknown): string | null {
  if (
    err instanceof UsageError ||
    err instanceof DatabaseFileError ||
    err instanceof DiskFullError ||
    err instanceof BackendUnavailableError
  )
    return err.message
  if (err instanceof SchemaTooNewError) return `${err.message}; nothing was changed`
  return null
}
