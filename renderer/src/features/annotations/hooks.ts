// The annotation views' data: an experiment's label schemas, one target's live annotations (with
// the writes made here applied at once), and searches.
import { useState } from 'react'
import type { Annotation, AnnotationTarget, LabelSchema } from '../../../../core/api/entities'
import type { CommandInput, CommandOutputs } from '../../../../core/api/contract'
import type { ApiError } from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { useCommand, type Query } from '../../api/hooks'

export function useLabels(experimentId: number | null): Query<LabelSchema[]> {
  return useCommand('labels/list', experimentId === null ? null : { experimentId })
}

export type AnnotationWrite =
  | Omit<Extract<CommandInput<'annotations/add'>, { kind: 'comment' }>, 'target'>
  | Omit<Extract<CommandInput<'annotations/add'>, { kind: 'label' }>, 'target'>

export type TargetAnnotations = {
  list: Annotation[] | undefined
  error: ApiError | undefined
  busy: boolean
  /** Appends; resolves true when stored (the list then shows it). */
  add: (write: AnnotationWrite) => Promise<boolean>
}

export function useTargetAnnotations(target: AnnotationTarget): TargetAnnotations {
  const query = useCommand('annotations/list', { target })
  const key = JSON.stringify(target)
  const [written, setWritten] = useState<{ key: string; list: Annotation[] } | null>(null)
  const [writeError, setWriteError] = useState<{ key: string; error: ApiError } | null>(null)
  const [busy, setBusy] = useState(false)
  const add = async (write: AnnotationWrite): Promise<boolean> => {
    setBusy(true)
    const r = await getClient().invoke('annotations/add', {
      ...write,
      target
    } as CommandInput<'annotations/add'>)
    setBusy(false)
    if (r.error) {
      setWriteError({ key, error: r.error })
      return false
    }
    setWriteError(null)
    setWritten({ key, list: r.data })
    return true
  }
  return {
    list: written?.key === key ? written.list : query.data,
    error: (writeError?.key === key ? writeError.error : undefined) ?? query.error,
    busy,
    add
  }
}

export function useAnnotationSearch(
  input: CommandInput<'annotations/search'>
): Query<CommandOutputs['annotations/search']> {
  return useCommand('annotations/search', input)
}
