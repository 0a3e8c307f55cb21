// Picks the transport: the Electron preload bridge when present, else same-origin HTTP.
import type { WorkbenchClient } from '../../../core/api/contract'
import { createHttpClient } from './http-client'

declare global {
  interface Window {
    himac?: WorkbenchClient
  }
}

let client: WorkbenchClient | null = null

export function getClient(): WorkbenchClient {
  client ??= window.himac ?? createHttpClient()
  return client
}
