// Entry of a backend worker process under tsx: node --import tsx core/train/backends/worker-main.ts …
import { workerMain } from './worker'

await workerMain(process.argv.slice(2))
