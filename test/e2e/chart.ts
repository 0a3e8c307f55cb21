// Reads values back from the drawn SVG: a line chart's vertices through its y-axis ticks, a rate
// bar's length through its x-axis ticks. What the e2e compares is what a researcher sees.
import type { Page } from 'playwright-core'

/** The drawn values, and the span of the axis ticks (the scale a comparison tolerates). */
export type DrawnLine = { vertices: number; values: number[]; span: number }

/** Parses a tick label printed by formatNumber ("15,000", "0.25", "3e-5"). */
const tickValue = (text: string): number => Number(text.replace(/,/g, ''))

/** Maps pixel coordinates to values: a least-squares line through the ticks (labels may sit
 * half a pixel off their tick at the axis ends). */
function axisInverse(
  ticks: { pos: number; value: number }[]
): { at: (pos: number) => number; span: number } | null {
  const valid = ticks.filter((t) => Number.isFinite(t.value) && Number.isFinite(t.pos))
  const values = valid.map((t) => t.value)
  const span = Math.max(...values) - Math.min(...values)
  if (valid.length < 2 || !(span > 0)) return null
  const n = valid.length
  const mp = valid.reduce((a, t) => a + t.pos, 0) / n
  const mv = valid.reduce((a, t) => a + t.value, 0) / n
  const cov = valid.reduce((a, t) => a + (t.pos - mp) * (t.value - mv), 0)
  const varp = valid.reduce((a, t) => a + (t.pos - mp) ** 2, 0)
  if (varp === 0) return null
  const slope = cov / varp
  return { at: (pos) => mv + (pos - mp) * slope, span }
}

type Tick = { pos: number; text: string }

export async function drawnLine(page: Page, panelTestId: string): Promise<DrawnLine | null> {
  const raw = (await page.evaluate(`e2e.lineRaw(${JSON.stringify(panelTestId)})`)) as {
    d: string
    ticks: Tick[]
  } | null
  if (raw === null) return null
  const inverse = axisInverse(raw.ticks.map((t) => ({ pos: t.pos, value: tickValue(t.text) })))
  if (!inverse) return null
  const ys = [...raw.d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => Number(m[2]))
  return { vertices: ys.length, values: ys.map(inverse.at), span: inverse.span }
}

/** The value a horizontal rate bar shows: its right end on the 0..1 x axis. */
export async function drawnBar(page: Page, barTestId: string): Promise<number | null> {
  const raw = (await page.evaluate(`e2e.barRaw(${JSON.stringify(barTestId)})`)) as {
    end: number
    ticks: Tick[]
  } | null
  if (!raw) return null
  const inverse = axisInverse(raw.ticks.map((t) => ({ pos: t.pos, value: tickValue(t.text) })))
  return inverse ? inverse.at(raw.end) : null
}

/**
 * Equal within a pixel or so of the axis: 1% of its span, or 0.2% of the value where the ticks span
 * almost nothing (nearly equal values: 0.20833 read back as 0.2082 off ticks 0.0005 apart).
 */
export function close(drawn: number, expected: number, span: number): boolean {
  return (
    Math.abs(drawn - expected) <= Math.max(1e-9, Math.abs(span) * 0.01, Math.abs(expected) * 2e-3)
  )
}

export type DrawnPoint = { x: number; y: number }

/** Every line matching `selector` in a chart, as values read back through both axes' ticks. */
export async function drawnLines(
  page: Page,
  testId: string,
  selector: string
): Promise<{ lines: DrawnPoint[][]; xSpan: number; ySpan: number } | null> {
  const raw = (await page.evaluate(
    `e2e.pathsRaw(${JSON.stringify(testId)}, ${JSON.stringify(selector)})`
  )) as { paths: string[]; xTicks: Tick[]; yTicks: Tick[] } | null
  if (raw === null) return null
  const xs = axisInverse(raw.xTicks.map((t) => ({ pos: t.pos, value: tickValue(t.text) })))
  const ys = axisInverse(raw.yTicks.map((t) => ({ pos: t.pos, value: tickValue(t.text) })))
  if (!xs || !ys) return null
  const lines = raw.paths.map((d) =>
    [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({
      x: xs.at(Number(m[1])),
      y: ys.at(Number(m[2]))
    }))
  )
  return { lines, xSpan: xs.span, ySpan: ys.span }
}
