// Writes prior.json next to this file from the generated train split (see prior.ts).
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildAlfworldPrior, serializeAlfworldPrior } from './prior'

const out = fileURLToPath(new URL('./prior.json', import.meta.url))
writeFileSync(out, serializeAlfworldPrior(buildAlfworldPrior()))
console.log(`wrote ${out}`)
