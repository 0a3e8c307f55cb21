// The report's plots as standalone SVG: learning curves with 95 % CI bands, and final success per
// method as bars with CI whiskers. Plain SVG 1.1 (no scripts, no external fonts), readable at 100 %.
import { methodColor as colorOf, type StudyReport } from '../api/study-entities'

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const f = (v: number): string => String(Math.round(v * 10) / 10)

/** "Nice" ticks covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag
  const ticks: number[] = []
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step)
    ticks.push(Number(v.toFixed(10)))
  return ticks
}

type Frame = { w: number; h: number; left: number; right: number; top: number; bottom: number }

function axes(
  fr: Frame,
  xTicks: { v: number; label: string }[],
  yTicks: number[],
  sx: (v: number) => number,
  sy: (v: number) => number,
  xTitle: string,
  yTitle: string,
  title: string
): string[] {
  const out: string[] = []
  const x0 = fr.left
  const x1 = fr.w - fr.right
  const y0 = fr.h - fr.bottom
  const y1 = fr.top
  out.push(
    `<text x="${f(fr.w / 2)}" y="20" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`
  )
  for (const t of yTicks) {
    const y = sy(t)
    out.push(`<line x1="${x0}" y1="${f(y)}" x2="${x1}" y2="${f(y)}" stroke="#e5e7eb"/>`)
    out.push(
      `<text x="${x0 - 6}" y="${f(y + 4)}" text-anchor="end" font-size="11" fill="#374151">${esc(formatTick(t))}</text>`
    )
  }
  for (const t of xTicks) {
    const x = sx(t.v)
    out.push(`<line x1="${f(x)}" y1="${y0}" x2="${f(x)}" y2="${y0 + 4}" stroke="#374151"/>`)
    out.push(
      `<text x="${f(x)}" y="${y0 + 17}" text-anchor="middle" font-size="11" fill="#374151">${esc(t.label)}</text>`
    )
  }
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#374151"/>`)
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#374151"/>`)
  if (xTitle)
    out.push(
      `<text x="${f((x0 + x1) / 2)}" y="${fr.h - 8}" text-anchor="middle" font-size="12" fill="#111827">${esc(xTitle)}</text>`
    )
  out.push(
    `<text transform="translate(16 ${f((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="#111827">${esc(yTitle)}</text>`
  )
  return out
}

const formatTick = (v: number): string => String(Number(v.toFixed(3)))

const svgDoc = (w: number, h: number, body: string[]): string =>
  [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    ''
  ].join('\n')

function legend(x: number, y: number, items: { label: string; color: string }[]): string[] {
  return items.flatMap((it, i) => [
    `<rect x="${x}" y="${y + i * 20 - 9}" width="14" height="10" fill="${it.color}" fill-opacity="0.25" stroke="${it.color}" stroke-width="2"/>`,
    `<text x="${x + 20}" y="${y + i * 20}" font-size="12" fill="#111827">${esc(it.label)}</text>`
  ])
}

/** Evaluation success over RL updates: per method its mean line and its 95 % CI band. */
export function learningCurvesSvg(r: StudyReport): string {
  const fr: Frame = { w: 1000, h: 440, left: 62, right: 360, top: 36, bottom: 52 }
  const curves = r.curves.filter((c) => c.points.length > 0)
  const xs = curves.flatMap((c) => c.points.map((p) => p.x))
  const xMax = Math.max(1, ...xs)
  const yMax = 1
  const sx = (v: number): number => fr.left + (v / xMax) * (fr.w - fr.left - fr.right)
  const sy = (v: number): number =>
    fr.h - fr.bottom - (Math.min(Math.max(v, 0), yMax) / yMax) * (fr.h - fr.top - fr.bottom)
  const xTicks = niceTicks(0, xMax, Math.min(10, xMax))
    .filter((v) => Number.isInteger(v))
    .map((v) => ({ v, label: String(v) }))
  const body = axes(
    fr,
    xTicks,
    niceTicks(0, 1, 5),
    sx,
    sy,
    'RL updates before the evaluation',
    'held-out success rate',
    `Study ${r.study.id} · ${r.study.env}: evaluation success (mean, 95 % CI band over seeds)`
  )
  for (const c of curves) {
    const color = colorOf(c.method)
    const upper = c.points.map((p) => `${f(sx(p.x))},${f(sy(p.hi))}`)
    const lower = [...c.points].reverse().map((p) => `${f(sx(p.x))},${f(sy(p.lo))}`)
    body.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`
    )
    body.push(
      `<polyline points="${c.points.map((p) => `${f(sx(p.x))},${f(sy(p.mean))}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`
    )
    for (const p of c.points)
      body.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.mean))}" r="2.5" fill="${color}"/>`)
  }
  body.push(
    ...legend(
      fr.w - fr.right + 20,
      fr.top + 14,
      curves.map((c) => ({
        label: `${c.label} (n=${Math.max(0, ...c.points.map((p) => p.n))})`,
        color: colorOf(c.method)
      }))
    )
  )
  if (curves.length === 0)
    body.push(
      `<text x="${f(fr.w / 2)}" y="${f(fr.h / 2)}" text-anchor="middle" font-size="13" fill="#6b7280">no completed runs yet</text>`
    )
  return svgDoc(fr.w, fr.h, body)
}

/** Final success per method: bars at the mean, whiskers at the 95 % CI, the runs as dots. */
export function finalSuccessSvg(r: StudyReport): string {
  const methods = r.methods
  const fr: Frame = { w: 1000, h: 440, left: 62, right: 360, top: 36, bottom: 52 }
  const slot = (fr.w - fr.left - fr.right) / Math.max(1, methods.length)
  const sy = (v: number): number =>
    fr.h - fr.bottom - Math.min(Math.max(v, 0), 1) * (fr.h - fr.top - fr.bottom)
  const cx = (i: number): number => fr.left + slot * (i + 0.5)
  const body = axes(
    fr,
    methods.map((_m, i) => ({ v: i, label: String(i + 1) })),
    niceTicks(0, 1, 5),
    (i) => cx(i),
    sy,
    'method (numbered as in the legend)',
    'final held-out success rate',
    `Study ${r.study.id} · ${r.study.env}: final success (mean, 95 % CI whiskers, dots = runs)`
  )
  const bw = Math.min(48, slot * 0.6)
  methods.forEach((m, i) => {
    const color = colorOf(m.method)
    const mean = m.finalSuccess.mean
    if (mean === null) return
    const x = cx(i)
    body.push(
      `<rect x="${f(x - bw / 2)}" y="${f(sy(mean))}" width="${f(bw)}" height="${f(sy(0) - sy(mean))}" fill="${color}" fill-opacity="0.55" stroke="${color}"/>`
    )
    const half = m.finalSuccess.half
    if (half !== null) {
      const lo = sy(mean - half)
      const hi = sy(mean + half)
      body.push(
        `<line x1="${f(x)}" y1="${f(lo)}" x2="${f(x)}" y2="${f(hi)}" stroke="#111827" stroke-width="1.5"/>`
      )
      for (const y of [lo, hi])
        body.push(
          `<line x1="${f(x - 8)}" y1="${f(y)}" x2="${f(x + 8)}" y2="${f(y)}" stroke="#111827" stroke-width="1.5"/>`
        )
    }
    const runs = r.runs.filter((x) => x.method === m.method && x.status === 'completed')
    runs.forEach((run, k) => {
      if (run.finalSuccess === null) return
      const dx = (k - (runs.length - 1) / 2) * 6
      body.push(
        `<circle cx="${f(x + dx)}" cy="${f(sy(run.finalSuccess))}" r="3" fill="#ffffff" stroke="#111827"/>`
      )
    })
    body.push(
      `<text x="${f(x)}" y="${f(sy(mean) - 6 - (half !== null ? sy(mean) - sy(mean + half) : 0))}" text-anchor="middle" font-size="11" fill="#111827">${(mean * 100).toFixed(1)}%</text>`
    )
  })
  body.push(
    ...legend(
      fr.w - fr.right + 20,
      fr.top + 14,
      methods.map((m, i) => ({
        label: `${i + 1}. ${m.label} (n=${m.finalSuccess.n})`,
        color: colorOf(m.method)
      }))
    )
  )
  return svgDoc(fr.w, fr.h, body)
}
