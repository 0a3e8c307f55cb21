// Shared by the fuzz suites: how many cases to run (small for `npm test`, larger with
// HIMAC_FUZZ_RUNS=<n>, a per-property count) and a tally of cases run and inputs rejected.
import { afterAll } from 'vitest'

/** The per-property case count: HIMAC_FUZZ_RUNS when set, else the suite's default. */
export function fuzzRuns(defaultRuns: number): number {
  const env = Number(process.env['HIMAC_FUZZ_RUNS'])
  return Number.isInteger(env) && env > 0 ? env : defaultRuns
}

/** Per-test timeout: the default, or an hour when HIMAC_FUZZ_RUNS asks for long runs. */
export const fuzzTimeout = process.env['HIMAC_FUZZ_RUNS'] ? 3_600_000 : 60_000

export type FuzzTally = { cases: number; rejected: number; count(rejected: boolean): void }

/** A tally printed as one line when the file's tests end: `fuzz <name>: N cases, M rejected`. */
export function fuzzTally(name: string): FuzzTally {
  const tally: FuzzTally = {
    cases: 0,
    rejected: 0,
    count(rejected) {
      tally.cases++
      if (rejected) tally.rejected++
    }
  }
  afterAll(() => {
    console.log(`fuzz ${name}: ${tally.cases} cases, ${tally.rejected} rejected`)
  })
  return tally
}
