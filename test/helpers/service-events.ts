// Waiting for a service event that satisfies a condition.
import type { EventName, ServerEvents } from '../../core/api/contract'
import type { WorkbenchService } from '../../core/api/service'

export function nextEvent<E extends EventName>(
  service: WorkbenchService,
  event: E,
  ok: (payload: ServerEvents[E]) => boolean
): Promise<ServerEvents[E]> {
  return new Promise((resolve) => {
    const off = service.on(event, (p) => {
      if (ok(p)) {
        off()
        resolve(p)
      }
    })
  })
}
