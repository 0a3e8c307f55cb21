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

const SLOT = /\{(o|r|co|ko)\.name\}|\{loc\}/g

/** A template split once into literal text and slot keys (`parts` alternate: text, key, text, …). */
const compiled = new Map<string, string[]>()

function compile(template: string): string[] {
  let parts = compiled.get(template)
  if (!parts) {
    parts = []
    let last = 0
    for (const m of template.matchAll(SLOT)) {
      parts.push(template.slice(last, m.index), m[1] ?? 'loc')
      last = m.index + m[0].length
    }
    parts.push(template.slice(last))
    compiled.set(template, parts)
  }
  return parts
}

/** Fills the {o.name}, {r.name}, {co.name}, {ko.name} and {loc} slots of a feedback string. */
export function fill(template: string, slots: Readonly<Record<string, string>>): string {
  const parts = compile(template)
  let out = parts[0] as string
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string
    const value = slots[key]
    out += (value ?? (key === 'loc' ? '{loc}' : `{${key}.name}`)) + (parts[i + 1] as string)
  }
  return out
}
