// The iteration-end collection: it runs once to learn the live heap, then only after the heap grew
// past its trigger (1.5× the live heap, at least 32 MiB more).
import { expect, it } from 'vitest'
import { collectIfHeapGrew } from '../../../core/train/heap'

it('collects first, then only once the heap grew past its trigger', () => {
  expect(collectIfHeapGrew()).not.toBeNull()
  expect(collectIfHeapGrew()).toBeNull()
  // Kept alive, so no collection in between can hide it: 64 arrays of 1 MiB of pointers.
  const held = Array.from({ length: 64 }, () => new Array<number>(2 ** 17).fill(0.5))
  expect(collectIfHeapGrew()).not.toBeNull()
  expect(collectIfHeapGrew()).toBeNull()
  expect(held).toHaveLength(64)
})
