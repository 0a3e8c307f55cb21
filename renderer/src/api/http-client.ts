// Web mode transport: commands as POST /api/<domain>/<verb>, events over one shared EventSource.
import {
  eventNames,
  type CommandInput,
  type CommandName,
  type CommandOutputs,
  type EventName,
  type Result,
  type ServerEvents,
  type WorkbenchClient
} from '../../../core/api/contract'
import type { ApiError } from '../../../core/api/entities'

type AnyListener = (payload: unknown) => void

function transportError(message: string): ApiError {
  return { type: 'InternalError', message }
}

function isResult(body: unknown): body is Result<unknown> {
  return typeof body === 'object' && body !== null && ('data' in body || 'error' in body)
}

/** Event-stream health: 'reopened' means events may have been missed while it was down. */
export type ConnectionState = 'open' | 'down' | 'reopened'

export type HttpClient = WorkbenchClient & {
  onConnection(listener: (state: ConnectionState) => void): () => void
}

export function createHttpClient(baseUrl = ''): HttpClient {
  const listeners = new Map<EventName, Set<AnyListener>>()
  const connection = new Set<(state: ConnectionState) => void>()
  let source: EventSource | null = null
  let wasDown = false
  const announce = (state: ConnectionState): void => {
    for (const l of connection) l(state)
  }

  const ensureSource = (): void => {
    if (source) return
    source = new EventSource(`${baseUrl}/api/events`)
    // EventSource reconnects by itself; tell the hooks so they refetch what they missed.
    source.addEventListener('open', () => {
      announce(wasDown ? 'reopened' : 'open')
      wasDown = false
    })
    source.addEventListener('error', () => {
      wasDown = true
      announce('down')
    })
    for (const name of eventNames) {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        let payload: unknown
        try {
          payload = JSON.parse(message.data)
        } catch {
          return
        }
        for (const l of listeners.get(name) ?? []) l(payload)
      })
    }
  }

  return {
    onConnection(listener) {
      connection.add(listener)
      return () => {
        connection.delete(listener)
      }
    },
    async invoke<K extends CommandName>(
      name: K,
      input: CommandInput<K>
    ): Promise<Result<CommandOutputs[K]>> {
      let response: Response
      try {
        response = await fetch(`${baseUrl}/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input)
        })
      } catch (err) {
        return { error: transportError(`cannot reach the workbench server: ${String(err)}`) }
      }
      let body: unknown
      try {
        body = await response.json()
      } catch {
        return { error: transportError(`${name}: HTTP ${response.status} with a non-JSON body`) }
      }
      if (!isResult(body)) return { error: transportError(`${name}: malformed response`) }
      // The server validated the command; the body's shape is the contract's output type.
      return body as Result<CommandOutputs[K]>
    },
    on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set<AnyListener>()
      listeners.set(event, set)
      const wrapped = listener as AnyListener
      set.add(wrapped)
      ensureSource()
      return () => {
        // The one connection stays open: views resubscribe often and must not miss events meanwhile.
        set.delete(wrapped)
      }
    }
  }
}
