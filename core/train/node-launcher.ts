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
  let tail = ''
  // Spawn and channel errors: keep them for the run's error message.
  child.on('error', (err) => {
    tail = (tail + `\n${err.message}`).slice(-STDERR_TAIL_BYTES)
  })
  // Forward the child's stderr and keep its tail for the run's error message.
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES)
  })
  return {
    send: (message) => {
      // A child that is exiting closes its channel: a late 'stop' then fails with EPIPE, which
      // without a callback would be thrown as the process's 'error' event. Its exit reports it.
      if (child.connected) child.send(message, (err) => void err)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as ChildMessage)),
    // 'close' (not 'exit'): it comes after every IPC message of the child has been delivered.
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal })),
    kill: () => child.kill('SIGKILL'),
    stderrTail: () => tail
  }
}
