// The shape of one API domain's handlers: one async function per command of its inputs.
import type { z } from 'zod'

export type DomainHandlers<
  Inputs extends Record<string, z.ZodType>,
  Outputs extends { [K in keyof Inputs]: unknown }
> = {
  [K in keyof Inputs]: (args: z.output<Inputs[K]>) => Promise<Outputs[K]>
}
