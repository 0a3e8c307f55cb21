// An export written to a file the user chose (the desktop app's save dialog): the same lines web
// mode streams, written with backpressure to `<file>.part` and renamed when complete, so a failed
// or cut export never leaves a partial file under the chosen name.
import fs from 'node:fs'
import { once } from 'node:events'
import type { ExportPlan } from './export-routes'

export async function writeExportFile(plan: ExportPlan, file: string): Promise<{ bytes: number }> {
  const part = `${file}.part`
  const out = fs.createWriteStream(part, { flags: 'w' })
  let bytes = 0
  try {
    for (const line of plan.lines) {
      bytes += Buffer.byteLength(line)
      if (!out.write(line)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    fs.renameSync(part, file)
    return { bytes }
  } catch (err) {
    out.destroy()
    fs.rmSync(part, { force: true })
    throw err
  } finally {
    plan.close()
  }
}
