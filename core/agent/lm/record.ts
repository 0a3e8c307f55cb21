// What an LM agent's rollout records for its update, and what behaviour cloning builds from a
// demonstration: the token sequences the model read ("chunks") and, per env step, where in them the
// action's tokens sit, which tokens the decoder allowed at each, and their sampling-time log-probs.
//
// A chunk is one flat sequence encoded from position 0: the task prompt, then the history steps
// kept in it. Every decision of a trajectory points into one chunk, and the logits that chose the
// token at `positions[i]` come from position `positions[i] − 1` of that chunk, so the update can
// re-run each chunk once, causally, and read every decision's log-probs from it (one forward per
// chunk, not one per step). The rollout's KV cache holds exactly these sequences, which is why a
// recomputation under the same weights equals what was recorded.

export type LmDecision = {
  /** Index into the trajectory's `chunks`. */
  chunk: number
  /** Index in the chunk of each generated token (ascending); logits come from position − 1. */
  positions: Int32Array
  /**
   * Token ids the decoder allowed at each generated position, sorted ascending. An empty array means
   * unconstrained (the whole vocabulary: free decoding).
   */
  allowed: Int32Array[]
  /**
   * log π(token | prefix) of each generated token under the masked, tempered distribution at
   * sampling time (0 where only one token was allowed: a forced token costs no forward pass).
   */
  tokenLogProbs: Float32Array
  /** Sampling temperature the log-probs were taken at (> 0; greedy decoding records 1). */
  temperature: number
  /** The action text sent to the environment (or `<sub_done>`). */
  action: string
}

export type LmTrajectory = {
  /** Token sequences, each starting at position 0. */
  chunks: Int32Array[]
  /** One per env step (and per `<sub_done>` choice), in order. */
  decisions: LmDecision[]
}

/** Sum of a decision's token log-probs: the action's log-prob. */
export function actionLogProb(d: LmDecision): number {
  let s = 0
  for (const x of d.tokenLogProbs) s += x
  return s
}

/** Generated positions that were real choices (more than one allowed token, or unconstrained). */
export function choiceCount(d: LmDecision): number {
  let n = 0
  for (const a of d.allowed) if (a.length !== 1) n++
  return n
}
