// The `himac` command line: the same engine as the app, headless.
import { Command, Option } from 'commander'
import {
  advantageNormSchema,
  zeroVarianceGroupsSchema,
  backendPreferenceSchema,
  envKindSchema,
  TRAINING_ALGOS
} from '../core/api/config'
import { defaultDbPath } from '../core/paths'
import { benchCommand } from './bench'
import { dbBackup, dbCheck, dbRepack, dbThin, dbVacuum } from './db'
import { UsageError, userFacingMessage } from './errors'
import { addLmShapeOptions } from './lm-options'
import { float, int, intList, port, webshopSubgoalsOption } from './options'
import { serveCommand } from './serve'
import { startCommand } from './start'
import { trainCommand } from './train'
import { warmstartCommand, type WarmstartCliOptions } from './warmstart'
import { evalCheckpointCommand } from './eval-checkpoint'
import { reproCommand, type ReproCliOptions } from './repro'
import { counterfactualCommand, type CounterfactualCliOptions } from './counterfactual'
import { exportCommand, type ExportCliOptions } from './export'
import { importCommand, type ImportCliOptions } from './import'

const program = new Command()
program
  .name('himac')
  .description('HiMAC Workbench: train and inspect hierarchical agents with RL')
  .showHelpAfterError('(add --help for usage)')

const train = program
  .command('train')
  .description('run one training run and store every episode in the database')
  .addOption(new Option('--env <env>', 'environment').choices(envKindSchema.options))
  .addOption(new Option('--algo <algo>', 'algorithm').choices([...TRAINING_ALGOS]))
  .option('--env-config <json>', 'environment options as JSON, e.g. \'{"dimRoom":[7,7]}\'')
  .option('--preset <id>', 'start from an experiment preset (resources/presets)')
  .option('--name <name>', 'experiment name')
  .option('--iterations <n>', 'training iterations', int)
  .option('--seed <n>', 'random seed', int)
  .option('--groups <n>', 'groups (tasks) per iteration', int)
  .option('--group-size <n>', 'rollouts per group', int)
  .option('--lr <x>', 'learning rate', float)
  .option('--eval-every <n>', 'evaluate every n iterations (0 = never)', int)
  .option('--hidden <sizes>', 'hidden layer sizes of the MLP policy, e.g. 64,64', intList)
  .option('--eval-episodes <n>', 'held-out episodes per evaluation', int)
  .option('--eval-temperature <x>', 'sampling temperature of evaluations (0 = greedy)', float)
  .option('--temperature <x>', 'sampling temperature of training rollouts', float)
  .option('--ppo-epochs <n>', 'PPO epochs per iteration', int)
  .option('--minibatches <n>', 'PPO minibatches per epoch', int)
  .option('--clip <x>', 'PPO clip range', float)
  .option('--kl <x>', 'KL coefficient to the reference (warm-start) policy', float)
  .option('--entropy <x>', 'entropy bonus coefficient of the PPO loss', float)
  .addOption(
    new Option(
      '--advantage-norm <mode>',
      'group advantages: divide by the group std or not'
    ).choices(advantageNormSchema.options)
  )
  .addOption(
    new Option(
      '--zero-variance <mode>',
      'groups whose members all score the same: keep them in the update or drop them'
    ).choices(zeroVarianceGroupsSchema.options)
  )
  .addOption(
    new Option('--policy <kind>', 'policy model (default: mlp on sokoban, lm elsewhere)').choices([
      'mlp',
      'lm'
    ])
  )

addLmShapeOptions(train)
  .addOption(new Option('--decoding <mode>', 'LM action decoding').choices(['constrained', 'free']))
  .option(
    '--bc-episodes <n>',
    'demonstrator episodes for the behaviour-cloning warm start (0 = none)',
    int
  )
  .option('--bc-epochs <n>', 'behaviour-cloning epochs', int)
  .option('--warm-start <file>', 'start from a saved warm start (himac warmstart --out)')
  .option('--max-subgoals <n>', 'HiMAC: most subgoals per blueprint', int)
  .option('--subgoal-budget <n>', 'HiMAC: env steps per subgoal before a fallback', int)
  .option(
    '--carry-steps <n>',
    'HiMAC: steps before the active subgoal the executor still sees',
    int
  )
  .option('--no-sub-done', 'HiMAC ablation: subgoals end only by the step budget')
  .addOption(
    new Option('--schedule <s>', 'HiMAC: alternate the phases or update both at once').choices([
      'alternate',
      'simultaneous'
    ])
  )
  .addOption(
    new Option(
      '--phase-b-blueprint <b>',
      'HiMAC: Phase B executes z* or a random blueprint'
    ).choices(['best', 'random'])
  )
  .addOption(
    new Option(
      '--z-star-ties <rule>',
      'HiMAC: z* among tied returns, by plan log-prob (spec) or log-prob per planner decision'
    ).choices(['logprob', 'mean-logprob'])
  )
  .addOption(
    new Option(
      '--micro-advantage <a>',
      "HiMAC: Phase B's executor advantages, the episode's (paper) or GiGPO's per step"
    ).choices(['episode', 'gigpo'])
  )
  .addOption(webshopSubgoalsOption())
  .option('--phase-a <n>', 'HiMAC: Phase A rounds per iteration', int)
  .option('--phase-b <n>', 'HiMAC: Phase B rounds per iteration', int)
  .option('--separate-weights', 'HiMAC: a planner model apart from the executor')
  .addOption(
    new Option('--backend <name>', 'tensor backend (a named one is used or the run fails)').choices(
      backendPreferenceSchema.options
    )
  )
  .option('--resume <runId>', 'continue a failed or stopped run from its last checkpoint', int)
  .option('--force', 'with --resume: the run is marked running but its process is gone')
  .option(
    '--checkpoint-every <n>',
    'a resumable checkpoint every n iterations (0 = at the end)',
    int
  )
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--no-progress', 'print one line per iteration instead of a progress bar')
  .action(async (opts) => {
    process.exitCode = await trainCommand(opts)
  })

program
  .command('eval')
  .description(
    'evaluate a reference agent (expert = privileged oracle, searcher = acts on observations only, random = lower bound) and store its episodes; or, with --checkpoint / --run, a trained language-model policy (flat or HiMAC)'
  )
  .addOption(new Option('--env <env>', 'environment').choices(envKindSchema.options))
  .option('--checkpoint <file>', 'evaluate this LM checkpoint file (himac warmstart --out)')
  .option('--run <id>', 'evaluate the newest LM checkpoint of this run in --db', int)
  .option('--json', 'with --checkpoint / --run: print the metrics as JSON')
  .addOption(
    new Option('--agent <agent>', 'reference agent')
      .choices(['expert', 'searcher', 'random'])
      .default('expert')
  )
  .option('--episodes <n>', 'episodes on held-out seeds', int, 100)
  .option('--seed <n>', 'random seed', int)
  .option('--env-config <json>', 'environment options as JSON, e.g. \'{"split":"valid_unseen"}\'')
  .option(
    '--alfworld-data <dir>',
    'run the real ALFWorld games from this data folder (json_2.1.x layout)'
  )
  .option('--webshop-data <dir>', 'run the real WebShop data files from this folder')
  .option('--name <name>', 'experiment name')
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--no-progress', 'no progress bar')
  .action(
    async (opts: {
      env?: string
      checkpoint?: string
      run?: number
      json?: boolean
      agent: string
      episodes: number
      seed?: number
      envConfig?: string
      alfworldData?: string
      webshopData?: string
      name?: string
      db: string
      progress: boolean
    }) => {
      if (opts.checkpoint !== undefined || opts.run !== undefined) {
        process.exitCode = await evalCheckpointCommand(opts)
        return
      }
      if (opts.env === undefined) throw new UsageError('eval needs --env (or --checkpoint / --run)')
      process.exitCode = await trainCommand({
        ...opts,
        env: opts.env,
        algo: opts.agent,
        evalEpisodes: opts.episodes
      })
    }
  )

const warmstart = program
  .command('warmstart')
  .description(
    'behaviour-clone the LM agent from the searching demonstrators and save it (train --warm-start FILE reuses it)'
  )
  .addOption(
    new Option('--env <env>', 'environment').choices(envKindSchema.options).makeOptionMandatory()
  )
  .requiredOption('--out <file>', 'the warm-start file to write (must not exist)')
  .addOption(
    new Option(
      '--algo <algo>',
      'the runs it starts: flat (grpo, gigpo, rloo) or himac (planner and executor)'
    )
      .choices(['grpo', 'gigpo', 'rloo', 'himac'])
      .default('grpo')
  )
  .option(
    '--no-sub-done',
    'with --algo himac: clone for fixed-budget runs (subgoals switch at the budget, no <sub_done>)'
  )
  .addOption(webshopSubgoalsOption())
  .option('--episodes <n>', 'demonstrator episodes on train seeds', int)
  .option('--epochs <n>', 'cloning epochs', int)
  .option('--seed <n>', 'random seed', int)

addLmShapeOptions(warmstart)
  .option('--env-config <json>', 'environment options as JSON')
  .addOption(
    new Option('--backend <name>', 'tensor backend').choices(['auto', 'tensorflow', 'wasm', 'cpu'])
  )
  .action(async (opts: WarmstartCliOptions) => {
    process.exitCode = await warmstartCommand(opts)
  })

program
  .command('repro')
  .description(
    'a reproduction study: HiMAC, GRPO, GiGPO, RLOO and the Table-3 ablations on one environment, several seeds, one budget; then its report (Markdown, CSV, SVG)'
  )
  .option('--env <env>', 'environment of a new study: sokoban, alfworld or webshop')
  .option('--quick', 'the small preset (the whole study in < 15 minutes on 2 cores)')
  .option('--seeds <n>', 'seeds per method (at least 3; default 3)')
  .option('--methods <list>', 'comma-separated methods (default: all seven)')
  .option('--iterations <n>', "budget: RL iterations per run (default: the preset's)")
  .option('--minutes <m>', 'budget: minutes of training per run instead of iterations')
  .option('--eval-every <n>', "evaluate every n RL iterations (default: the preset's)")
  .option('--eval-episodes <n>', "held-out episodes per evaluation (default: the preset's, 200)")
  .option(
    '--clock <clock>',
    'with --minutes: train (default; evaluations not counted) or wall (everything counted)'
  )
  .option('--lr <x>', "every run's learning rate (default: the preset's)")
  .option('--entropy <x>', "every run's entropy bonus (default: the preset's)")
  .option('--warm-start <file>', 'flat runs start from this saved warm start (himac warmstart)')
  .option(
    '--himac-warm-start <file>',
    'HiMAC runs start from this saved warm start (himac warmstart --algo himac)'
  )
  .option(
    '--fixed-budget-warm-start <file>',
    'the fixed-budget ablation starts from this one (himac warmstart --algo himac --no-sub-done)'
  )
  .option(
    '--env-config <json>',
    'environment options of training and held-out episodes, over the preset\'s, e.g. \'{"taskTypes":["pick_and_place_simple"]}\''
  )
  .option('--name <name>', 'study name')
  .option('--out <dir>', 'report folder (default repro-<studyId>)')
  .option('--resume <studyId>', 'continue a stopped or crashed study')
  .option('--report <studyId>', 'only write the report of a stored study')
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--no-progress', 'print one line per iteration instead of a progress bar')
  .action(async (opts: ReproCliOptions) => {
    process.exitCode = await reproCommand(opts)
  })

program
  .command('serve')
  .description('serve the workbench UI and API in web mode on 127.0.0.1')
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--port <n>', 'port (0 = any free port)', port, 5199)
  .action(async (opts: { db: string; port: number }) => {
    await serveCommand(opts)
  })

program
  .command('start')
  .description('open the desktop app, or web mode where Electron cannot start')
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--port <n>', 'web-mode port (0 = any free port)', port, 5199)
  .action(async (opts: { db: string; port: number }) => {
    await startCommand(opts)
  })

const dbCommand = program
  .command('db')
  .description('check, compact, back up, thin or repack a database file')
dbCommand
  .command('check')
  .description('full integrity and foreign-key check (exit 1 when damage is found)')
  .option('--db <file>', 'database file', defaultDbPath())
  .action((opts: { db: string }) => {
    process.exitCode = dbCheck(opts)
  })
dbCommand
  .command('vacuum')
  .description('rebuild the file to reclaim free pages')
  .option('--db <file>', 'database file', defaultDbPath())
  .action((opts: { db: string }) => {
    process.exitCode = dbVacuum(opts)
  })
dbCommand
  .command('thin')
  .description(
    "cut every run's checkpoints but its newest down to their weights (what runs since schema v15 do themselves)"
  )
  .option('--db <file>', 'database file', defaultDbPath())
  .action((opts: { db: string }) => {
    process.exitCode = dbThin(opts)
  })
dbCommand
  .command('repack')
  .description(
    "pack every run's steps again with the newest format, against base episodes of the same task (what runs since schema v17 do themselves; log-probs keep the precision they were stored with)"
  )
  .option('--db <file>', 'database file', defaultDbPath())
  .action((opts: { db: string }) => {
    process.exitCode = dbRepack(opts)
  })
dbCommand
  .command('backup')
  .description('write a consistent copy of the database (safe while the app is running)')
  .argument('<file>', 'the new copy (must not exist)')
  .option('--db <file>', 'database file', defaultDbPath())
  .action((to: string, opts: { db: string }) => {
    process.exitCode = dbBackup({ ...opts, to })
  })

program
  .command('counterfactual')
  .description(
    "re-run a stored language-model episode with another action at step T (--at, --action) or a rewritten subgoal (--subgoal, --text); a run's policy continues and the new episode is stored linked to its origin"
  )
  .requiredOption('--episode <id>', 'the episode to start from', int)
  .option('--at <t>', 'the step whose action changes (from 0)', int)
  .option('--action <action>', 'the action to take there instead')
  .option('--subgoal <n>', 'the blueprint subgoal to rewrite (from 1)', int)
  .option('--text <text>', 'its new text')
  .option(
    '--policy-run <id>',
    "the run whose newest policy continues (default: the episode's)",
    int
  )
  .option(
    '--policy-iteration <i>',
    "that run's checkpoint at (or the newest before) iteration i, instead of its newest",
    int
  )
  .option('--temperature <t>', 'sampling temperature of the continuation (0 = greedy)', float, 0)
  .option('--seed <n>', 'sampling seed', int, 0)
  .option('--json', 'print both episodes as JSON')
  .option('--db <file>', 'database file', defaultDbPath())
  .action(async (opts: CounterfactualCliOptions) => {
    process.exitCode = await counterfactualCommand(opts)
  })

program
  .command('export')
  .description(
    "a run's episodes with their steps as JSONL (schema himac.episode v1), or a table as CSV"
  )
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--run <id>', 'the run to export', int)
  .addOption(
    new Option('--phase <phase>', 'only training or evaluation episodes').choices(['train', 'eval'])
  )
  .addOption(
    new Option('--format <format>', 'JSONL episodes or a CSV table')
      .choices(['jsonl', 'csv'])
      .default('jsonl')
  )
  .addOption(
    new Option('--table <table>', 'with --format csv: the table').choices([
      'runs',
      'episodes',
      'groups'
    ])
  )
  .option('--out <file>', 'write to this file (must not exist) instead of stdout')
  .option('--no-progress', 'no progress bar')
  .action(async (opts: ExportCliOptions) => {
    process.exitCode = await exportCommand(opts)
  })

program
  .command('import')
  .description(
    'episodes from a JSONL file (himac.episode v1 or verl-agent.trajectory v1 lines) into a new run; nothing is written if a line is bad'
  )
  .argument('<file>', 'the JSONL file')
  .option('--db <file>', 'database file', defaultDbPath())
  .option('--experiment <name>', "the experiment to add the run to (default 'import <file name>')")
  .option('--skip-bad', 'import the good lines of a file with bad lines')
  .option('--no-progress', 'no progress bar')
  .action(async (file: string, opts: ImportCliOptions) => {
    process.exitCode = await importCommand(file, opts)
  })

program
  .command('bench')
  .description('run the benchmarks and print JSON')
  .option('--only <names>', 'comma-separated sections')
  .option('--out <file>', 'also write the JSON to a file')
  .action(async (opts: { only?: string; out?: string }) => {
    await benchCommand(opts)
  })

try {
  await program.parseAsync(process.argv)
} catch (err) {
  const message = userFacingMessage(err)
  if (message === null) throw err
  console.error(`error: ${message}`)
  process.exitCode = 2
}
