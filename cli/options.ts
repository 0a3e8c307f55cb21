// Shared parsing helpers for CLI options: numbers are validated by the experiment schema later.
import { InvalidArgumentError, Option } from 'commander'

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

export function port(value: string): number {
  const n = int(value)
  if (n < 0 || n > 65535)
    throw new InvalidArgumentError(`'${value}' is not a port (0–65535; 0 picks any free port)`)
  return n
}

export function intList(value: string): number[] {
  return value.split(',').map((part) => int(part.trim()))
}

/** HiMAC's WebShop options-subgoal phrasing (config `himac.webshopSubgoals`), for train and warmstart. */
export const webshopSubgoalsOption = (): Option =>
  new Option(
    '--webshop-subgoals <units>',
    "HiMAC on WebShop: subgoals take the instruction's words freely, or distinct query words and one whole asked value per options subgoal"
  ).choices(['words', 'values'])
