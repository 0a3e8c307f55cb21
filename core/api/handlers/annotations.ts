// Handlers of the annotations domain. Every write is checked against the store first (the target
// exists, the label is defined for the target's experiment and the value fits it, an edit names
// the newest version of a comment on the same target), then appended; nothing is ever rewritten.
import type { StoreReader, StoreWriter } from '../../store'
import type { TargetPlace } from '../../store/annotation-queries'
import { labelValueError, targetKey, type AnnotationTarget } from '../annotation-entities'
import type { AnnotationOutputs, annotationInputs } from '../domains/annotations'
import { conflict, notFound, validationFailure } from '../errors'
import type { DomainHandlers } from './types'

export function annotationHandlers(
  reader: StoreReader,
  writer: StoreWriter,
  defaultAuthor: string
): DomainHandlers<typeof annotationInputs, AnnotationOutputs> {
  const q = reader.annotations
  const mustPlace = (target: AnnotationTarget): TargetPlace => {
    const place = q.place(target)
    if (typeof place === 'string') throw notFound(place)
    return place
  }
  const mustExperiment = (experimentId: number): void => {
    if (!reader.getExperiment(experimentId)) throw notFound(`experiment ${experimentId}`)
  }

  return {
    'labels/list': async ({ experimentId }) => {
      mustExperiment(experimentId)
      return q.labels(experimentId)
    },
    'labels/define': async ({ experimentId, name, type, options, description }) => {
      mustExperiment(experimentId)
      if (q.label(experimentId, name))
        throw conflict(`experiment ${experimentId} already has a label '${name}'`)
      writer.defineLabel({ experimentId, name, type, options, description })
      return q.label(experimentId, name)!
    },
    'annotations/list': async ({ target }) => {
      mustPlace(target)
      return q.forTarget(target)
    },
    'annotations/add': async (input) => {
      const { target } = input
      const place = mustPlace(target)
      const row = {
        runId: place.runId,
        targetType: target.type,
        targetId: target.id,
        stepT: target.type === 'step' ? target.t : null,
        iteration: target.type === 'run' ? null : place.iteration,
        author: input.author ?? defaultAuthor,
        value: input.value
      }
      if (input.kind === 'label') {
        const schema = q.label(place.experimentId, input.label)
        if (!schema) throw notFound(`label '${input.label}' of experiment ${place.experimentId}`)
        if (input.value !== null) {
          const error = labelValueError(schema, input.value)
          if (error) throw validationFailure(error, 'value')
        }
        const head = q.labelHead(target, input.label)
        if ((head?.value ?? null) === input.value) return q.forTarget(target)
        writer.appendAnnotation({
          ...row,
          kind: 'label',
          label: input.label,
          supersedes: head?.id ?? null
        })
        return q.forTarget(target)
      }
      if (input.supersedes !== undefined) {
        const old = q.headRow(input.supersedes)
        if (!old) {
          throw q.exists(input.supersedes)
            ? conflict(`annotation ${input.supersedes} has a newer version: reload and edit that`)
            : notFound(`annotation ${input.supersedes}`)
        }
        const oldTarget = targetKey(
          old.target_type === 'step'
            ? { type: 'step', id: old.target_id, t: old.step_t ?? 0 }
            : { type: old.target_type, id: old.target_id }
        )
        if (old.kind !== 'comment' || oldTarget !== targetKey(target) || old.value === null)
          throw conflict(`annotation ${input.supersedes} is not a comment on ${targetKey(target)}`)
      }
      writer.appendAnnotation({ ...row, kind: 'comment', supersedes: input.supersedes ?? null })
      return q.forTarget(target)
    },
    'annotations/search': async (query) => q.search(query)
  }
}
