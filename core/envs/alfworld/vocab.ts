// ALFRED vocabularies for the world generator (alfworld/gen/constants.py): room kinds, their
// receptacles, the objects found there, where each object may go (canContain) and the
// per-class affordance priors. Pure data.

export type RoomKind = 'kitchen' | 'livingroom' | 'bedroom' | 'bathroom'

/** [class, min count, max count, probability an instance is openable]. */
export type ReceptacleSpec = readonly [string, number, number, number]

export const ROOM_RECEPTACLES: Record<RoomKind, readonly ReceptacleSpec[]> = {
  kitchen: [
    ['Cabinet', 4, 16, 0.85],
    ['CoffeeMachine', 1, 1, 0],
    ['CounterTop', 1, 3, 0],
    ['DiningTable', 0, 2, 0],
    ['Drawer', 1, 6, 0.9],
    ['Fridge', 1, 1, 1],
    ['GarbageCan', 1, 1, 0],
    ['Microwave', 1, 1, 1],
    ['Safe', 0, 1, 1],
    ['Shelf', 0, 3, 0],
    ['SideTable', 0, 1, 0],
    ['SinkBasin', 1, 1, 0],
    ['StoveBurner', 2, 4, 0],
    ['Toaster', 1, 1, 0]
  ],
  livingroom: [
    ['ArmChair', 0, 2, 0],
    ['Cabinet', 0, 4, 0.8],
    ['CoffeeTable', 1, 2, 0],
    ['DiningTable', 0, 1, 0],
    ['Drawer', 0, 6, 0.9],
    ['Dresser', 0, 1, 0],
    ['GarbageCan', 1, 1, 0],
    ['Ottoman', 0, 1, 0],
    ['Safe', 0, 1, 1],
    ['Shelf', 0, 6, 0],
    ['SideTable', 1, 3, 0],
    ['Sofa', 1, 1, 0],
    ['TVStand', 0, 1, 0]
  ],
  bedroom: [
    ['ArmChair', 0, 1, 0],
    ['Bed', 1, 1, 0],
    ['Cabinet', 0, 2, 0.8],
    ['Desk', 0, 1, 0],
    ['Drawer', 2, 10, 0.9],
    ['Dresser', 0, 1, 0],
    ['GarbageCan', 1, 1, 0],
    ['LaundryHamper', 0, 1, 0],
    ['Safe', 0, 1, 1],
    ['Shelf', 0, 9, 0],
    ['SideTable', 1, 2, 0]
  ],
  bathroom: [
    ['BathtubBasin', 0, 1, 0],
    ['Cabinet', 0, 4, 0.9],
    ['Cart', 0, 1, 0],
    ['CounterTop', 1, 1, 0],
    ['Drawer', 0, 4, 0.9],
    ['Dresser', 0, 1, 0],
    ['GarbageCan', 1, 1, 0],
    ['HandTowelHolder', 0, 2, 0],
    ['Shelf', 0, 4, 0],
    ['SinkBasin', 1, 2, 0],
    ['Toilet', 1, 1, 0],
    ['ToiletPaperHanger', 1, 1, 0],
    ['TowelHolder', 1, 2, 0]
  ]
}

const SURFACES_KITCHEN = ['CounterTop', 'DiningTable', 'SideTable']
const UTENSIL = [...SURFACES_KITCHEN, 'Drawer', 'SinkBasin']
const PRODUCE = [...SURFACES_KITCHEN, 'Fridge', 'SinkBasin', 'GarbageCan', 'Microwave']
const DISH = [...SURFACES_KITCHEN, 'Cabinet', 'Shelf', 'Fridge', 'Microwave', 'SinkBasin']
const SMALL = [
  'Desk',
  'Dresser',
  'Drawer',
  'SideTable',
  'Shelf',
  'CoffeeTable',
  'DiningTable',
  'TVStand',
  'Safe',
  'Cabinet'
]
const SEAT = ['Bed', 'Sofa', 'ArmChair', 'Ottoman']
const BATH = ['CounterTop', 'Cabinet', 'Drawer', 'Shelf', 'Toilet', 'Cart', 'Dresser', 'GarbageCan']

/** Object class → receptacle classes that can contain it (the generator's canContain facts). */
export const OBJECT_RECEPTACLES: Record<string, readonly string[]> = {
  Apple: PRODUCE,
  Bread: [...SURFACES_KITCHEN, 'Fridge', 'Microwave', 'GarbageCan', 'Cabinet'],
  Egg: PRODUCE,
  Lettuce: PRODUCE,
  Potato: PRODUCE,
  Tomato: PRODUCE,
  ButterKnife: UTENSIL,
  Fork: UTENSIL,
  Knife: UTENSIL,
  Ladle: UTENSIL,
  Spatula: UTENSIL,
  Spoon: UTENSIL,
  Cup: [...DISH, 'CoffeeMachine'],
  Mug: [...DISH, 'CoffeeMachine', 'Desk'],
  Bowl: [...DISH, 'Desk', 'Dresser', 'CoffeeTable'],
  Plate: [...DISH, 'CoffeeTable'],
  Pan: [...SURFACES_KITCHEN, 'StoveBurner', 'Cabinet', 'Fridge', 'SinkBasin'],
  Pot: [...SURFACES_KITCHEN, 'StoveBurner', 'Cabinet', 'Fridge', 'SinkBasin', 'Shelf'],
  Kettle: [...SURFACES_KITCHEN, 'StoveBurner', 'Cabinet', 'Shelf', 'SinkBasin'],
  PepperShaker: [...SURFACES_KITCHEN, 'Cabinet', 'Drawer', 'Shelf'],
  SaltShaker: [...SURFACES_KITCHEN, 'Cabinet', 'Drawer', 'Shelf'],
  WineBottle: [...SURFACES_KITCHEN, 'Fridge', 'Cabinet', 'Shelf', 'GarbageCan'],
  PaperTowelRoll: [...SURFACES_KITCHEN, 'Cabinet', 'Drawer', 'Shelf', 'GarbageCan'],
  DishSponge: [
    ...SURFACES_KITCHEN,
    'SinkBasin',
    'Cabinet',
    'Drawer',
    'Shelf',
    'BathtubBasin',
    'Toilet',
    'Cart',
    'GarbageCan'
  ],
  SoapBottle: [...SURFACES_KITCHEN, ...BATH],
  Vase: [...SMALL, 'CounterTop'],
  Statue: [...SMALL, 'CounterTop'],
  AlarmClock: ['Desk', 'Dresser', 'SideTable', 'Shelf'],
  CellPhone: [...SMALL, ...SEAT],
  CreditCard: [...SMALL, ...SEAT, 'CounterTop'],
  KeyChain: [...SMALL, ...SEAT],
  Watch: [...SMALL, ...SEAT],
  RemoteControl: [...SMALL, ...SEAT],
  Pen: [...SMALL, 'GarbageCan'],
  Pencil: [...SMALL, 'GarbageCan'],
  CD: [...SMALL, 'GarbageCan'],
  Book: [...SMALL, ...SEAT],
  Laptop: ['Desk', 'Dresser', 'SideTable', 'CoffeeTable', 'DiningTable', 'TVStand', ...SEAT],
  Newspaper: ['SideTable', 'CoffeeTable', 'DiningTable', 'TVStand', 'Dresser', 'Shelf', ...SEAT],
  Pillow: SEAT,
  TeddyBear: ['Bed', 'Desk', 'Dresser', 'SideTable', 'Shelf', 'ArmChair'],
  BaseballBat: ['Bed', 'Desk'],
  TennisRacket: ['Bed', 'Desk'],
  BasketBall: ['Bed', 'Desk'],
  Box: [
    'Sofa',
    'ArmChair',
    'CoffeeTable',
    'DiningTable',
    'Desk',
    'Dresser',
    'SideTable',
    'Shelf',
    'Cabinet',
    'TVStand',
    'Ottoman'
  ],
  TissueBox: [...SMALL, 'Toilet', 'CounterTop', 'GarbageCan'],
  WateringCan: ['Shelf', 'SideTable', 'CoffeeTable', 'Dresser'],
  DeskLamp: ['Desk', 'Dresser', 'SideTable'],
  Candle: ['CounterTop', 'Cabinet', 'Drawer', 'Shelf', 'Toilet', 'BathtubBasin', 'Cart'],
  Cloth: [...BATH, 'BathtubBasin', 'SinkBasin', 'Desk', 'SideTable'],
  HandTowel: ['HandTowelHolder', 'CounterTop', 'Cabinet', 'Shelf'],
  Towel: ['TowelHolder', 'Cabinet', 'Shelf'],
  Plunger: ['Cabinet', 'Shelf'],
  ScrubBrush: ['Cabinet', 'Shelf', 'Toilet'],
  SoapBar: [...BATH, 'BathtubBasin', 'SinkBasin'],
  SprayBottle: BATH,
  ToiletPaper: ['ToiletPaperHanger', ...BATH]
}

export const ROOM_OBJECTS: Record<RoomKind, readonly string[]> = {
  kitchen: [
    'Apple',
    'Bowl',
    'Bread',
    'ButterKnife',
    'Cup',
    'DishSponge',
    'Egg',
    'Fork',
    'Kettle',
    'Knife',
    'Ladle',
    'Lettuce',
    'Mug',
    'Pan',
    'PaperTowelRoll',
    'PepperShaker',
    'Plate',
    'Pot',
    'Potato',
    'SaltShaker',
    'SoapBottle',
    'Spatula',
    'Spoon',
    'Tomato',
    'Vase',
    'WineBottle',
    'CreditCard',
    'Statue'
  ],
  livingroom: [
    'Book',
    'Bowl',
    'Box',
    'CellPhone',
    'CreditCard',
    'DeskLamp',
    'KeyChain',
    'Laptop',
    'Newspaper',
    'Pillow',
    'Plate',
    'RemoteControl',
    'Statue',
    'TissueBox',
    'Vase',
    'Watch',
    'WateringCan'
  ],
  bedroom: [
    'AlarmClock',
    'BaseballBat',
    'BasketBall',
    'Book',
    'Bowl',
    'Box',
    'CD',
    'CellPhone',
    'Cloth',
    'CreditCard',
    'DeskLamp',
    'KeyChain',
    'Laptop',
    'Mug',
    'Pen',
    'Pencil',
    'Pillow',
    'TeddyBear',
    'TennisRacket',
    'Watch'
  ],
  bathroom: [
    'Candle',
    'Cloth',
    'DishSponge',
    'HandTowel',
    'Plunger',
    'ScrubBrush',
    'SoapBar',
    'SoapBottle',
    'SprayBottle',
    'TissueBox',
    'ToiletPaper',
    'Towel'
  ]
}

export const HEATABLE = new Set([
  'Apple',
  'Bread',
  'Cup',
  'Egg',
  'Mug',
  'Plate',
  'Potato',
  'Tomato'
])
export const COOLABLE = new Set([
  'Apple',
  'Bowl',
  'Bread',
  'Cup',
  'Egg',
  'Lettuce',
  'Mug',
  'Pan',
  'Plate',
  'Pot',
  'Potato',
  'Tomato',
  'WineBottle'
])
export const CLEANABLE = new Set([
  'Apple',
  'Bowl',
  'ButterKnife',
  'Cloth',
  'Cup',
  'DishSponge',
  'Egg',
  'Fork',
  'Kettle',
  'Knife',
  'Ladle',
  'Lettuce',
  'Mug',
  'Pan',
  'Plate',
  'Pot',
  'Potato',
  'SoapBar',
  'Spatula',
  'Spoon',
  'Tomato'
])
export const SLICEABLE = new Set(['Apple', 'Bread', 'Egg', 'Lettuce', 'Potato', 'Tomato'])
export const TOGGLEABLE = new Set(['DeskLamp', 'FloorLamp'])
export const RECEPTACLE_OBJECTS = new Set(['Bowl', 'Box', 'Cup', 'Mug', 'Plate', 'Pan', 'Pot'])
export const NOT_PICKUPABLE = new Set(['DeskLamp', 'FloorLamp'])

/** ALFRED floor plans: kitchens 1–30, living rooms 201–230, bedrooms 301–330, bathrooms 401–430. */
export function roomKindOf(scene: number): RoomKind {
  if (scene >= 401) return 'bathroom'
  if (scene >= 301) return 'bedroom'
  if (scene >= 201) return 'livingroom'
  return 'kitchen'
}

export const ALL_SCENES: readonly number[] = [0, 200, 300, 400].flatMap((base) =>
  Array.from({ length: 30 }, (_, i) => base + i + 1)
)

/**
 * Held-out floor plans of the generated valid_unseen split: one kitchen, living room, bedroom and
 * bathroom, the same plans ALFRED holds out for valid_unseen (10, 219, 308, 424). Their scenes never
 * appear in train or valid_seen.
 */
export const UNSEEN_SCENES: readonly number[] = [10, 219, 308, 424]
export const SEEN_SCENES: readonly number[] = ALL_SCENES.filter((s) => !UNSEEN_SCENES.includes(s))
