// What a stored checkpoint would retain once a newer one exists, for rows written before the
// trainers said so themselves (migration 15): decoded and encoded again by their own format.
import type { CheckpointRetain } from '../store/records'
import { decodeLmTrainerState, encodeLmTrainerState, LM_STATE_FORMAT } from './lm/trainer-state'
import { decodeTrainerState, encodeTrainerState, TRAINER_STATE_FORMAT } from './trainer-state'

/** The retain description of a whole checkpoint row; null for other formats or thinned rows. */
export function retainOfStored(
  format: string,
  bytes: Uint8Array,
  meta: unknown
): CheckpointRetain | null {
  if ((meta as { weightsOnly?: unknown } | null)?.weightsOnly === true) return null
  if (format === LM_STATE_FORMAT)
    return encodeLmTrainerState(decodeLmTrainerState(bytes, meta)).retain ?? null
  if (format === TRAINER_STATE_FORMAT)
    return encodeTrainerState(decodeTrainerState(bytes, meta)).retain ?? null
  return null
}
