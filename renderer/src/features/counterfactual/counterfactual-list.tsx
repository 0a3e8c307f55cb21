// The counterfactuals made from an episode, each linked to the side-by-side view.
import type React from 'react'
import type { Episode } from '../../../../core/api/entities'
import { useCommand } from '../../api/hooks'
import { formatNumber } from '../../format'
import { href } from '../../router'
import { editText } from './edit-text'

export function CounterfactualList({ episode }: { episode: Episode }): React.JSX.Element | null {
  const list = useCommand('episodes/counterfactuals', { episodeId: episode.id })
  if (episode.counterfactual) {
    const c = episode.counterfactual
    return (
      <p className="cf-origin" data-testid="cf-origin">
        Counterfactual of <a href={href.replay(c.originEpisodeId)}>episode #{c.originEpisodeId}</a>:{' '}
        {editText(c)} · <a href={href.episodePair(c.originEpisodeId, episode.id)}>side by side →</a>
      </p>
    )
  }
  const items = list.data ?? []
  if (items.length === 0) return null
  return (
    <ul className="cf-list" data-testid="cf-list">
      {items.map((e) => (
        <li key={e.id}>
          <a href={href.episodePair(episode.id, e.id)} data-testid={`cf-link-${e.id}`}>
            #{e.id}
          </a>{' '}
          {e.counterfactual ? editText(e.counterfactual) : ''} → return {formatNumber(e.return)},{' '}
          {e.success ? 'solved' : 'not solved'}
        </li>
      ))}
    </ul>
  )
}
