// Experiment presets: JSON files in resources/presets, validated on load.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { presetSchema, type Preset } from './entities'

export function defaultPresetsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/presets')
}

export function loadPresets(dir: string = defaultPresetsDir()): Preset[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = presetSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
      if (!parsed.success) throw new Error(`invalid preset ${f}: ${parsed.error.message}`)
      return parsed.data
    })
}
