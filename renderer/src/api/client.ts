// Picks the transport: the Electron preload bridge when present, else same-origin HTTP.
import type { WorkbenchClient } from '../../../core/api/contract'
import { createHttpClient, type ConnectionState, type HttpClient } from './http-client'

declare global {
  interface Window {
    himac?: WorkbenchClient
  }
}

let client: WorkbenchClient | null = null
let http: HttpClient | null = null

export function getClient(): WorkbenchClient {
  if (!client) {
    if (window.himac) client = window.himac
    else client = http = createHttpClient()
  }
  return client
}

/** Event-stream state changes; Electron IPC does not drop, so there it never fires. */
export function onConnection(listener: (state: ConnectionState) => void): () => void {
  getClient()
  return http ? http.onConnection(listener) : () => undefined
}
