// Annotations: comments and typed labels on a run, group, blueprint, episode or step. Rows are
// append-only: an edit or a clear is a new row that supersedes the current one, so every value
// keeps its history (who, when, what it replaced). Label types are defined per experiment.
import { z } from 'zod'

const id = z.int().min(1)

export const labelTypeSchema = z.enum(['boolean', 'category', 'score'])
export type LabelType = z.infer<typeof labelTypeSchema>

/** A score label takes the integers 1…5. */
export const SCORE_VALUES = ['1', '2', '3', '4', '5'] as const

export const labelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}\p{N}_ .-]+$/u, 'letters, digits, space, _ . - only')

export const labelSchemaSchema = z.object({
  id: z.int(),
  experimentId: z.int(),
  name: z.string(),
  type: labelTypeSchema,
  /** A category label's choices, in order; empty for the other types. */
  options: z.array(z.string()),
  description: z.string(),
  createdAt: z.string()
})
export type LabelSchema = z.infer<typeof labelSchemaSchema>

export const annotationTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), id }).strict(),
  z.object({ type: z.literal('group'), id }).strict(),
  /** A HiMAC blueprint: the plan of a Phase-A group member (the episode that carries it). */
  z.object({ type: z.literal('blueprint'), id }).strict(),
  z.object({ type: z.literal('episode'), id }).strict(),
  z.object({ type: z.literal('step'), id, t: z.int().min(0) }).strict()
])
export type AnnotationTarget = z.infer<typeof annotationTargetSchema>
export type AnnotationTargetType = AnnotationTarget['type']
export const ANNOTATION_TARGET_TYPES = ['run', 'group', 'blueprint', 'episode', 'step'] as const

export const annotationKindSchema = z.enum(['comment', 'label'])
export type AnnotationKind = z.infer<typeof annotationKindSchema>

/** One stored row: a value, or `null` when the row clears a label or deletes a comment. */
export const annotationRevisionSchema = z.object({
  id: z.int(),
  author: z.string(),
  value: z.string().nullable(),
  createdAt: z.string()
})
export type AnnotationRevision = z.infer<typeof annotationRevisionSchema>

/** A live annotation: its newest row, with the rows it replaced (newest first). */
export const annotationSchema = z.object({
  id: z.int(),
  runId: z.int(),
  target: annotationTargetSchema,
  kind: annotationKindSchema,
  /** The label's name (kind 'label'); null for comments. */
  label: z.string().nullable(),
  value: z.string(),
  author: z.string(),
  createdAt: z.string(),
  history: z.array(annotationRevisionSchema)
})
export type Annotation = z.infer<typeof annotationSchema>

/** A search hit: the annotation and where it points, for links and for export. */
export const annotationHitSchema = annotationSchema.extend({
  experimentId: z.int(),
  experimentName: z.string(),
  /** The episode behind an episode, blueprint or step target; the group for a group target. */
  episodeId: z.int().nullable(),
  groupId: z.int().nullable(),
  iteration: z.int().nullable(),
  task: z.string().nullable()
})
export type AnnotationHit = z.infer<typeof annotationHitSchema>

export const annotationSearchSchema = z
  .object({
    experimentId: id.optional(),
    runId: id.optional(),
    targetType: z.enum(ANNOTATION_TARGET_TYPES).optional(),
    kind: annotationKindSchema.optional(),
    label: z.string().trim().min(1).max(60).optional(),
    /** An exact value (a label's value); with `text`, both must match. */
    value: z.string().max(200).optional(),
    /** Words to find in comments and values, and in authors (case-insensitive substring). */
    text: z.string().trim().max(200).optional(),
    offset: z.int().min(0).default(0),
    limit: z.int().min(1).max(1000).default(100)
  })
  .strict()
export type AnnotationSearch = z.output<typeof annotationSearchSchema>

/** How a target is written in one word (for keys, CSV and URLs): `step:12:5`, `run:3`. */
export function targetKey(t: AnnotationTarget): string {
  return t.type === 'step' ? `step:${t.id}:${t.t}` : `${t.type}:${t.id}`
}

/** Whether `value` is a valid value of `schema` (the server checks; the UI uses it to guide). */
export function labelValueError(schema: LabelSchema, value: string): string | null {
  switch (schema.type) {
    case 'boolean':
      return value === 'true' || value === 'false' ? null : `'${schema.name}' takes true or false`
    case 'score':
      return (SCORE_VALUES as readonly string[]).includes(value)
        ? null
        : `'${schema.name}' takes a score 1–5`
    case 'category':
      return schema.options.includes(value)
        ? null
        : `'${schema.name}' takes one of: ${schema.options.join(', ')}`
  }
}
