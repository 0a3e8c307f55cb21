// Search hits as CSV: one row per live annotation, with where it points and its history size.
import { toCsv } from '../../../../../core/csv'
import { targetKey, type AnnotationHit } from '../../../../../core/api/entities'

export const ANNOTATION_CSV_HEADER = [
  'id',
  'experiment_id',
  'experiment',
  'run_id',
  'target',
  'target_type',
  'episode_id',
  'group_id',
  'step',
  'iteration',
  'task',
  'kind',
  'label',
  'value',
  'author',
  'created_at',
  'versions'
] as const

export function annotationsCsv(hits: readonly AnnotationHit[]): string {
  return toCsv(
    ANNOTATION_CSV_HEADER,
    hits.map((h) => [
      h.id,
      h.experimentId,
      h.experimentName,
      h.runId,
      targetKey(h.target),
      h.target.type,
      h.episodeId,
      h.groupId,
      h.target.type === 'step' ? h.target.t : null,
      h.iteration,
      h.task,
      h.kind,
      h.label,
      h.value,
      h.author,
      h.createdAt,
      h.history.length + 1
    ])
  )
}
