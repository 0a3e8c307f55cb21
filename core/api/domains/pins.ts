// The blueprint-pin domain of the contract: pin a Phase-A blueprint of a HiMAC run as the Phase-B
// plan of its task for the run's following iterations, list a run's pins, remove one.
import { z } from 'zod'
import type { BlueprintPin } from '../entities'

const id = z.int().min(1)

export const pinInputs = {
  'pins/list': z.object({ runId: id }).strict(),
  /** Pins the blueprint of a Phase-A group member (the episode that carries it). */
  'pins/create': z.object({ episodeId: id }).strict(),
  'pins/remove': z.object({ pinId: id }).strict()
} as const

export type PinOutputs = {
  'pins/list': BlueprintPin[]
  'pins/create': BlueprintPin
  'pins/remove': BlueprintPin
}
