// A planner's blueprint: the ordered subgoals the executor works through (HiMAC macro action).

export type Blueprint = { subgoals: string[] }

/** Numbered subgoal list; the active one is marked so the executor knows where it is. */
export function formatBlueprint(blueprint: Blueprint, activeIndex?: number): string {
  return blueprint.subgoals
    .map(
      (s, i) =>
        `${i === activeIndex ? '-> ' : '   '}${i + 1}. ${s}${i === activeIndex ? '  [active]' : ''}`
    )
    .join('\n')
}

/** The token the executor emits to finish the active subgoal. */
export const SUB_DONE = '<sub_done>'
