import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOLDEN_DIR, GOLDEN_SPECS, replayTranscript, type Transcript } from './transcript'

// Regenerate with: node --import tsx test/unit/alfworld/makeGolden.ts (and review the diff)
const files = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('real-'))

describe('ALFWorld golden transcripts', () => {
  it('has one transcript per spec', () => {
    expect(files.sort()).toEqual(GOLDEN_SPECS.map((s) => `${s.name}.json`).sort())
  })

  for (const file of files) {
    it(`replays ${file} exactly`, () => {
      const golden = JSON.parse(readFileSync(path.join(GOLDEN_DIR, file), 'utf8')) as Transcript
      expect(golden.steps.at(-1)?.won ?? golden.steps.some((s) => s.won)).toBe(true)
      const now = replayTranscript(golden)
      expect(now.initialObservation).toBe(golden.initialObservation)
      expect(now.initialAdmissible).toEqual(golden.initialAdmissible)
      expect(now.task).toBe(golden.task)
      now.steps.forEach((s, i) => expect(s, `step ${i}: ${s.action}`).toEqual(golden.steps[i]))
    })
  }
})
