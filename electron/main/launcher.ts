// Trainer processes as Electron utilityProcesses (own V8 heap: an out-of-memory trainer is an exit, not a crash).
import { utilityProcess } from 'electron'
import path from 'node:path'
import type { TrainerChild } from '../../core/train/host'
import { findAddonFile } from '../../core/train/native/addon'
import type { ChildMessage } from '../../core/train/protocol'

export function utilityProcessLauncher(): TrainerChild {
  // The main process knows where the packaged app keeps the BLAS addon (<resources>/native); the
  // utility process is told the file rather than relying on its own process.resourcesPath.
  const addon = findAddonFile()
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'trainer.js'), [], {
    serviceName: 'HiMAC trainer',
    stdio: 'inherit',
    env: { ...process.env, ...(addon ? { HIMAC_NATIVE_ADDON: addon } : {}) }
  })
  return {
    send: (message) => {
      // A process that has already exited cannot take a late 'stop'; its exit reports the run.
      try {
        child.postMessage(message)
      } catch {
        // ignored: see above
      }
    },
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as ChildMessage)),
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null })),
    kill: () => {
      child.kill()
    }
  }
}
