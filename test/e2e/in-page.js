// Runs inside the page (added as an init script): reads the rendered DOM for the e2e. Plain JS,
// so the Node-side TypeScript project needs no DOM types.
/* global document, window, MutationObserver */

function box(el) {
  return el.getBoundingClientRect()
}

function insideAcross(a, b) {
  return a.left >= b.left - 0.5 && a.right <= b.right + 0.5
}

function inside(a, b) {
  return (
    a.left >= b.left - 0.5 &&
    a.right <= b.right + 0.5 &&
    a.top >= b.top - 0.5 &&
    a.bottom <= b.bottom + 0.5
  )
}

/** A line chart's path and its y-axis ticks (position, label). */
function lineRaw(testId) {
  const panel = document.querySelector(`[data-testid="${testId}"]`)
  const path = panel && panel.querySelector('path.recharts-line-curve')
  if (!path) return null
  const ticks = [...panel.querySelectorAll('.recharts-yAxis-tick-labels text')].map((t) => ({
    pos: Number(t.getAttribute('y')),
    text: t.textContent ?? ''
  }))
  return { d: path.getAttribute('d') ?? '', ticks }
}

/** Every path matching `selector` inside the element `testId`, with both axes' tick labels. */
function pathsRaw(testId, selector) {
  const root = document.querySelector(`[data-testid="${testId}"]`)
  if (!root) return null
  const ticks = (axis, attr) =>
    [...root.querySelectorAll(`.recharts-${axis}-tick-labels text`)].map((t) => ({
      pos: Number(t.getAttribute(attr)),
      text: t.textContent ?? ''
    }))
  return {
    paths: [...root.querySelectorAll(selector)].map((p) => p.getAttribute('d') ?? ''),
    xTicks: ticks('xAxis', 'x'),
    yTicks: ticks('yAxis', 'y')
  }
}

/** A horizontal bar's right end and its chart's x-axis ticks. */
function barRaw(testId) {
  const bar = document.querySelector(`[data-testid="${testId}"]`)
  const chart = bar && bar.closest('.recharts-wrapper')
  if (!chart) return null
  const ticks = [...chart.querySelectorAll('.recharts-xAxis-tick-labels text')].map((t) => ({
    pos: Number(t.getAttribute('x')),
    text: t.textContent ?? ''
  }))
  return { end: Number(bar.getAttribute('x')) + Number(bar.getAttribute('width')), ticks }
}

/** Layout faults in the page as rendered; each names the element. */
function layoutProblems() {
  const problems = []
  const pane = document.querySelector('.list-pane-inner')
  for (const cell of document.querySelectorAll('[data-testid^=experiment-status-]')) {
    for (const el of cell.querySelectorAll('.badge, .run-count')) {
      // The list scrolls vertically (rows below the fold are fine); across, nothing may stick out.
      if (!inside(box(el), box(cell)) || (pane && !insideAcross(box(el), box(pane))))
        problems.push(`clipped in the list: "${el.textContent}"`)
    }
  }
  const listPane = document.querySelector('.list-pane')
  const pageHeight = document.documentElement.scrollHeight
  if (listPane && box(listPane).bottom + window.scrollY < pageHeight - 1)
    problems.push('the list pane ends above the page bottom')

  for (const card of document.querySelectorAll('[data-testid^=metric-panel-]')) {
    const name = card.getAttribute('data-testid')
    for (const t of card.querySelectorAll('.recharts-yAxis-tick-labels text')) {
      if (!inside(box(t), box(card))) problems.push(`${name}: y tick "${t.textContent}" overflows`)
    }
    const labels = [...card.querySelectorAll('.recharts-label')].map((l) => l.textContent ?? '')
    if (!labels.includes('iteration') || labels.filter((l) => l.trim() !== '').length < 2)
      problems.push(`${name}: axis titles ${JSON.stringify(labels)}`)
    const title = card.querySelector('figcaption .chart-title')
    const latest = card.querySelector('figcaption .chart-latest')
    if (
      !title ||
      !latest ||
      Math.abs(box(title).top - box(latest).top) > 2 ||
      !inside(box(latest), box(card))
    )
      problems.push(`${name}: header wraps or overflows`)
  }
  for (const chart of document.querySelectorAll('[data-testid=rate-bars] .recharts-wrapper')) {
    for (const t of chart.querySelectorAll('.recharts-cartesian-axis-tick-labels text')) {
      if (!inside(box(t), box(chart))) problems.push(`rate bars: tick "${t.textContent}" overflows`)
    }
  }

  for (const cell of document.querySelectorAll('[data-testid^=summary-value-]')) {
    const range = document.createRange()
    range.selectNodeContents(cell)
    if (range.getClientRects().length > 1)
      problems.push(`summary value wraps: "${cell.textContent}"`)
  }

  const wrap = document.querySelector('.step-table-wrap')
  if (wrap) {
    for (const th of wrap.querySelectorAll('[role=columnheader]')) {
      if (!inside(box(th), box(wrap)) || th.scrollWidth > th.clientWidth)
        problems.push(`step table: column "${th.textContent}" pushed out or cut`)
    }
    for (const td of wrap.querySelectorAll('[role=cell].ellipsis')) {
      // The action's text, without the step's marker badges (invalid, fallback, sub_done).
      const copy = td.cloneNode(true)
      for (const m of copy.querySelectorAll('.step-markers')) m.remove()
      if (td.scrollWidth > td.clientWidth && td.getAttribute('title') !== copy.textContent)
        problems.push(`step table: truncated action without its full text: "${copy.textContent}"`)
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    problems.push(`page scrolls sideways (${document.documentElement.scrollWidth}px)`)
  return problems
}

/** Whether some step-table action is cut short (with its full text in a title). */
function truncatedActions() {
  return [...document.querySelectorAll('.step-table-wrap [role=cell].ellipsis')]
    .filter((td) => td.scrollWidth > td.clientWidth)
    .map((td) => td.getAttribute('title') ?? '')
}

/** Every status:done pair the run panel shows from now on, recorded as React commits it. */
const progressLog = []
function watchProgress() {
  progressLog.length = 0
  const record = () => {
    const done = document.querySelector('[data-testid=run-progress]')?.getAttribute('data-done')
    const status = document.querySelector('[data-testid=run-status]')?.getAttribute('data-status')
    const entry = `${status ?? ''}:${done ?? ''}`
    if (progressLog[progressLog.length - 1] !== entry) progressLog.push(entry)
  }
  new MutationObserver(record).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-done', 'data-status']
  })
}

window.e2e = {
  lineRaw,
  pathsRaw,
  barRaw,
  layoutProblems,
  truncatedActions,
  watchProgress,
  progressLog: () => [...progressLog]
}
