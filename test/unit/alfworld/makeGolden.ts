// Regenerates the golden transcripts: node --import tsx test/unit/alfworld/makeGolden.ts
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { GOLDEN_DIR, GOLDEN_SPECS, recordTranscript } from './transcript'

for (const spec of GOLDEN_SPECS) {
  const t = recordTranscript(spec)
  writeFileSync(path.join(GOLDEN_DIR, `${spec.name}.json`), JSON.stringify(t, null, 2) + '\n')
  console.log(spec.name, t.steps.length, 'steps, won', t.steps.at(-1)?.won ?? false)
}
