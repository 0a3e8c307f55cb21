// Prints out-of-vocabulary rates of the default tokenizer on held-out generated texts and on real
// ALFWorld games: node --import tsx core/agent/tokenizer/run-oov-report.ts [--episodes N]
// [--held-out N] [--alfworld-data DIR (default: the nearest shared/fixtures/alfworld-real)] [--json]
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { createAlfworldEnv, loadAlfworldGameFile } from '../../envs/alfworld'
import type { AlfworldGameData } from '../../envs/alfworld/env'
import { createSokobanEnv } from '../../envs/sokoban'
import { createWebshopEnv } from '../../envs/webshop'
import { buildEnvTokenizer } from './env-vocabulary'
import { envTexts, seedRange, type EnvText } from './env-texts'
import { oovReport, type OovReport } from './oov'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function gameFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...gameFiles(full))
    else if (name === 'game.tw-pddl') out.push(full)
  }
  return out
}

/** The nearest `shared/fixtures/alfworld-real` above the working directory. */
function defaultFixtures(): string | undefined {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'fixtures', 'alfworld-real')
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}

const episodes = Number(arg('episodes') ?? 200)
const heldOut = Number(arg('held-out') ?? 200)
const alfworldData = arg('alfworld-data') ?? defaultFixtures()
const t0 = performance.now()
const { tokenizer, sources } = buildEnvTokenizer({ episodes })
const buildMs = Math.round(performance.now() - t0)

const sets: Record<string, () => Iterable<EnvText>> = {
  'sokoban (seeds 100000+)': () => envTexts(createSokobanEnv({}), seedRange(100_000, heldOut)),
  'alfworld valid_seen': () =>
    envTexts(createAlfworldEnv({ split: 'valid_seen' }), seedRange(0, heldOut)),
  'alfworld valid_unseen': () =>
    envTexts(createAlfworldEnv({ split: 'valid_unseen' }), seedRange(0, heldOut)),
  'webshop test split': () => envTexts(createWebshopEnv({ split: 'test' }), seedRange(0, heldOut))
}
if (alfworldData && existsSync(alfworldData)) {
  const games: AlfworldGameData[] = gameFiles(alfworldData).map((f) => loadAlfworldGameFile(f))
  const env = createAlfworldEnv({ source: 'files', taskTypes: [] }, games)
  sets[`alfworld real games (${games.length}, ${alfworldData}), 5 episodes each`] = () =>
    envTexts(env, seedRange(0, games.length * 5))
}

const reports: Record<string, OovReport> = {}
for (const [name, texts] of Object.entries(sets)) reports[name] = oovReport(tokenizer, texts())

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ size: tokenizer.size, sources, buildMs, reports }, null, 2))
} else {
  console.log(`tokenizer: ${tokenizer.size} tokens, built in ${buildMs} ms from`, sources)
  for (const [name, report] of Object.entries(reports)) {
    console.log(`\n${name}`)
    for (const [kind, r] of Object.entries(report)) {
      const pct = (x: number): string => `${(100 * x).toFixed(3)}%`
      console.log(
        `  ${kind.padEnd(11)} texts ${String(r.texts).padStart(6)}  words ${String(r.words).padStart(7)}` +
          `  spelled ${pct(r.spelledRate).padStart(8)} (letters-only ${pct(r.spelledLetterRate)})` +
          `  unk ${pct(r.unkRate)}  tokens/text ${r.meanTokensPerText}` +
          (r.topSpelled.length > 0
            ? `  top: ${r.topSpelled
                .slice(0, 6)
                .map(([w, n]) => `${w}×${n}`)
                .join(' ')}`
            : '')
      )
    }
  }
}
