// Writes a World (e.g. a generated one) as an ALFWorld game.tw-pddl JSON document: a PDDL domain
// with the text game's actions, the problem (objects, facts, goal) and a TextWorld grammar with the
// task sentence, command templates and feedback strings, so the real-file loader can play it.
import type { AlfworldGrammar } from './grammar'
import type { GameFileJson } from './pddl'
import type { AlfworldGoal, World } from './types'

const DOMAIN = `(define (domain alfred)
 (:requirements :adl :typing)
 (:types agent location receptacle object rtype otype)
 (:predicates
  (atLocation ?a - agent ?l - location) (receptacleAtLocation ?r - receptacle ?l - location)
  (objectAtLocation ?o - object ?l - location) (openable ?r - receptacle) (opened ?r - receptacle)
  (inReceptacle ?o - object ?r - receptacle) (isReceptacleObject ?o - object)
  (inReceptacleObject ?i - object ?o - object) (receptacleType ?r - receptacle ?t - rtype)
  (canContain ?rt - rtype ?ot - otype) (objectType ?o - object ?t - otype)
  (holds ?a - agent ?o - object) (holdsAny ?a - agent) (isClean ?o - object) (cleanable ?o - object)
  (isHot ?o - object) (heatable ?o - object) (isCool ?o - object) (coolable ?o - object)
  (pickupable ?o - object) (toggleable ?o - object) (isOn ?o - object) (isToggled ?o - object)
  (sliceable ?o - object) (isSliced ?o - object))
 (:action GotoLocation :parameters (?a - agent ?lStart - location ?lEnd - location ?r - receptacle)
  :precondition (and (atLocation ?a ?lStart) (receptacleAtLocation ?r ?lEnd))
  :effect (and (not (atLocation ?a ?lStart)) (atLocation ?a ?lEnd)))
 (:action OpenObject :parameters (?a - agent ?l - location ?r - receptacle)
  :precondition (and (openable ?r) (atLocation ?a ?l) (receptacleAtLocation ?r ?l) (not (opened ?r)))
  :effect (opened ?r))
 (:action CloseObject :parameters (?a - agent ?l - location ?r - receptacle)
  :precondition (and (openable ?r) (atLocation ?a ?l) (receptacleAtLocation ?r ?l) (opened ?r))
  :effect (not (opened ?r)))
 (:action PickupObject :parameters (?a - agent ?l - location ?o - object ?r - receptacle)
  :precondition (and (pickupable ?o) (atLocation ?a ?l) (receptacleAtLocation ?r ?l) (inReceptacle ?o ?r)
   (not (holdsAny ?a)) (or (not (openable ?r)) (opened ?r)))
  :effect (and (not (inReceptacle ?o ?r)) (holds ?a ?o) (holdsAny ?a) (not (objectAtLocation ?o ?l))))
 (:action PutObject :parameters (?a - agent ?l - location ?o - object ?r - receptacle ?ot - otype ?rt - rtype)
  :precondition (and (holds ?a ?o) (atLocation ?a ?l) (receptacleAtLocation ?r ?l)
   (or (not (openable ?r)) (opened ?r)) (objectType ?o ?ot) (receptacleType ?r ?rt) (canContain ?rt ?ot))
  :effect (and (inReceptacle ?o ?r) (objectAtLocation ?o ?l) (not (holds ?a ?o)) (not (holdsAny ?a))))
 (:action CleanObject :parameters (?a - agent ?l - location ?r - receptacle ?o - object)
  :precondition (and (cleanable ?o) (receptacleType ?r SinkBasinType) (atLocation ?a ?l)
   (receptacleAtLocation ?r ?l) (holds ?a ?o))
  :effect (isClean ?o))
 (:action HeatObject :parameters (?a - agent ?l - location ?r - receptacle ?o - object)
  :precondition (and (heatable ?o) (receptacleType ?r MicrowaveType) (atLocation ?a ?l)
   (receptacleAtLocation ?r ?l) (holds ?a ?o))
  :effect (and (isHot ?o) (not (isCool ?o))))
 (:action CoolObject :parameters (?a - agent ?l - location ?r - receptacle ?o - object)
  :precondition (and (coolable ?o) (receptacleType ?r FridgeType) (atLocation ?a ?l)
   (receptacleAtLocation ?r ?l) (holds ?a ?o))
  :effect (and (isCool ?o) (not (isHot ?o))))
 (:action ToggleObject :parameters (?a - agent ?l - location ?o - object ?r - receptacle)
  :precondition (and (toggleable ?o) (atLocation ?a ?l) (receptacleAtLocation ?r ?l) (inReceptacle ?o ?r))
  :effect (and (when (isOn ?o) (not (isOn ?o))) (when (not (isOn ?o)) (isOn ?o)) (isToggled ?o)))
 (:action SliceObject :parameters (?a - agent ?l - location ?co - object ?ko - object)
  :precondition (and (sliceable ?co) (or (objectType ?ko KnifeType) (objectType ?ko ButterKnifeType))
   (atLocation ?a ?l) (objectAtLocation ?co ?l) (holds ?a ?ko))
  :effect (isSliced ?co)))
`

function goalPddl(goal: AlfworldGoal): string {
  if (goal.kind === 'look_at_obj_in_light') {
    return `(and (exists (?ot - object ?r - receptacle ?a - agent ?l - location) (and (objectType ?ot ${goal.toggle}Type) (toggleable ?ot) (isToggled ?ot) (receptacleAtLocation ?r ?l) (atLocation ?a ?l) (inReceptacle ?ot ?r))) (exists (?o - object ?a - agent) (and (objectType ?o ${goal.object}Type) (holds ?a ?o))))`
  }
  const o = `${goal.object}Type`
  const r = `${goal.receptacle}Type`
  if (goal.kind === 'pick_two_obj_and_place') {
    return `(and (exists (?r - receptacle) (exists (?o1 - object) (and (objectType ?o1 ${o}) (receptacleType ?r ${r}) (inReceptacle ?o1 ?r) (exists (?o2 - object) (and (not (= ?o1 ?o2)) (objectType ?o2 ${o}) (receptacleType ?r ${r}) (inReceptacle ?o2 ?r)))))))`
  }
  const extra: Record<string, string> = {
    pick_and_place_simple: '',
    pick_clean_then_place_in_recep: '(cleanable ?o) (isClean ?o) ',
    pick_heat_then_place_in_recep: '(heatable ?o) (isHot ?o) ',
    pick_cool_then_place_in_recep: '(coolable ?o) (isCool ?o) '
  }
  return `(and (exists (?r - receptacle) (exists (?o - object) (and ${extra[goal.kind] ?? ''}(objectType ?o ${o}) (receptacleType ?r ${r}) (inReceptacle ?o ?r)))))`
}

function problemPddl(world: World): string {
  const lines: string[] = [
    '(define (problem generated)',
    '(:domain alfred)',
    '(:objects',
    'agent1 - agent'
  ]
  const otypes = new Set(world.objects.map((o) => o.type))
  const rtypes = new Set(world.receptacles.map((r) => r.type))
  for (const pair of world.canContain) {
    const [r, o] = pair.split('/')
    if (r) rtypes.add(r)
    if (o) otypes.add(o)
  }
  for (const t of ['SinkBasin', 'Microwave', 'Fridge']) rtypes.add(t)
  for (const t of ['Knife', 'ButterKnife']) otypes.add(t)
  if ('toggle' in world.goal) otypes.add(world.goal.toggle)
  otypes.add(world.goal.object)
  if ('receptacle' in world.goal) rtypes.add(world.goal.receptacle)
  for (const t of [...otypes].sort()) lines.push(`${t}Type - otype`)
  for (const t of [...rtypes].sort()) lines.push(`${t}Type - rtype`)
  for (const o of world.objects) lines.push(`${o.id} - object`)
  for (const r of world.receptacles) lines.push(`${r.id} - receptacle`)
  for (const l of world.locations) lines.push(`${l} - location`)
  lines.push(')', '(:init')
  const loc = (i: number): string => world.locations[i] ?? ''
  lines.push(`(atLocation agent1 ${loc(world.agentLocation)})`)
  for (const r of world.receptacles) {
    lines.push(
      `(receptacleType ${r.id} ${r.type}Type)`,
      `(receptacleAtLocation ${r.id} ${loc(r.loc)})`
    )
    if (r.openable) lines.push(`(openable ${r.id})`)
    if (r.opened) lines.push(`(opened ${r.id})`)
  }
  const flags = [
    ['pickupable', 'pickupable'],
    ['heatable', 'heatable'],
    ['coolable', 'coolable'],
    ['cleanable', 'cleanable'],
    ['toggleable', 'toggleable'],
    ['sliceable', 'sliceable'],
    ['receptacleObject', 'isReceptacleObject'],
    ['isOn', 'isOn'],
    ['isToggled', 'isToggled'],
    ['isHot', 'isHot'],
    ['isCool', 'isCool'],
    ['isClean', 'isClean'],
    ['isSliced', 'isSliced']
  ] as const
  for (const o of world.objects) {
    lines.push(`(objectType ${o.id} ${o.type}Type)`)
    for (const [key, pred] of flags) if (o[key]) lines.push(`(${pred} ${o.id})`)
    for (const r of o.inReceptacles)
      lines.push(`(inReceptacle ${o.id} ${world.receptacles[r]?.id ?? ''})`)
    for (const l of o.locations) lines.push(`(objectAtLocation ${o.id} ${loc(l)})`)
    for (const inner of o.contents)
      lines.push(`(inReceptacleObject ${world.objects[inner]?.id ?? ''} ${o.id})`)
  }
  for (const pair of world.canContain) {
    const [r, o] = pair.split('/')
    lines.push(`(canContain ${r}Type ${o}Type)`)
  }
  lines.push(')', `(:goal ${goalPddl(world.goal)})`, ')')
  return lines.join('\n')
}

const esc = (s: string): string => JSON.stringify(s).slice(1, -1)

function grammarText(world: World, g: AlfworldGrammar): string {
  const rule = (name: string, rhs: string): string => `"${name}": [{"rhs": "${esc(rhs)}"}]`
  const rules = [
    rule('intro', `${g.banner}\n\n#look.feedback#\n\n#task#`),
    rule('task', `Your task is to: ${world.task}`),
    rule(
      'GotoLocation.feedback',
      g.feedback.arrive.replace('loc {loc}', '{lend.name}') + '#examineReceptacle.feedback#'
    ),
    rule('OpenObject.feedback', g.feedback.open + '#examineReceptacle.feedback#'),
    rule('CloseObject.feedback', g.feedback.close),
    rule('PickupObject.feedback', g.feedback.take),
    rule('PutObject.feedback', g.feedback.put),
    rule('cleanObject.feedback', g.feedback.clean),
    rule('heatObject.feedback', g.feedback.heat),
    rule('coolObject.feedback', g.feedback.cool),
    rule('sliceObject.feedback', g.feedback.slice)
  ]
  const actions: [string, string][] = [
    ['GotoLocation', 'go to [{r.name | receptacleatlocation(r:receptacle, lend:location)}]'],
    ['OpenObject', g.templates.open],
    ['CloseObject', g.templates.close],
    ['PickupObject', g.templates.take],
    ['PutObject', g.templates.put],
    ['inventory', 'inventory'],
    ['examineReceptacle', 'examine {r}'],
    ['examineObject', g.templates.examine],
    ['ToggleObject', g.templates.use],
    ['HeatObject', g.templates.heat],
    ['CleanObject', g.templates.clean],
    ['CoolObject', g.templates.cool],
    ['SliceObject', g.templates.slice],
    ['look', 'look']
  ]
  const actionText = actions
    .map(
      ([name, tpl]) =>
        `action ${name} {\n    template :: "${tpl}";\n    feedback :: "#${name}.feedback#";\n}`
    )
    .join('\n\n')
  const help =
    g.help === null
      ? ''
      : `\n\naction help {\n    template :: "help";\n    feedback :: "${g.help}";\n}`
  return `grammar :: """\n    {\n        ${rules.join(',\n        ')}\n    }\n""";\n\n${actionText}${help}\n`
}

/** The world as a game.tw-pddl document (JSON-serialisable). */
export function worldToGameFile(world: World, grammar: AlfworldGrammar): GameFileJson {
  return {
    pddl_domain: DOMAIN,
    grammar: grammarText(world, grammar),
    pddl_problem: problemPddl(world),
    solvable: true
  }
}
