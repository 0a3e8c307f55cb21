// Shared parsing helpers for CLI options: numbers are validated by the experiment schema later.
import { InvalidArgumentError } from 'commander'

export function int(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`'${value}' is not an integer`)
  return n
}

export function float(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`'${value}' is not a number`)
  return n
}
