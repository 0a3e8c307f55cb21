// Entry of a trainer child process under plain Node (web mode, CLI, tests).
import { runTrainerChild } from './child-runtime'
import type { HostMessage } from './protocol'

runTrainerChild(
  {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', (m) => listener(m as HostMessage)),
    onDisconnect: (listener) => process.on('disconnect', listener)
  },
  (code) => process.exit(code)
)
