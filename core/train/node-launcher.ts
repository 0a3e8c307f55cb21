// Trainer processes under plain Node: web mode, the CLI and tests.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TrainerChild } from './host'
import type { ChildMessage } from './protocol'

const STDERR_TAIL_BYTES = 4096

/** Forks `child-node.ts` under tsx (structured-clone IPC, so typed arrays cross intact). */
export function nodeForkLauncher(): TrainerChild {
  const entry = fileURLToPath(new URL('./child-node.ts', import.meta.url))
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc']
  })
  // Forward the child's stderr and keep its tail for the run's error message.
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES)
  })
  return {
    send: (message) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as ChildMessage)),
    // 'close' (not 'exit'): it comes after every IPC message of the child has been delivered.
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal })),
    kill: () => child.kill('SIGKILL'),
    stderrTail: () => tail
  }
}
