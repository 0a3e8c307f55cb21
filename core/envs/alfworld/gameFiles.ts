// Node-only: finds and loads real ALFWorld game files (json_2.1.x layout) from disk.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  createAlfworldEnv,
  type AlfworldEnv,
  type AlfworldGameData,
  type AlfworldOptionsInput,
  alfworldOptionsSchema
} from './env'
import { ALFWORLD_TASK_TYPES, generateWorld, type AlfworldSplit } from './generator'
import { defaultGrammar } from './grammar'
import { parseGameFile } from './pddl'
import type { AlfworldGrammarVersion, AlfworldTaskType } from './types'
import { worldToGameFile } from './writer'

/** `<split>` folder under a data dir: $ALFWORLD_DATA, its json_2.1.1 folder, or the split itself. */
export function resolveAlfworldSplitDir(
  dataDir: string,
  split: AlfworldSplit | 'valid_train'
): string {
  for (const dir of [path.join(dataDir, 'json_2.1.1', split), path.join(dataDir, split)]) {
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir
  }
  if (path.basename(dataDir) === split && existsSync(dataDir)) return dataDir
  throw new Error(`no ALFWorld '${split}' folder under ${dataDir} (expected json_2.1.1/${split})`)
}

/**
 * game.tw-pddl paths of a split, sorted, with ALFWorld's loader filters: paths with 'movable' or
 * 'Sliced' are skipped, only the six task types are kept, and a file must exist.
 */
export function findAlfworldGameFiles(
  dataDir: string,
  split: AlfworldSplit | 'valid_train'
): string[] {
  const root = resolveAlfworldSplitDir(dataDir, split)
  const out: string[] = []
  for (const taskDir of readdirSync(root).sort()) {
    if (taskDir.includes('movable') || taskDir.includes('Sliced')) continue
    if (!ALFWORLD_TASK_TYPES.some((t) => taskDir.startsWith(t))) continue
    const full = path.join(root, taskDir)
    if (!statSync(full).isDirectory()) continue
    for (const trial of readdirSync(full).sort()) {
      const file = path.join(full, trial, 'game.tw-pddl')
      if (existsSync(file)) out.push(file)
    }
  }
  return out
}

/** Loads one game file; throws when it is not a playable ALFWorld game. */
export function loadAlfworldGameFile(
  file: string
): AlfworldGameData & { solvable: boolean | undefined } {
  const parsed = parseGameFile(readFileSync(file, 'utf8'), file)
  return { world: parsed.world, grammar: parsed.grammar, solvable: parsed.solvable }
}

/**
 * All playable games of a split (3,553 train / 140 valid_seen / 134 valid_unseen in the official
 * data), in path order; like ALFWorld, files without a true `solvable` key are skipped.
 */
export function loadAlfworldGames(
  dataDir: string,
  split: AlfworldSplit | 'valid_train'
): AlfworldGameData[] {
  const games: AlfworldGameData[] = []
  for (const file of findAlfworldGameFiles(dataDir, split)) {
    const game = loadAlfworldGameFile(file)
    if (game.solvable !== true) continue
    games.push({ world: game.world, grammar: game.grammar })
  }
  return games
}

/** An env that always plays this one game file (reset's seed is ignored: seed mod 1). */
export function createAlfworldEnvFromGameFile(
  file: string,
  options: AlfworldOptionsInput = {}
): AlfworldEnv {
  const game = loadAlfworldGameFile(file)
  return createAlfworldEnv({ ...options, source: 'files', taskTypes: [] }, [game])
}

/** createAlfworldEnv, loading the real games from `dataDir` when `source` is 'files'. */
export function createAlfworldEnvFromData(input: AlfworldOptionsInput = {}): AlfworldEnv {
  const options = alfworldOptionsSchema.parse(input)
  if (options.source !== 'files') return createAlfworldEnv(options)
  if (!options.dataDir)
    throw new Error("ALFWorld source 'files' needs dataDir (--alfworld-data DIR)")
  return createAlfworldEnv(options, loadAlfworldGames(options.dataDir, options.split))
}

/**
 * Writes generated tasks as an ALFWorld data tree (`dir/json_2.1.1/<split>/<task dir>/trial_gen_<seed>/
 * game.tw-pddl`) that loadAlfworldGames and the Python ALFWorld loader can read. Returns the paths.
 */
export function writeGeneratedAlfworldGames(
  dir: string,
  split: AlfworldSplit,
  seeds: readonly number[],
  options: { grammar?: AlfworldGrammarVersion; taskTypes?: readonly AlfworldTaskType[] } = {}
): string[] {
  const grammar = defaultGrammar(options.grammar ?? 'current')
  return seeds.map((seed) => {
    const world = generateWorld({ split, seed, taskTypes: options.taskTypes })
    const goal = world.goal
    const parent = 'receptacle' in goal ? goal.receptacle : goal.toggle
    const taskDir = `${world.taskType}-${goal.object}-None-${parent}-${world.scene ?? 0}`
    const trialDir = path.join(dir, 'json_2.1.1', split, taskDir, `trial_gen_${seed}`)
    mkdirSync(trialDir, { recursive: true })
    const file = path.join(trialDir, 'game.tw-pddl')
    writeFileSync(file, JSON.stringify(worldToGameFile(world, grammar)))
    return file
  })
}
