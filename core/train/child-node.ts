// Entry of a trainer child process under plain Node (web mode, CLI, tests).
import { runTrainerChild } from './child-runtime'
import type { HostMessage } from './protocol'

runTrainerChild(
  {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (m) => listener(m as HostMessage))
  },
  // Let queued IPC messages flush before exiting.
  (code) => setTimeout(() => process.exit(code), 50)
)
