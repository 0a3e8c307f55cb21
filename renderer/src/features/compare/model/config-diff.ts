// The selected runs' configs side by side, key by key, with whether the values differ.
import { allKeys, cellKey, type Cell } from '../../runs/model/config-keys'

export type DiffRow = { key: string; values: (Cell | undefined)[]; differs: boolean }

export function configDiff(flats: Record<string, Cell>[]): DiffRow[] {
  return allKeys(flats).map((key) => {
    const values = flats.map((f) => f[key])
    const first = cellKey(values[0])
    return { key, values, differs: values.some((v) => cellKey(v) !== first) }
  })
}

/** Runs with equal values of every `keys` entry share a group, labelled `key=value · …`. */
export function groupRuns<T>(
  items: T[],
  flatOf: (item: T) => Record<string, Cell>,
  keys: string[],
  format: (v: Cell | undefined) => string
): { label: string; members: T[] }[] {
  const groups = new Map<string, { label: string; members: T[] }>()
  for (const item of items) {
    const flat = flatOf(item)
    const id = keys.map((k) => cellKey(flat[k])).join('|')
    const label = keys.map((k) => `${k}=${format(flat[k])}`).join(' · ')
    const g = groups.get(id)
    if (g) g.members.push(item)
    else groups.set(id, { label, members: [item] })
  }
  return [...groups.values()]
}
