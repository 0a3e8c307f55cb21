// SQL functions the schema relies on, registered on every connection before it reads steps.
import type { Db } from './open'
import { STEP_ROW_COLUMNS, unpackSteps } from './step-pack'

const registered = new WeakSet<Db>()

export function registerStoreFunctions(db: Db): void {
  if (registered.has(db)) return
  registered.add(db)
  db.table('step_pack_rows', {
    columns: [...STEP_ROW_COLUMNS],
    parameters: ['codec', 'body', 'base_codec', 'base_body'],
    *rows(codec: unknown, body: unknown, baseCodec: unknown, baseBody: unknown) {
      if (typeof codec !== 'number' || !(body instanceof Uint8Array)) return
      const base =
        typeof baseCodec === 'number' && baseCodec > 0 && baseBody instanceof Uint8Array
          ? { codec: baseCodec, body: baseBody }
          : null
      for (const row of unpackSteps(codec, body, base)) yield row
    }
  })
}
