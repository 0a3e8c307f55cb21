// The ALFWorld rules (PDDL domain alfred.pddl as played by TextWorld): preconditions, effects,
// admissible commands in sorted order, exact feedback strings and the six goal checks.
import type { AlfworldGrammar } from './grammar'
import { displayList, fill } from './text'
import type { World } from './types'

enum K {
  Goto,
  Open,
  Close,
  Take,
  Put,
  Clean,
  Heat,
  Cool,
  Slice,
  Use,
  Examine,
  Look,
  Inventory,
  Help
}

type Cmd = { k: K; a: number; b: number }

export type CommandKind =
  'goto' | 'open' | 'close' | 'take' | 'put' | 'clean' | 'heat' | 'cool' | 'use' | 'examine'

type Parser = { k: K; re: RegExp; slots: ('o' | 'r' | 'x')[] }

const NOTHING = 'Nothing happens.'
const MIDDLE_OF_ROOM = 'You are in the middle of a room. Looking quickly around you, you see '

function templateRegex(template: string): { re: RegExp; slots: ('o' | 'r' | 'x')[] } {
  const slots: ('o' | 'r' | 'x')[] = []
  const parts = template.split(/(\{\w+\})/)
  let src = '^'
  for (const part of parts) {
    const m = /^\{(\w+)\}$/.exec(part)
    if (m) {
      const name = m[1]
      slots.push(name === 'r' ? 'r' : name === 'ko' ? 'x' : 'o')
      src += '(.+?)'
    } else src += part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  // the last slot is greedy, the others lazy: 'take {o} from {r}' splits at the first ' from '
  src = src.replace(/\(\.\+\?\)$/, '(.+)') + '$'
  return { re: new RegExp(src), slots }
}

const parserCache = new WeakMap<AlfworldGrammar, Map<string, Parser[]>>()

/** Template parsers keyed by the template's first word. */
function parsersFor(g: AlfworldGrammar): Map<string, Parser[]> {
  const cached = parserCache.get(g)
  if (cached) return cached
  const t = g.templates
  const list: [K, string][] = [
    [K.Goto, 'go to {r}'],
    [K.Open, t.open],
    [K.Close, t.close],
    [K.Take, t.take],
    [K.Put, t.put],
    [K.Clean, t.clean],
    [K.Heat, t.heat],
    [K.Cool, t.cool],
    [K.Slice, t.slice],
    [K.Use, t.use],
    [K.Examine, t.examine]
  ]
  const parsers = new Map<string, Parser[]>()
  for (const [k, tpl] of list) {
    const first = tpl.split(' ')[0] ?? ''
    const entry = parsers.get(first) ?? []
    entry.push({ k, ...templateRegex(tpl) })
    parsers.set(first, entry)
  }
  parserCache.set(g, parsers)
  return parsers
}

/** A playable ALFWorld game: static world data plus the mutable state the PDDL actions change. */
export class AlfworldGame {
  readonly world: World
  readonly grammar: AlfworldGrammar
  // static
  private readonly recLoc: Int32Array
  private readonly recOpenable: Uint8Array
  private readonly recsAtLoc: number[][]
  private readonly recByName: Map<string, number>
  private readonly objByName: Map<string, number>
  private readonly canContain: Map<string, Set<string>>
  /** Sorted 'go to' commands per location (the last slot: all of them), built on first use. */
  private readonly gotoAt: (string[] | undefined)[]
  private readonly goalObjs: number[]
  private readonly goalRecs: Uint8Array
  private readonly lamps: number[]
  /** Legacy `loc N` number per location index (ALFWorld's Demangler numbering). */
  private readonly locNumbers: Int32Array
  // dynamic
  agentLoc = 0
  held = -1
  /** The receptacle the agent last went to (for views), -1 before the first move. */
  lastReceptacle = -1
  opened: Uint8Array
  objIn: number[][]
  /** The inverse of objIn: objects per receptacle, ascending (id order). */
  recContents: number[][]
  objLocs: number[][]
  /**
   * TextWorld's `not_inreceptacle` facts: they exist only after `take` deleted `inReceptacle`
   * (and go when the object is put back). The look text's floor list is built from them.
   */
  notIn: number[][]
  isOn: Uint8Array
  isToggled: Uint8Array
  isHot: Uint8Array
  isCool: Uint8Array
  isClean: Uint8Array
  isSliced: Uint8Array
  private admissibleCache: string[] | null = null

  constructor(world: World, grammar: AlfworldGrammar, from?: AlfworldGame) {
    this.world = world
    this.grammar = grammar
    const R = world.receptacles.length
    const O = world.objects.length
    if (from) {
      this.recLoc = from.recLoc
      this.recOpenable = from.recOpenable
      this.recsAtLoc = from.recsAtLoc
      this.recByName = from.recByName
      this.objByName = from.objByName
      this.canContain = from.canContain
      this.gotoAt = from.gotoAt
      this.goalObjs = from.goalObjs
      this.goalRecs = from.goalRecs
      this.lamps = from.lamps
      this.locNumbers = from.locNumbers
      this.agentLoc = from.agentLoc
      this.held = from.held
      this.lastReceptacle = from.lastReceptacle
      this.opened = from.opened.slice()
      this.objIn = from.objIn.map((a) => a.slice())
      this.recContents = from.recContents.map((a) => a.slice())
      this.objLocs = from.objLocs.map((a) => a.slice())
      this.notIn = from.notIn.map((a) => a.slice())
      this.isOn = from.isOn.slice()
      this.isToggled = from.isToggled.slice()
      this.isHot = from.isHot.slice()
      this.isCool = from.isCool.slice()
      this.isClean = from.isClean.slice()
      this.isSliced = from.isSliced.slice()
      return
    }
    this.recLoc = Int32Array.from(world.receptacles, (r) => r.loc)
    this.recOpenable = Uint8Array.from(world.receptacles, (r) => (r.openable ? 1 : 0))
    this.recsAtLoc = world.locations.map(() => [])
    world.receptacles.forEach((r, i) => this.recsAtLoc[r.loc]?.push(i))
    this.recByName = new Map(world.receptacles.map((r, i) => [r.name, i]))
    this.objByName = new Map(world.objects.map((o, i) => [o.name, i]))
    this.canContain = canContainTable(world.canContain)
    this.gotoAt = []
    const goal = world.goal
    this.goalObjs = []
    world.objects.forEach((o, i) => {
      if (o.type === goal.object) this.goalObjs.push(i)
    })
    this.goalRecs = new Uint8Array(R)
    this.lamps = []
    if (goal.kind === 'look_at_obj_in_light') {
      world.objects.forEach((o, i) => {
        if (o.type === goal.toggle && o.toggleable) this.lamps.push(i)
      })
    } else {
      world.receptacles.forEach((r, i) => {
        if (r.type === goal.receptacle) this.goalRecs[i] = 1
      })
    }
    this.locNumbers = locationNumbers(world.locations)
    this.opened = new Uint8Array(R)
    this.objIn = []
    this.recContents = []
    this.objLocs = []
    this.notIn = []
    this.isOn = new Uint8Array(O)
    this.isToggled = new Uint8Array(O)
    this.isHot = new Uint8Array(O)
    this.isCool = new Uint8Array(O)
    this.isClean = new Uint8Array(O)
    this.isSliced = new Uint8Array(O)
    this.reset()
  }

  /** Back to the world's initial state. */
  reset(): void {
    const w = this.world
    this.agentLoc = w.agentLocation
    this.held = -1
    this.lastReceptacle = -1
    w.receptacles.forEach((r, i) => (this.opened[i] = r.opened ? 1 : 0))
    this.objIn = w.objects.map((o) => o.inReceptacles.slice())
    this.recContents = w.receptacles.map(() => [])
    this.objIn.forEach((inside, o) => {
      for (const r of inside) this.recContents[r]?.push(o)
    })
    this.objLocs = w.objects.map((o) => o.locations.slice())
    this.notIn = w.objects.map(() => [])
    w.objects.forEach((o, i) => {
      this.isOn[i] = o.isOn ? 1 : 0
      this.isToggled[i] = o.isToggled ? 1 : 0
      this.isHot[i] = o.isHot ? 1 : 0
      this.isCool[i] = o.isCool ? 1 : 0
      this.isClean[i] = o.isClean ? 1 : 0
      this.isSliced[i] = o.isSliced ? 1 : 0
    })
    this.admissibleCache = null
  }

  clone(): AlfworldGame {
    return new AlfworldGame(this.world, this.grammar, this)
  }

  recName(r: number): string {
    return this.world.receptacles[r]?.name ?? ''
  }

  objName(o: number): string {
    return this.world.objects[o]?.name ?? ''
  }

  receptaclesAt(loc: number): readonly number[] {
    return this.recsAtLoc[loc] ?? []
  }

  canContainPair(r: number, o: number): boolean {
    const rt = this.world.receptacles[r]?.type
    const ot = this.world.objects[o]?.type
    return ot !== undefined && rt !== undefined && this.canContain.get(rt)?.has(ot) === true
  }

  locationOf(r: number): number {
    return this.recLoc[r] ?? -1
  }

  isOpenable(r: number): boolean {
    return this.recOpenable[r] === 1
  }

  /** Renders a command through the grammar's templates (a = object or receptacle, b = receptacle). */
  command(kind: CommandKind, a: number, b = -1): string {
    const t = this.grammar.templates
    switch (kind) {
      case 'goto':
        return 'go to ' + this.recName(a)
      case 'open':
      case 'close':
        return t[kind].replace('{r}', this.recName(a))
      case 'examine':
        return t.examine.replace('{o}', this.objName(a))
      case 'use':
        return t.use.replace('{o}', this.objName(a))
      default:
        return fill2(t[kind], this.objName(a), this.recName(b))
    }
  }

  /** Whether the receptacle's inside is reachable (open, or not openable). */
  accessible(r: number): boolean {
    return this.recOpenable[r] === 0 || this.opened[r] === 1
  }

  /** Objects in receptacle r, in id order. */
  contentsOf(r: number): readonly number[] {
    return this.recContents[r] ?? []
  }

  // ---------------------------------------------------------------- text

  private itemList(objs: readonly number[]): string {
    return displayList(objs.map((o) => 'a ' + this.objName(o)))
  }

  describeReceptacle(r: number): string {
    const name = this.recName(r)
    if (this.recOpenable[r]) {
      if (this.opened[r])
        return `The ${name} is open. In it, you see ${this.itemList(this.contentsOf(r))}.`
      return `The ${name} is closed.`
    }
    return `On the ${name}, you see ${this.itemList(this.contentsOf(r))}.`
  }

  lookText(): string {
    const here = this.recsAtLoc[this.agentLoc] ?? []
    // the start spot holds no receptacle; the receptacle list belongs to the intro only
    if (here.length === 0) return MIDDLE_OF_ROOM + 'nothing.'
    const floor: number[] = []
    for (let o = 0; o < this.objLocs.length; o++) {
      if (!(this.objLocs[o] as number[]).includes(this.agentLoc)) continue
      const removed = this.notIn[o] as number[]
      if (removed.length > 0 && here.some((r) => removed.includes(r))) floor.push(o)
    }
    const names = displayList(here.map((r) => this.recName(r)))
    return `You are facing the ${names}. Next to it, you see ${this.itemList(floor)}.`
  }

  initialObservation(): string {
    const all = displayList(this.world.receptacles.map((r) => 'a ' + r.name))
    return `${this.grammar.banner}\n\n${MIDDLE_OF_ROOM}${all}.\n\nYour task is to: ${this.world.task}`
  }

  private examineObjectText(o: number): string {
    const obj = this.world.objects[o]
    const name = this.objName(o)
    if (obj?.receptacleObject)
      return `This is a normal ${name}. In it, you see ${this.itemList(obj.contents)}.`
    const clean = this.isClean[o] === 1
    const hot = this.isHot[o] === 1
    const cool = this.isCool[o] === 1
    const sliced = this.isSliced[o] === 1
    if (clean && hot && sliced) return `This is a hot and clean sliced ${name}.`
    if (clean && cool && sliced) return `This is a cool and clean sliced ${name}.`
    if (clean && sliced) return `This is a clean sliced ${name}.`
    if (hot && sliced) return `This is a hot sliced ${name}.`
    if (cool && sliced) return `This is a cool sliced ${name}.`
    if (clean && hot) return `This is a hot and clean ${name}.`
    if (clean && cool) return `This is a cool and clean ${name}.`
    if (hot) return `This is a hot ${name}.`
    if (clean) return `This is a clean ${name}.`
    if (cool) return `This is a cold ${name}.`
    // 'This {o} is off.' needs a not_istoggled fact, which no action ever creates
    if (obj?.toggleable && this.isToggled[o]) return `This ${name} is on.`
    if (obj?.sliceable && sliced) return `This is a sliced ${name}.`
    return `There's nothing special about ${name}.`
  }

  // ---------------------------------------------------------------- rules

  private here(r: number): boolean {
    return this.recLoc[r] === this.agentLoc
  }

  private inAccessibleHere(o: number): boolean {
    const list = this.objIn[o] as number[]
    for (let j = 0; j < list.length; j++) {
      const r = list[j] as number
      if (this.recLoc[r] === this.agentLoc && this.accessible(r)) return true
    }
    return false
  }

  private inHere(o: number): boolean {
    const list = this.objIn[o] as number[]
    for (let j = 0; j < list.length; j++)
      if (this.recLoc[list[j] as number] === this.agentLoc) return true
    return false
  }

  private recType(r: number): string {
    return this.world.receptacles[r]?.type ?? ''
  }

  private isKnife(o: number): boolean {
    const t = this.world.objects[o]?.type
    return t === 'Knife' || t === 'ButterKnife'
  }

  private applicable(c: Cmd): boolean {
    const objs = this.world.objects
    switch (c.k) {
      case K.Goto:
        return this.recLoc[c.a] !== this.agentLoc
      case K.Open:
        return this.recOpenable[c.a] === 1 && this.here(c.a) && this.opened[c.a] === 0
      case K.Close:
        return this.recOpenable[c.a] === 1 && this.here(c.a) && this.opened[c.a] === 1
      case K.Take:
        return (
          objs[c.a]?.pickupable === true &&
          this.held < 0 &&
          this.here(c.b) &&
          (this.objIn[c.a] as number[]).includes(c.b) &&
          this.accessible(c.b)
        )
      case K.Put:
        return (
          this.held === c.a &&
          this.here(c.b) &&
          this.accessible(c.b) &&
          this.canContainPair(c.b, c.a)
        )
      case K.Clean:
        return (
          this.held === c.a &&
          objs[c.a]?.cleanable === true &&
          this.here(c.b) &&
          this.recType(c.b) === 'SinkBasin'
        )
      case K.Heat:
        return (
          this.held === c.a &&
          objs[c.a]?.heatable === true &&
          this.here(c.b) &&
          this.recType(c.b) === 'Microwave'
        )
      case K.Cool:
        return (
          this.held === c.a &&
          objs[c.a]?.coolable === true &&
          this.here(c.b) &&
          this.recType(c.b) === 'Fridge'
        )
      case K.Slice:
        return (
          objs[c.a]?.sliceable === true &&
          this.held === c.b &&
          this.isKnife(c.b) &&
          (this.objLocs[c.a] as number[]).includes(this.agentLoc)
        )
      case K.Use:
        return objs[c.a]?.toggleable === true && this.inHere(c.a)
      case K.Examine:
        // a = receptacle (b = 0) or object (b = 1)
        return c.b === 0 ? this.here(c.a) : this.held === c.a || this.inAccessibleHere(c.a)
      case K.Look:
      case K.Inventory:
        return true
      case K.Help:
        return this.grammar.help !== null
    }
  }

  private apply(c: Cmd): string {
    const g = this.grammar
    switch (c.k) {
      case K.Goto: {
        this.agentLoc = this.recLoc[c.a] as number
        this.lastReceptacle = c.a
        const arrive = fill(g.feedback.arrive, {
          r: this.recName(c.a),
          loc: String(this.locNumbers[this.agentLoc])
        })
        return arrive + this.describeReceptacle(c.a)
      }
      case K.Open:
        this.opened[c.a] = 1
        return fill(g.feedback.open, { r: this.recName(c.a) }) + this.describeReceptacle(c.a)
      case K.Close:
        this.opened[c.a] = 0
        return fill(g.feedback.close, { r: this.recName(c.a) })
      case K.Take: {
        const inside = this.objIn[c.a] as number[]
        inside.splice(inside.indexOf(c.b), 1)
        const contents = this.recContents[c.b] as number[]
        contents.splice(contents.indexOf(c.a), 1)
        const locs = this.objLocs[c.a] as number[]
        const li = locs.indexOf(this.agentLoc)
        if (li >= 0) locs.splice(li, 1)
        const removed = this.notIn[c.a] as number[]
        if (!removed.includes(c.b)) removed.push(c.b)
        this.held = c.a
        return fill(g.feedback.take, { o: this.objName(c.a), r: this.recName(c.b) })
      }
      case K.Put: {
        const inside = this.objIn[c.a] as number[]
        if (!inside.includes(c.b)) {
          inside.push(c.b)
          const contents = this.recContents[c.b] as number[]
          let at = contents.length
          while (at > 0 && (contents[at - 1] as number) > c.a) at--
          contents.splice(at, 0, c.a)
        }
        const locs = this.objLocs[c.a] as number[]
        if (!locs.includes(this.agentLoc)) locs.push(this.agentLoc)
        const removed = this.notIn[c.a] as number[]
        const ri = removed.indexOf(c.b)
        if (ri >= 0) removed.splice(ri, 1)
        this.held = -1
        return fill(g.feedback.put, { o: this.objName(c.a), r: this.recName(c.b) })
      }
      case K.Clean:
        this.isClean[c.a] = 1
        return fill(g.feedback.clean, { o: this.objName(c.a), r: this.recName(c.b) })
      case K.Heat:
        this.isHot[c.a] = 1
        this.isCool[c.a] = 0
        return fill(g.feedback.heat, { o: this.objName(c.a), r: this.recName(c.b) })
      case K.Cool:
        this.isCool[c.a] = 1
        this.isHot[c.a] = 0
        return fill(g.feedback.cool, { o: this.objName(c.a), r: this.recName(c.b) })
      case K.Slice:
        this.isSliced[c.a] = 1
        return fill(g.feedback.slice, { co: this.objName(c.a), ko: this.objName(c.b) })
      case K.Use:
        this.isOn[c.a] = this.isOn[c.a] ? 0 : 1
        this.isToggled[c.a] = 1
        return `You turn on the ${this.objName(c.a)}.`
      case K.Examine:
        return c.b === 0 ? this.describeReceptacle(c.a) : this.examineObjectText(c.a)
      case K.Look:
        return this.lookText()
      case K.Inventory:
        return this.held >= 0
          ? `You are carrying: a ${this.objName(this.held)}.`
          : 'You are not carrying anything.'
      case K.Help:
        return g.help ?? NOTHING
    }
  }

  private parse(command: string): Cmd[] {
    if (command === 'look') return [{ k: K.Look, a: 0, b: 0 }]
    if (command === 'inventory') return [{ k: K.Inventory, a: 0, b: 0 }]
    if (command === 'help') return [{ k: K.Help, a: 0, b: 0 }]
    const out: Cmd[] = []
    const space = command.indexOf(' ')
    const parsers =
      parsersFor(this.grammar).get(space < 0 ? command : command.slice(0, space)) ?? []
    for (const p of parsers) {
      const m = p.re.exec(command)
      if (!m) continue
      if (p.k === K.Examine) {
        const name = m[1] ?? ''
        const r = this.recByName.get(name)
        if (r !== undefined) out.push({ k: K.Examine, a: r, b: 0 })
        const o = this.objByName.get(name)
        if (o !== undefined) out.push({ k: K.Examine, a: o, b: 1 })
        continue
      }
      const ids: number[] = []
      let ok = true
      p.slots.forEach((slot, i) => {
        const name = m[i + 1] ?? ''
        const id = slot === 'r' ? this.recByName.get(name) : this.objByName.get(name)
        if (id === undefined) ok = false
        else ids.push(id)
      })
      if (ok) out.push({ k: p.k, a: ids[0] ?? 0, b: ids[1] ?? 0 })
    }
    return out
  }

  /**
   * Plays one command (matched exactly after trimming). Returns the feedback and whether the
   * command was admissible; an inadmissible one leaves the state unchanged ("Nothing happens.").
   */
  play(command: string): { feedback: string; valid: boolean } {
    const text = command.trim()
    for (const c of this.parse(text)) {
      if (!this.applicable(c)) continue
      const feedback = this.apply(c)
      if (c.k !== K.Look && c.k !== K.Inventory && c.k !== K.Help && c.k !== K.Examine) {
        this.admissibleCache = null
      }
      return { feedback, valid: true }
    }
    return { feedback: NOTHING, valid: false }
  }

  /** All admissible commands, deduplicated, in plain code-unit (Python `sorted`) order. */
  admissible(): string[] {
    if (this.admissibleCache) return this.admissibleCache
    const g = this.grammar.templates
    const objs = this.world.objects
    const out: string[] = ['inventory', 'look']
    if (this.grammar.help !== null) out.push('help')
    const here = this.recsAtLoc[this.agentLoc] ?? []
    const held = this.held
    const heldName = held >= 0 ? this.objName(held) : ''
    if (held >= 0) out.push(g.examine.replace('{o}', heldName))
    for (const r of here) {
      const rName = this.recName(r)
      out.push(g.examine.replace('{o}', rName))
      const open = this.accessible(r)
      if (this.recOpenable[r]) out.push((this.opened[r] ? g.close : g.open).replace('{r}', rName))
      if (held >= 0) {
        if (open && this.canContainPair(r, held)) out.push(fill2(g.put, heldName, rName))
        const rt = this.recType(r)
        const h = objs[held]
        if (rt === 'SinkBasin' && h?.cleanable) out.push(fill2(g.clean, heldName, rName))
        else if (rt === 'Microwave' && h?.heatable) out.push(fill2(g.heat, heldName, rName))
        else if (rt === 'Fridge' && h?.coolable) out.push(fill2(g.cool, heldName, rName))
      }
    }
    for (const r of here) {
      const open = this.accessible(r)
      for (const o of this.recContents[r] as number[]) {
        const obj = objs[o]
        if (open) {
          out.push(g.examine.replace('{o}', this.objName(o)))
          if (held < 0 && obj?.pickupable) out.push(fill2(g.take, this.objName(o), this.recName(r)))
        }
        if (obj?.toggleable) out.push(g.use.replace('{o}', this.objName(o)))
      }
    }
    if (held >= 0 && this.isKnife(held)) {
      for (let o = 0; o < objs.length; o++) {
        if (objs[o]?.sliceable && (this.objLocs[o] as number[]).includes(this.agentLoc)) {
          out.push(g.slice.replace('{co}', this.objName(o)).replace('{ko}', heldName))
        }
      }
    }
    out.sort() // default sort compares UTF-16 code units, like Python's sorted() on these strings
    const merged = mergeUnique(out, this.gotoList(this.agentLoc))
    this.admissibleCache = merged
    return merged
  }

  private gotoList(loc: number): string[] {
    let list = this.gotoAt[loc]
    if (!list) {
      // the slot after the last location holds every go-to, sorted once; a location's list drops
      // the receptacles standing there
      let all = this.gotoAt[this.world.locations.length]
      if (!all) {
        all = this.world.receptacles.map((r) => 'go to ' + r.name).sort()
        this.gotoAt[this.world.locations.length] = all
      }
      const skip = new Set(this.receptaclesAt(loc).map((r) => 'go to ' + this.recName(r)))
      list = skip.size === 0 ? all : all.filter((c) => !skip.has(c))
      this.gotoAt[loc] = list
    }
    return list
  }

  /** The PDDL goal of the world, checked on the current state. */
  won(): boolean {
    const goal = this.world.goal
    const objs = this.world.objects
    switch (goal.kind) {
      case 'look_at_obj_in_light': {
        if (this.held < 0 || objs[this.held]?.type !== goal.object) return false
        for (const lamp of this.lamps) {
          if (this.isToggled[lamp] && this.inHere(lamp)) return true
        }
        return false
      }
      case 'pick_two_obj_and_place': {
        const count = new Map<number, number>()
        for (const o of this.goalObjs) {
          for (const r of this.objIn[o] as number[]) {
            if (!this.goalRecs[r]) continue
            const n = (count.get(r) ?? 0) + 1
            if (n >= 2) return true
            count.set(r, n)
          }
        }
        return false
      }
      default: {
        for (const o of this.goalObjs) {
          if (
            goal.kind === 'pick_clean_then_place_in_recep' &&
            !(objs[o]?.cleanable && this.isClean[o])
          )
            continue
          if (
            goal.kind === 'pick_heat_then_place_in_recep' &&
            !(objs[o]?.heatable && this.isHot[o])
          )
            continue
          if (
            goal.kind === 'pick_cool_then_place_in_recep' &&
            !(objs[o]?.coolable && this.isCool[o])
          )
            continue
          for (const r of this.objIn[o] as number[]) if (this.goalRecs[r]) return true
        }
        return false
      }
    }
  }
}

/**
 * ALFWorld's Demangler names every location 'loc N': the location ids (all of them, not only the
 * receptacles' spots) in sorted order, the first numbered highest and the last 1.
 */
function locationNumbers(ids: readonly string[]): Int32Array {
  const order = ids
    .map((_, i) => i)
    .sort((a, b) => ((ids[a] as string) < (ids[b] as string) ? -1 : 1))
  const out = new Int32Array(ids.length)
  order.forEach((loc, rank) => (out[loc] = ids.length - rank))
  return out
}

const canContainCache = new WeakMap<readonly string[], Map<string, Set<string>>>()

/** 'Receptacle/Object' pairs as receptacle class → object classes (shared by worlds of a scene). */
function canContainTable(pairs: readonly string[]): Map<string, Set<string>> {
  const cached = canContainCache.get(pairs)
  if (cached) return cached
  const table = new Map<string, Set<string>>()
  for (const pair of pairs) {
    const slash = pair.indexOf('/')
    const r = pair.slice(0, slash)
    const set = table.get(r) ?? new Set<string>()
    set.add(pair.slice(slash + 1))
    table.set(r, set)
  }
  canContainCache.set(pairs, table)
  return table
}

/** Merges two sorted lists, dropping duplicates. */
function mergeUnique(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = []
  let i = 0
  let j = 0
  let last: string | undefined
  while (i < a.length || j < b.length) {
    let next: string
    if (j >= b.length || (i < a.length && (a[i] as string) <= (b[j] as string)))
      next = a[i++] as string
    else next = b[j++] as string
    if (next !== last) out.push(next)
    last = next
  }
  return out
}

function fill2(template: string, o: string, r: string): string {
  return template.replace('{o}', o).replace('{r}', r)
}
