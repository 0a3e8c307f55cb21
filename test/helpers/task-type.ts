// The task-type metric key of a stored episode, from what the episode stored: ALFWorld's step view
// names the task type; a WebShop view names the goal product, whose category is the task type.
import type { ExperimentConfig } from '../../core/api/config'
import { taskMetricKey } from '../../core/envs/registry'
import { createWebshopEnv } from '../../core/envs/webshop'
import type { StoredEpisode } from './stored-run'

type View = { taskType?: unknown; goal?: { asin?: unknown } }

export function storedTaskKey(
  config: Pick<ExperimentConfig, 'env' | 'envConfig'>
): (e: StoredEpisode) => string | undefined {
  switch (config.env) {
    case 'alfworld':
      return (e) => {
        const type = (e.steps[0]?.view as View | null)?.taskType
        return typeof type === 'string' ? taskMetricKey('alfworld', type) : undefined
      }
    case 'webshop': {
      const world = createWebshopEnv(config.envConfig).world
      return (e) => {
        const asin = (e.steps[0]?.view as View | null)?.goal?.asin
        return typeof asin === 'string' ? world.byAsin.get(asin)?.category : undefined
      }
    }
    case 'sokoban':
      return () => undefined
  }
}
