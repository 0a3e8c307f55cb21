// WebShop's colour normalisation (web_agent_site/engine/normalize.py): the first COLOR_SET entry
// that is a substring wins, so "natural blonde" -> "natural" and "washed" -> "ash".

export const COLOR_SET = [
  'alabaster', 'apricot', 'aqua', 'ash', 'asphalt', 'azure',
  'banana', 'beige', 'black', 'blue', 'blush', 'bordeaux', 'bronze',
  'brown', 'burgundy', 'camel', 'camo', 'caramel', 'champagne',
  'charcoal', 'cheetah', 'chestnut', 'chocolate', 'christmas', 'coffee',
  'cognac', 'copper', 'coral', 'cranberry', 'cream', 'crystal', 'dark',
  'denim', 'eggplant', 'elephant', 'espresso', 'fuchsia', 'gold', 'granite',
  'grape', 'graphite', 'grass', 'gray', 'green', 'grey', 'heather', 'indigo',
  'ivory', 'ivy', 'khaki', 'lavender', 'lemon', 'leopard', 'light', 'lilac',
  'lime', 'magenta', 'maroon', 'mauve', 'merlot', 'midnight', 'mint', 'mocha',
  'multicolor', 'mushroom', 'mustard', 'natural', 'navy', 'nude', 'olive',
  'orange', 'peach', 'pewter', 'pink', 'plum', 'purple', 'rainbow', 'red',
  'rose', 'royal', 'rust', 'sand', 'sapphire', 'seashell', 'silver', 'skull',
  'slate', 'steel', 'stone', 'stonewash', 'sunflower', 'tan', 'taupe', 'teal',
  'tiger', 'turquoise', 'violet', 'walnut', 'wheat', 'white', 'wine', 'yellow'
]

export function normalizeColor(value: string): string {
  for (const color of COLOR_SET) if (value.includes(color)) return color
  return value
}

/**
 * normalize_color applied to a synthetic goal's (name, value) tuple: `in` is then a membership
 * test, and a tuple that holds no exact colour word stays a tuple, which thefuzz stringifies;
 * after its processing that is the token bag "name value".
 */
export function normalizeGoalOptionTuple(name: string, value: string): string {
  for (const color of COLOR_SET) if (color === name || color === value) return color
  return `${name} ${value}`
}
