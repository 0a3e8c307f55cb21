// Step rows of each kind a pack holds, shared by the pack format tests: reference-agent steps with
// views, an LM step with candidates (4 significant digits, as rows written before format 2 have),
// a WebShop results page whose view repeats its observation.
import type { StepRow } from '../../core/store/step-pack'

const results = [
  {
    asin: 'B0F128MLTL',
    title: 'La Jolíe Muse Glazed Ceramic Planter Pot, Set Of 3',
    price: '$20.66'
  },
  { asin: 'B0HIZM8SK5', title: "D'vine Dev Round Ceramic Planter Pot", price: '$42.61 to $75.65' }
]
const instruction = 'get me ceramic planter pots, and price lower than 60.00 dollars'
const items = [
  'Back to Search',
  'Page 1 (Total results: 50)',
  'Next >',
  ...results.flatMap((r) => [r.asin, r.title, r.price])
]
const clickables = ['back to search', 'next >', ...results.map((r) => r.asin.toLowerCase())]

export const webshopView = (text: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    kind: 'webshop',
    page: 'results',
    clickables,
    instruction,
    text,
    pageNum: 1,
    results,
    ...extra
  })

const base = {
  reward: 0,
  done: 0,
  subgoal_index: null,
  sub_done: 0,
  log_prob: null,
  advantage: null,
  extra_json: null
}

export function sampleRows(): StepRow[] {
  return [
    {
      ...base,
      t: 0,
      observation: items.map((s) => `'${s}'`).join(' [SEP] '),
      admissible_json: JSON.stringify(clickables.map((c) => `click[${c}]`)),
      action: 'click[b0f128mltl]',
      view_json: webshopView(`Instruction: [SEP] ${instruction} [SEP] ${items.join(' [SEP] ')}`)
    },
    {
      ...base,
      t: 1,
      observation: 'You arrive at desk 1. On the desk 1, you see a pen 2.',
      admissible_json: '["go to desk 1","look","take pen 2 from desk 1"]',
      action: 'look',
      subgoal_index: 0,
      log_prob: -0.4,
      view_json: '{"kind":"alfworld","location":"desk 1"}',
      extra_json:
        '{"candidates":[{"action":"go to desk 1","prob":0.1235},{"action":"look","prob":0.6667},{"action":"take pen 2 from desk 1","prob":0.00001235},{"action":"<sub_done>","prob":0.2099}],"subDoneProb":0.2099}'
    },
    {
      ...base,
      t: 2,
      observation: 'Nothing happens.',
      admissible_json: '["go to desk 1","look"]',
      action: 'fly away',
      reward: -0.1,
      done: 1,
      sub_done: 1,
      view_json: null,
      extra_json:
        '{"candidates":[{"action":"look","prob":0.5},{"action":"fly away","prob":0.25},{"action":"go to desk 1","prob":0.25}],"invalid":true,"fallback":true}'
    }
  ]
}
