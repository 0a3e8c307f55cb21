// What the ALFWorld searcher remembers: the room's receptacles, the last seen contents of each one
// it has looked into, which are closed, what it holds and what it has done to that object.
import { parseFeedback, parseRoom, parseSights } from './parse'

export type Transform = 'clean' | 'heat' | 'cool'

export class AlfworldMemory {
  /** Receptacle names of the room in canonical order (type, then instance number). */
  readonly room: string[]
  /** Receptacles looked into (open or surfaces) → their contents when last seen. */
  readonly contents = new Map<string, string[]>()
  /** Receptacles seen closed and not opened since. */
  readonly closed = new Set<string>()
  held: string | null = null
  /** What was done to the held object since it was picked up. */
  readonly transforms = new Set<Transform>()

  constructor(firstObservation: string) {
    this.room = parseRoom(firstObservation).sort(byTypeThenNumber)
  }

  /** Folds one feedback text in. */
  observe(text: string): void {
    for (const sight of parseSights(text)) {
      if (sight.contents === null) {
        this.closed.add(sight.receptacle)
        this.contents.delete(sight.receptacle)
      } else {
        this.closed.delete(sight.receptacle)
        this.contents.set(sight.receptacle, sight.contents)
      }
    }
    const fb = parseFeedback(text.trim())
    switch (fb.kind) {
      case 'take': {
        const list = this.contents.get(fb.receptacle)
        if (list)
          this.contents.set(
            fb.receptacle,
            list.filter((o) => o !== fb.object)
          )
        this.held = fb.object
        this.transforms.clear()
        break
      }
      case 'put': {
        const list = this.contents.get(fb.receptacle)
        if (list && !list.includes(fb.object)) list.push(fb.object)
        this.held = null
        this.transforms.clear()
        break
      }
      case 'heat':
      case 'cool':
        this.transforms.delete(fb.kind === 'heat' ? 'cool' : 'heat')
        this.transforms.add(fb.kind)
        break
      case 'clean':
        this.transforms.add('clean')
        break
      default:
        break
    }
  }

  /** Whether the inside of a receptacle is known to be reachable (seen open or a surface). */
  accessible(receptacle: string): boolean {
    return this.contents.has(receptacle)
  }

  /** Objects of a type last seen in reachable receptacles, in canonical receptacle order. */
  seen(type: string): { object: string; receptacle: string }[] {
    const out: { object: string; receptacle: string }[] = []
    for (const r of this.room) {
      for (const o of this.contents.get(r) ?? []) {
        if (o.replace(/ \d+$/, '') === type) out.push({ object: o, receptacle: r })
      }
    }
    return out
  }
}

/** 'cabinet 2' before 'cabinet 10' before 'coffeemachine 1'. */
export function byTypeThenNumber(a: string, b: string): number {
  const ma = /^(.*?) (\d+)$/.exec(a)
  const mb = /^(.*?) (\d+)$/.exec(b)
  const ta = ma?.[1] ?? a
  const tb = mb?.[1] ?? b
  if (ta !== tb) return ta < tb ? -1 : 1
  return Number(ma?.[2] ?? 0) - Number(mb?.[2] ?? 0)
}
