// Entry of the trainer utilityProcess in the Electron app (bundled by electron-vite).
import { runTrainerChild } from '../../core/train/child-runtime'
import type { HostMessage } from '../../core/train/protocol'

type ParentPort = {
  postMessage(message: unknown): void
  on(event: 'message', listener: (e: { data: unknown }) => void): void
}

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort

runTrainerChild(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (e) => listener(e.data as HostMessage)),
    // Electron ends utility processes with the main process; there is no channel-closed event.
    onDisconnect: () => {}
  },
  (code) => process.exit(code)
)
