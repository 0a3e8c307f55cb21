// Turning failures into the API's error data.
import { z } from 'zod'
import type { ApiError } from './entities'

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

export const notFound = (what: string): ApiFailure =>
  new ApiFailure({ type: 'NotFound', message: `${what} not found` })
export const conflict = (message: string): ApiFailure =>
  new ApiFailure({ type: 'Conflict', message })
/** A value that passed the schema but not a check against the store (a label's allowed values). */
export const validationFailure = (message: string, field: string): ApiFailure =>
  new ApiFailure({ type: 'ValidationError', message: `${field}: ${message}`, field })

/** A zod error as one readable message that names the offending field. */
export function validationError(err: z.ZodError): ApiError {
  const issue = err.issues[0]
  const field = issue && issue.path.length ? issue.path.join('.') : undefined
  const message = err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ')
  return field ? { type: 'ValidationError', message, field } : { type: 'ValidationError', message }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.error
  if (err instanceof z.ZodError) return validationError(err)
  return { type: 'InternalError', message: err instanceof Error ? err.message : String(err) }
}
