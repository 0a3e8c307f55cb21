// What the agent saw at one step, drawn per environment (a switch on view.kind) with a plain
// text fallback; new environments add one small renderer here.
import type React from 'react'
import { z } from 'zod'
import type { Step } from '../../../../core/api/entities'
import { SokobanGrid, SokobanLegend } from './sokoban-grid'

const sokobanView = z.object({
  kind: z.literal('sokoban'),
  room: z.array(z.array(z.int().min(0).max(6)))
})
const alfworldView = z.looseObject({
  kind: z.literal('alfworld'),
  location: z.string(),
  inventory: z.array(z.string())
})
const productSummary = z.object({ asin: z.string(), title: z.string(), price: z.string() })
const webshopView = z.looseObject({
  kind: z.literal('webshop'),
  page: z.string(),
  url: z.string().optional(),
  results: z.array(productSummary).optional(),
  product: productSummary
    .extend({
      options: z.record(z.string(), z.array(z.string())),
      selected: z.record(z.string(), z.string())
    })
    .nullable()
    .optional(),
  subPage: z.string().nullable().optional(),
  keywords: z.string().nullable().optional()
})
const anyView = z.discriminatedUnion('kind', [sokobanView, alfworldView, webshopView])

function TextView({ step }: { step: Step }): React.JSX.Element {
  return (
    <pre className="obs" data-testid="text-view">
      {step.observation}
    </pre>
  )
}

function AlfworldView({ view }: { view: z.infer<typeof alfworldView> }): React.JSX.Element {
  return (
    <div className="alfworld" data-testid="alfworld-view">
      <dl className="facts">
        <div>
          <dt>Location</dt>
          <dd>{view.location}</dd>
        </div>
        <div>
          <dt>Inventory</dt>
          <dd>{view.inventory.length ? view.inventory.join(', ') : 'nothing'}</dd>
        </div>
      </dl>
    </div>
  )
}

/** WebShop clickables are the admissible `click[...]` actions; the one taken is marked. */
function WebshopView({
  view,
  step
}: {
  view: z.infer<typeof webshopView>
  step: Step
}): React.JSX.Element {
  const clicks = step.admissibleActions.filter((a) => a.startsWith('click['))
  return (
    <div className="webshop" data-testid="webshop-view">
      <div className="webshop-head">
        <span className="tag">{view.page}</span>
        {view.subPage ? <span className="tag">{view.subPage}</span> : null}
        {view.keywords ? <span className="muted"> search: “{view.keywords}”</span> : null}
      </div>
      {view.url ? <div className="mono small muted webshop-url">{view.url}</div> : null}
      {view.results && view.results.length > 0 ? (
        <ol className="webshop-results" data-testid="webshop-results">
          {view.results.map((r) => (
            <li
              key={r.asin}
              className={step.action === `click[${r.asin.toLowerCase()}]` ? 'chosen' : undefined}
            >
              <span className="mono">{r.asin}</span> {r.title}{' '}
              <span className="muted">{r.price}</span>
            </li>
          ))}
        </ol>
      ) : null}
      {view.product ? (
        <div className="webshop-product" data-testid="webshop-product">
          <div>
            <strong>{view.product.title}</strong>{' '}
            <span className="muted">{view.product.price}</span>
          </div>
          {Object.entries(view.product.options).map(([name, values]) => (
            <div key={name} className="small">
              {name}:{' '}
              {values.map((v) => (
                <span key={v} className={view.product?.selected[name] === v ? 'tag chosen' : 'tag'}>
                  {v}
                </span>
              ))}
            </div>
          ))}
        </div>
      ) : null}
      <div className="clickables">
        {clicks.map((a) => (
          <button
            key={a}
            className={a === step.action ? 'button chosen' : 'button'}
            tabIndex={-1}
            type="button"
          >
            {a.slice('click['.length, -1)}
          </button>
        ))}
      </div>
    </div>
  )
}

export function StepView({ step }: { step: Step }): React.JSX.Element {
  const parsed = anyView.safeParse(step.view)
  if (!parsed.success) return <TextView step={step} />
  const view = parsed.data
  switch (view.kind) {
    case 'sokoban':
      return (
        <div className="sokoban-wrap">
          <SokobanGrid room={view.room} />
          <SokobanLegend />
        </div>
      )
    case 'alfworld':
      return <AlfworldView view={view} />
    case 'webshop':
      return <WebshopView view={view} step={step} />
  }
}
