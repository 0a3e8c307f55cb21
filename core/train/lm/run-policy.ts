// The trained policy of a stored LM run, for evaluation: its newest trainer state (`lm-state-v1`,
// whole or cut down to its weights, with HiMAC's separate planner when it has one), or the
// weights-only row older runs stored.
import type { ExperimentConfig } from '../../api/config'
import { transformerFromWeights, type TransformerLM } from '../../agent/models/transformer'
import { tokenizerFromJson, type Tokenizer } from '../../agent/tokenizer'
import type { StoreReader } from '../../store/queries'
import {
  LM_CHECKPOINT_ROW_FORMAT,
  lmCheckpointFromRow,
  loadLmCheckpoint,
  type LmCheckpoint
} from './checkpoint'
import { decodeLmPolicyState, LM_STATE_FORMAT } from './trainer-state'

export type LoadedPolicy = {
  model: TransformerLM
  /** HiMAC's planner when it has weights of its own; else the model plans too. */
  planner: TransformerLM | null
  tokenizer: Tokenizer
  config: ExperimentConfig
}

/** A policy read and validated, whose tensors are made by `load` (after a backend is chosen). */
export type StoredPolicy = {
  config: ExperimentConfig
  iteration: number | null
  load(): LoadedPolicy
}

export function checkpointPolicy(checkpoint: LmCheckpoint): StoredPolicy {
  return {
    config: checkpoint.config,
    iteration: null,
    load: () => ({ ...loadLmCheckpoint(checkpoint), planner: null })
  }
}

/** The run's newest policy, or its newest at or before `atIteration` (a checkpoint's iteration). */
export function runPolicy(
  reader: StoreReader,
  runId: number,
  atIteration?: number
): StoredPolicy | undefined {
  const state = reader.latestCheckpoint(runId, LM_STATE_FORMAT, atIteration)
  if (state) {
    const s = decodeLmPolicyState(state.weights, state.meta)
    return {
      config: s.config,
      iteration: s.iteration,
      load: () => {
        const model = transformerFromWeights(s.executor)
        return {
          model,
          planner: s.planner ? transformerFromWeights(s.planner) : null,
          tokenizer: tokenizerFromJson(s.tokenizer),
          config: s.config
        }
      }
    }
  }
  const row = reader.latestCheckpoint(runId, LM_CHECKPOINT_ROW_FORMAT, atIteration)
  if (!row) return undefined
  return {
    ...checkpointPolicy(lmCheckpointFromRow(row.weights, row.meta)),
    iteration: row.iteration
  }
}
