// The annotations domain of the contract: label schemas per experiment, and comments and labels on
// runs, groups, blueprints, episodes and steps (append-only; see annotation-entities.ts).
import { z } from 'zod'
import {
  annotationSearchSchema,
  annotationTargetSchema,
  labelNameSchema,
  labelTypeSchema,
  type Annotation,
  type AnnotationHit,
  type LabelSchema
} from '../annotation-entities'

const id = z.int().min(1)
const author = z.string().trim().min(1).max(100)

const labelDefinition = z
  .object({
    experimentId: id,
    name: labelNameSchema,
    type: labelTypeSchema,
    options: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    description: z.string().trim().max(500).default('')
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.type === 'category' && l.options.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'a category needs 2 or more options'
      })
    if (l.type !== 'category' && l.options.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a ${l.type} label takes no options`
      })
    if (new Set(l.options).size !== l.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must differ' })
  })

const commentInput = z
  .object({
    target: annotationTargetSchema,
    kind: z.literal('comment'),
    /** Null deletes the comment named by `supersedes`. */
    value: z.string().trim().min(1).max(10_000).nullable(),
    /** The comment this one edits (it must be the newest version of a comment on the target). */
    supersedes: id.optional(),
    author: author.optional()
  })
  .strict()
  .refine((c) => c.value !== null || c.supersedes !== undefined, {
    path: ['value'],
    message: 'a comment needs text (null only deletes an existing comment: give supersedes)'
  })

const labelInput = z
  .object({
    target: annotationTargetSchema,
    kind: z.literal('label'),
    label: labelNameSchema,
    /** Null clears the label. */
    value: z.string().trim().min(1).max(200).nullable(),
    author: author.optional()
  })
  .strict()

export const annotationInputs = {
  /** The label types an experiment's annotations may use. */
  'labels/list': z.object({ experimentId: id }).strict(),
  'labels/define': labelDefinition,
  /** The live annotations on one target, each with its earlier versions. */
  'annotations/list': z.object({ target: annotationTargetSchema }).strict(),
  /** Appends a comment, an edit or delete of one, or a label value (a label's new value supersedes its old). */
  'annotations/add': z.discriminatedUnion('kind', [commentInput, labelInput]),
  /** Live annotations across runs, newest first. */
  'annotations/search': annotationSearchSchema
} as const

export type AnnotationOutputs = {
  'labels/list': LabelSchema[]
  'labels/define': LabelSchema
  'annotations/list': Annotation[]
  /** The target's live annotations after the write. */
  'annotations/add': Annotation[]
  'annotations/search': { total: number; items: AnnotationHit[] }
}
