// Run by `himac bench --only train-throughput` in a child process whose environment leaves OpenBLAS
// its own kernel choice for this CPU (the parent pins Haswell's, core/train/native/addon.ts): the
// sgemm peak the machine reaches, printed as JSON.
import { measureSgemmPeak } from '../core/train/native/peak'

process.stdout.write(JSON.stringify(measureSgemmPeak()))
