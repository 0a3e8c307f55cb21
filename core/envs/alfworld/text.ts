// TextWorld list rendering as ALFWorld prints it: "a X", ", " between items and ", and " before the last.

/** `display_list` of TextWorld: no items → 'nothing'; 'a X, and a Y'; 'a A, a B, and a C'. */
export function displayList(items: readonly string[]): string {
  const n = items.length
  if (n === 0) return 'nothing'
  if (n === 1) return items[0] as string
  let out = items[0] as string
  for (let i = 1; i < n - 1; i++) out += ', ' + (items[i] as string)
  return out + ', and ' + (items[n - 1] as string)
}

/** Fills the {o.name}, {r.name}, {co.name}, {ko.name} and {loc} slots of a feedback string. */
export function fill(template: string, slots: Readonly<Record<string, string>>): string {
  let out = template
  for (const key in slots) {
    const token = key === 'loc' ? '{loc}' : `{${key}.name}`
    if (out.includes(token)) out = out.split(token).join(slots[key] as string)
  }
  return out
}
