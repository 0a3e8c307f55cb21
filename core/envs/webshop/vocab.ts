// Vocabulary of the synthetic catalog: product types with their search query, breadcrumb,
// attributes, customisation options and price band, modelled on the WebShop scrape.

export type ProductTypeSpec = {
  category: 'beauty' | 'garden' | 'grocery' | 'electronics' | 'fashion'
  query: string
  path: string[]
  noun: string
  plural: string
  brands: string[]
  descriptors: string[]
  attributes: string[]
  options: Record<string, string[]>
  price: [number, number]
  uses: string[]
}

const COLORS = [
  'black',
  'white',
  'navy blue',
  'light grey',
  'dark grey',
  'red',
  'pink',
  'beige',
  'khaki',
  'olive green',
  'burgundy',
  'royal blue',
  'ivory',
  'charcoal',
  'lavender',
  'mint green',
  'coral',
  'deep atlantic',
  'sky blue',
  'mustard yellow',
  'teal',
  'brown',
  'purple',
  'multicolor'
]
const APPAREL_SIZES = ['x-small', 'small', 'medium', 'large', 'x-large', 'xx-large', '3x-large']
const SHOE_SIZES = ['6', '6.5', '7', '7.5', '8', '8.5', '9', '9.5', '10', '10.5', '11', '12']
const PACKS = ['pack of 1', 'pack of 2', 'pack of 3', 'pack of 4', 'pack of 6', 'pack of 12']

export const PRODUCT_TYPES: ProductTypeSpec[] = [
  {
    category: 'fashion',
    query: "men's dress shirts",
    path: ['Clothing, Shoes & Jewelry', 'Men', 'Clothing', 'Shirts', 'Dress Shirts'],
    noun: "men's dress shirt",
    plural: "men's dress shirts",
    brands: ['Van Heusen', 'Calvin Klein', 'Amazon Essentials', 'Izod', 'Kenneth Cole'],
    descriptors: ['Regular Fit', 'Slim Fit', 'Wrinkle Free', 'Stretch'],
    attributes: [
      'machine wash',
      'cotton spandex',
      'classic fit',
      'long sleeve',
      'button closure',
      'short sleeve',
      'easy care',
      'regular fit'
    ],
    options: {
      color: COLORS,
      size: ['small', 'medium', 'large', 'x-large', 'large tall', 'xx-large']
    },
    price: [18, 65],
    uses: ['the office', 'weddings', 'business meetings']
  },
  {
    category: 'fashion',
    query: "women's running shoes",
    path: ['Clothing, Shoes & Jewelry', 'Women', 'Shoes', 'Athletic', 'Running'],
    noun: "women's running shoe",
    plural: "women's running shoes",
    brands: ['ASICS', 'Brooks', 'New Balance', 'Skechers', 'Saucony'],
    descriptors: ['Lightweight', 'Breathable', 'Cushioned'],
    attributes: [
      'non slip',
      'rubber sole',
      'memory foam',
      'lace up',
      'arch support',
      'mesh upper',
      'lightweight'
    ],
    options: { color: COLORS, size: SHOE_SIZES },
    price: [35, 140],
    uses: ['jogging', 'the gym', 'daily walks']
  },
  {
    category: 'fashion',
    query: "women's yoga leggings",
    path: ['Clothing, Shoes & Jewelry', 'Women', 'Clothing', 'Active', 'Leggings'],
    noun: 'yoga legging',
    plural: 'yoga leggings',
    brands: ['CRZ YOGA', 'Colorfulkoala', 'BALEAF', 'IUGA'],
    descriptors: ['High Waisted', 'Tummy Control', 'Buttery Soft'],
    attributes: [
      'high waist',
      'tummy control',
      'butt lifting',
      'moisture wicking',
      'four way stretch',
      'machine wash',
      'pocket'
    ],
    options: { color: COLORS, size: APPAREL_SIZES },
    price: [15, 48],
    uses: ['yoga', 'workouts', 'lounging']
  },
  {
    category: 'fashion',
    query: 'hoodies for men',
    path: ['Clothing, Shoes & Jewelry', 'Men', 'Clothing', 'Fashion Hoodies & Sweatshirts'],
    noun: 'pullover hoodie',
    plural: 'pullover hoodies',
    brands: ['Hanes', 'Champion', 'Gildan', 'Russell Athletic'],
    descriptors: ['Fleece', 'Heavyweight', 'Midweight'],
    attributes: [
      'fleece lined',
      'drawstring closure',
      'kangaroo pocket',
      'machine wash',
      'relaxed fit',
      'long sleeve'
    ],
    options: { color: COLORS, size: APPAREL_SIZES },
    price: [16, 55],
    uses: ['cold mornings', 'the weekend', 'training']
  },
  {
    category: 'fashion',
    query: 'sterling silver necklace',
    path: ['Clothing, Shoes & Jewelry', 'Women', 'Jewelry', 'Necklaces', 'Pendants'],
    noun: 'pendant necklace',
    plural: 'pendant necklaces',
    brands: ['PAVOI', 'Amazon Collection', 'Miabella', 'Jewelili'],
    descriptors: ['Dainty', 'Minimalist', 'Layered'],
    attributes: [
      'sterling silver',
      'hypoallergenic',
      'gift box',
      'adjustable chain',
      'nickel free',
      'gold plated'
    ],
    options: {
      style: ['heart', 'star', 'moon', 'cross', 'infinity', 'initial'],
      size: ['16 inch', '18 inch', '20 inch']
    },
    price: [12, 90],
    uses: ['anniversaries', 'birthdays', 'everyday wear']
  },
  {
    category: 'beauty',
    query: 'hair growth serum',
    path: ['Beauty & Personal Care', 'Hair Care', 'Hair Loss Products', 'Serums'],
    noun: 'hair growth serum',
    plural: 'hair growth serums',
    brands: ['Botanic Hearth', "Pura D'or", 'Mielle', 'Kiierr'],
    descriptors: ['Biotin', 'Rosemary', 'Caffeine'],
    attributes: [
      'natural ingredients',
      'hair loss',
      'paraben free',
      'sulfate free',
      'cruelty free',
      'easy use',
      'hair growth'
    ],
    options: {
      size: ['1 fl oz', '2 fl oz', '4 fl oz', '8 fl oz'],
      'item package quantity': ['1', '2', '3']
    },
    price: [9, 45],
    uses: ['thinning hair', 'daily scalp care', 'split ends']
  },
  {
    category: 'beauty',
    query: 'long lasting lipstick',
    path: ['Beauty & Personal Care', 'Makeup', 'Lips', 'Lipstick'],
    noun: 'matte lipstick',
    plural: 'matte lipsticks',
    brands: ['Maybelline', "L'Oreal Paris", 'Revlon', 'NYX', 'e.l.f.'],
    descriptors: ['Liquid', 'Velvet', 'Creamy'],
    attributes: [
      'long lasting',
      'cruelty free',
      'highly pigmented',
      'waterproof',
      'vegan',
      'transfer proof'
    ],
    options: {
      color: ['red', 'coral', 'burgundy', 'pink', 'nude', 'plum', 'mauve', 'wine', 'rose', 'brown']
    },
    price: [5, 28],
    uses: ['parties', 'everyday makeup', 'date nights']
  },
  {
    category: 'beauty',
    query: 'face moisturizer for dry skin',
    path: ['Beauty & Personal Care', 'Skin Care', 'Face', 'Creams & Moisturizers'],
    noun: 'face moisturizer',
    plural: 'face moisturizers',
    brands: ['CeraVe', 'Neutrogena', 'Olay', 'La Roche-Posay', 'Cetaphil'],
    descriptors: ['Hydrating', 'Oil Free', 'Fragrance Free'],
    attributes: [
      'dry skin',
      'sensitive skin',
      'hyaluronic acid',
      'fragrance free',
      'non comedogenic',
      'oil free',
      'paraben free'
    ],
    options: {
      size: ['1.7 ounce', '2.5 ounce', '3 ounce', '16 ounce'],
      'item package quantity': ['1', '2']
    },
    price: [8, 60],
    uses: ['night routines', 'sensitive faces', 'winter dryness']
  },
  {
    category: 'beauty',
    query: 'electric toothbrush',
    path: [
      'Beauty & Personal Care',
      'Oral Care',
      'Toothbrushes & Accessories',
      'Electric Toothbrushes'
    ],
    noun: 'electric toothbrush',
    plural: 'electric toothbrushes',
    brands: ['Oral-B', 'Philips Sonicare', 'Fairywill', 'Aquasonic'],
    descriptors: ['Sonic', 'Rechargeable', 'Smart'],
    attributes: [
      'rechargeable battery',
      'travel case',
      'long lasting',
      'easy use',
      'sensitive teeth',
      'teeth whitening'
    ],
    options: {
      color: ['black', 'white', 'pink', 'sky blue', 'teal'],
      style: ['1 handle', '2 handles', 'with 8 heads']
    },
    price: [20, 120],
    uses: ['sensitive gums', 'travel', 'whiter teeth']
  },
  {
    category: 'grocery',
    query: 'gluten free snacks',
    path: ['Grocery & Gourmet Food', 'Snacks & Sweets', 'Chips & Crisps'],
    noun: 'gluten free cracker',
    plural: 'gluten free crackers',
    brands: ['Simple Mills', "Mary's Gone Crackers", 'Crunchmaster', 'Blue Diamond'],
    descriptors: ['Almond Flour', 'Seed', 'Whole Grain'],
    attributes: [
      'gluten free',
      'non gmo',
      'low sugar',
      'plant based',
      'grain free',
      'keto friendly',
      'high protein'
    ],
    options: {
      'flavor name': ['sea salt', 'rosemary', 'cheddar', 'original', 'black pepper', 'garlic herb'],
      size: ['4.25 ounce', '6.5 ounce', 'pack of 3', 'pack of 6']
    },
    price: [4, 30],
    uses: ['lunch boxes', 'parties', 'afternoon snacking']
  },
  {
    category: 'grocery',
    query: 'organic green tea',
    path: ['Grocery & Gourmet Food', 'Beverages', 'Tea', 'Green'],
    noun: 'green tea bag',
    plural: 'green tea bags',
    brands: ['Bigelow', 'Twinings', 'Yogi', 'Harney & Sons', 'Tazo'],
    descriptors: ['Organic', 'Decaf', 'Premium'],
    attributes: [
      'usda organic',
      'caffeine free',
      'individually wrapped',
      'non gmo',
      'sugar free',
      'gluten free'
    ],
    options: {
      'flavor name': ['jasmine', 'peppermint', 'lemon ginger', 'honey', 'matcha', 'pomegranate'],
      size: PACKS
    },
    price: [4, 35],
    uses: ['mornings', 'relaxing evenings', 'digestion']
  },
  {
    category: 'grocery',
    query: 'whole bean coffee',
    path: ['Grocery & Gourmet Food', 'Beverages', 'Coffee', 'Whole Coffee Beans'],
    noun: 'whole bean coffee',
    plural: 'whole bean coffees',
    brands: ['Lavazza', "Peet's Coffee", 'Kicking Horse', 'Death Wish Coffee', 'Starbucks'],
    descriptors: ['Medium Roast', 'Dark Roast', 'Light Roast'],
    attributes: [
      'fair trade',
      'usda organic',
      'kosher certified',
      'single origin',
      'low acid',
      'non gmo'
    ],
    options: {
      size: ['12 ounce', '2 pound', '32 ounce', 'pack of 2'],
      'flavor name': ['hazelnut', 'vanilla', 'mocha', 'original', 'caramel']
    },
    price: [9, 48],
    uses: ['espresso', 'french press', 'drip machines']
  },
  {
    category: 'grocery',
    query: 'protein bars',
    path: ['Grocery & Gourmet Food', 'Snacks & Sweets', 'Snack Bars', 'Protein Bars'],
    noun: 'protein bar',
    plural: 'protein bars',
    brands: ['Quest Nutrition', 'RXBAR', 'ONE', 'Pure Protein', 'Kind'],
    descriptors: ['Low Carb', 'Whey', 'Chewy'],
    attributes: [
      'high protein',
      'low carb',
      'gluten free',
      'low sugar',
      'keto friendly',
      'individually wrapped'
    ],
    options: {
      'flavor name': [
        'chocolate chip',
        'peanut butter',
        'cookie dough',
        'birthday cake',
        'blueberry'
      ],
      size: ['pack of 4', 'pack of 12', 'pack of 24']
    },
    price: [8, 50],
    uses: ['post workout', 'hiking', 'busy days']
  },
  {
    category: 'electronics',
    query: 'wireless earbuds',
    path: [
      'Electronics',
      'Headphones, Earbuds & Accessories',
      'Headphones & Earbuds',
      'Earbud Headphones'
    ],
    noun: 'wireless earbud',
    plural: 'wireless earbuds',
    brands: ['Soundcore', 'JLab', 'Skullcandy', 'TOZO', 'Sony'],
    descriptors: ['True Wireless', 'Bluetooth 5.3', 'Noise Cancelling'],
    attributes: [
      'noise cancelling',
      'charging case',
      'water resistant',
      'long battery life',
      'hands free',
      'stereo sound',
      'touch control'
    ],
    options: { color: ['black', 'white', 'navy blue', 'rose', 'light grey'] },
    price: [19, 180],
    uses: ['commuting', 'running', 'phone calls']
  },
  {
    category: 'electronics',
    query: 'usb c charger',
    path: ['Electronics', 'Computers & Accessories', 'Laptop Accessories', 'Chargers & Adapters'],
    noun: 'usb c charger',
    plural: 'usb c chargers',
    brands: ['Anker', 'UGREEN', 'Belkin', 'Spigen'],
    descriptors: ['Fast', 'Compact', 'GaN'],
    attributes: [
      'fast charging',
      'foldable plug',
      'high power',
      'compact size',
      'overheat protection',
      'dual port'
    ],
    options: { style: ['20w', '30w', '45w', '65w', '100w'], color: ['black', 'white'] },
    price: [11, 70],
    uses: ['laptops', 'phones', 'tablets']
  },
  {
    category: 'electronics',
    query: 'hdmi cable',
    path: ['Electronics', 'Television & Video', 'Accessories', 'Cables', 'HDMI Cables'],
    noun: 'hdmi cable',
    plural: 'hdmi cables',
    brands: ['Amazon Basics', 'Cable Matters', 'Highwings', 'Monoprice'],
    descriptors: ['High Speed', '8K', 'Braided'],
    attributes: ['high speed', 'gold plated', 'braided cord', 'ultra hd', 'plug play', 'ethernet'],
    options: {
      size: ['3 feet', '6 feet', '10 feet', '15 feet', '25 feet'],
      'item package quantity': ['1', '2', '3']
    },
    price: [6, 35],
    uses: ['gaming consoles', 'home theaters', 'monitors']
  },
  {
    category: 'electronics',
    query: 'wireless mouse',
    path: ['Electronics', 'Computers & Accessories', 'Computer Accessories & Peripherals', 'Mice'],
    noun: 'wireless mouse',
    plural: 'wireless mice',
    brands: ['Logitech', 'Microsoft', 'Razer', 'TECKNET'],
    descriptors: ['Ergonomic', 'Silent', 'Portable'],
    attributes: [
      'usb receiver',
      'long battery life',
      'silent click',
      'ergonomic design',
      'plug play',
      'adjustable dpi'
    ],
    options: { color: ['black', 'white', 'sky blue', 'pink', 'dark grey'] },
    price: [9, 90],
    uses: ['laptops', 'office work', 'gaming']
  },
  {
    category: 'garden',
    query: 'solar garden lights',
    path: ['Patio, Lawn & Garden', 'Outdoor Decor', 'Outdoor Lighting', 'Pathway Lights'],
    noun: 'solar pathway light',
    plural: 'solar pathway lights',
    brands: ['Brightown', 'GIGALUMI', 'Aootek', 'Beau Jardin'],
    descriptors: ['Waterproof', 'Auto On Off', 'Decorative'],
    attributes: [
      'solar powered',
      'waterproof',
      'easy install',
      'auto on off',
      'warm white',
      'stainless steel'
    ],
    options: {
      color: ['black', 'white', 'bronze', 'silver'],
      size: ['pack of 4', 'pack of 6', 'pack of 8', 'pack of 12']
    },
    price: [15, 60],
    uses: ['lawns', 'driveways', 'patios']
  },
  {
    category: 'garden',
    query: 'garden hose',
    path: ['Patio, Lawn & Garden', 'Gardening & Lawn Care', 'Watering Equipment', 'Garden Hoses'],
    noun: 'expandable garden hose',
    plural: 'expandable garden hoses',
    brands: ['Flexzilla', 'Gardena', 'Melnor', 'Zero-G'],
    descriptors: ['Expandable', 'Heavy Duty', 'Kink Free'],
    attributes: [
      'heavy duty',
      'leak proof',
      'lightweight',
      'kink free',
      'brass fittings',
      'easy storage'
    ],
    options: {
      size: ['25 feet', '50 feet', '75 feet', '100 feet'],
      color: ['green', 'black', 'blue']
    },
    price: [20, 80],
    uses: ['car washing', 'flower beds', 'vegetable gardens']
  },
  {
    category: 'garden',
    query: 'patio furniture cover',
    path: ['Patio, Lawn & Garden', 'Patio Furniture & Accessories', 'Patio Furniture Covers'],
    noun: 'patio table cover',
    plural: 'patio table covers',
    brands: ['Classic Accessories', 'ULTCOVER', 'Duck Covers', 'Porch Shield'],
    descriptors: ['Waterproof', 'Heavy Duty', 'Rectangular'],
    attributes: [
      'water resistant',
      'uv protection',
      'heavy duty',
      'elastic hem',
      'air vents',
      'tear resistant'
    ],
    options: {
      color: ['beige', 'black', 'khaki', 'charcoal'],
      size: ['72 inch', '84 inch', '96 inch', '108 inch']
    },
    price: [18, 75],
    uses: ['rainy seasons', 'winter storage', 'backyards']
  },
  {
    category: 'fashion',
    query: "women's sandals",
    path: ['Clothing, Shoes & Jewelry', 'Women', 'Shoes', 'Sandals', 'Flat Sandals'],
    noun: "women's flat sandal",
    plural: "women's flat sandals",
    brands: ["Dr. Scholl's", 'Teva', 'Clarks', 'CUSHIONAIRE'],
    descriptors: ['Strappy', 'Slide', 'Comfort'],
    attributes: [
      'arch support',
      'open toe',
      'ankle strap',
      'rubber sole',
      'faux leather',
      'cushioned footbed'
    ],
    options: { color: ['black', 'tan', 'white', 'brown', 'rose gold'], size: SHOE_SIZES },
    price: [19, 85],
    uses: ['the beach', 'summer outings', 'vacations']
  },
  {
    category: 'fashion',
    query: 'baseball caps',
    path: ['Clothing, Shoes & Jewelry', 'Men', 'Accessories', 'Hats & Caps', 'Baseball Caps'],
    noun: 'baseball cap',
    plural: 'baseball caps',
    brands: ['Carhartt', 'Richardson', 'Under Armour', 'Columbia'],
    descriptors: ['Adjustable', 'Low Profile', 'Vintage'],
    attributes: [
      'adjustable strap',
      'cotton twill',
      'breathable',
      'one size',
      'curved brim',
      'quick dry'
    ],
    options: { color: COLORS },
    price: [9, 35],
    uses: ['golf', 'fishing', 'sunny days']
  },
  {
    category: 'fashion',
    query: "men's leather wallet",
    path: [
      'Clothing, Shoes & Jewelry',
      'Men',
      'Accessories',
      'Wallets, Card Cases & Money Organizers',
      'Wallets'
    ],
    noun: 'leather wallet',
    plural: 'leather wallets',
    brands: ['Fossil', 'Tommy Hilfiger', 'Buffway', 'Timberland'],
    descriptors: ['Bifold', 'Slim', 'Trifold'],
    attributes: [
      'rfid blocking',
      'genuine leather',
      'gift box',
      'slim design',
      'id window',
      'coin pocket'
    ],
    options: {
      color: ['black', 'brown', 'cognac', 'navy blue'],
      style: ['bifold', 'trifold', 'card holder']
    },
    price: [12, 70],
    uses: ['travel', 'everyday carry', 'gifts']
  },
  {
    category: 'beauty',
    query: 'sulfate free shampoo',
    path: ['Beauty & Personal Care', 'Hair Care', 'Shampoo & Conditioner', 'Shampoos'],
    noun: 'sulfate free shampoo',
    plural: 'sulfate free shampoos',
    brands: ['OGX', 'Pureology', 'Briogeo', 'SheaMoisture'],
    descriptors: ['Moisturizing', 'Volumizing', 'Clarifying'],
    attributes: [
      'sulfate free',
      'color safe',
      'paraben free',
      'dry hair',
      'natural ingredients',
      'curly hair'
    ],
    options: {
      scent: ['coconut', 'argan oil', 'tea tree', 'lavender', 'unscented'],
      size: ['8.5 fl oz', '13 fl oz', '33.8 fl oz']
    },
    price: [6, 40],
    uses: ['frizzy hair', 'daily washing', 'color treated hair']
  },
  {
    category: 'beauty',
    query: 'mineral sunscreen',
    path: ['Beauty & Personal Care', 'Skin Care', 'Sunscreens & Tanning Products', 'Sunscreens'],
    noun: 'mineral sunscreen',
    plural: 'mineral sunscreens',
    brands: ['Blue Lizard', 'Neutrogena', 'EltaMD', 'Thinksport'],
    descriptors: ['SPF 30', 'SPF 50', 'Tinted'],
    attributes: [
      'water resistant',
      'reef safe',
      'zinc oxide',
      'sensitive skin',
      'fragrance free',
      'broad spectrum'
    ],
    options: { size: ['3 fl oz', '5 fl oz', '6 fl oz'], 'item package quantity': ['1', '2'] },
    price: [8, 38],
    uses: ['the beach', 'outdoor sports', 'kids']
  },
  {
    category: 'beauty',
    query: 'nail polish set',
    path: ['Beauty & Personal Care', 'Foot, Hand & Nail Care', 'Nail Art & Polish', 'Nail Polish'],
    noun: 'gel nail polish',
    plural: 'gel nail polishes',
    brands: ['Essie', 'OPI', 'Beetles', 'Sally Hansen'],
    descriptors: ['Quick Dry', 'Glossy', 'Chip Resistant'],
    attributes: [
      'long lasting',
      'quick dry',
      'non toxic',
      'high shine',
      'easy apply',
      'cruelty free'
    ],
    options: { color: ['red', 'coral', 'nude', 'plum', 'lilac', 'teal', 'black', 'white'] },
    price: [5, 30],
    uses: ['manicures', 'parties', 'weddings']
  },
  {
    category: 'grocery',
    query: 'extra virgin olive oil',
    path: ['Grocery & Gourmet Food', 'Pantry Staples', 'Cooking Oils', 'Olive Oils'],
    noun: 'extra virgin olive oil',
    plural: 'extra virgin olive oils',
    brands: ['California Olive Ranch', 'Colavita', 'Partanna', 'Kirkland'],
    descriptors: ['Cold Pressed', 'Imported', 'First Harvest'],
    attributes: [
      'cold pressed',
      'non gmo',
      'kosher certified',
      'glass bottle',
      'single origin',
      'usda organic'
    ],
    options: { size: ['16.9 fl oz', '25.3 fl oz', '33.8 fl oz', '2 liter'] },
    price: [8, 45],
    uses: ['salads', 'cooking', 'dipping bread']
  },
  {
    category: 'grocery',
    query: 'dark chocolate bar',
    path: ['Grocery & Gourmet Food', 'Snacks & Sweets', 'Chocolate', 'Chocolate Bars'],
    noun: 'dark chocolate bar',
    plural: 'dark chocolate bars',
    brands: ['Lindt', 'Ghirardelli', 'Alter Eco', 'Endangered Species'],
    descriptors: ['70% Cacao', 'Sea Salt', 'Single Origin'],
    attributes: [
      'fair trade',
      'gluten free',
      'vegan',
      'low sugar',
      'individually wrapped',
      'non gmo'
    ],
    options: {
      'flavor name': ['sea salt', 'almond', 'orange', 'mint', 'raspberry', 'espresso'],
      size: ['pack of 4', 'pack of 12']
    },
    price: [5, 40],
    uses: ['dessert', 'gifts', 'baking']
  },
  {
    category: 'grocery',
    query: 'dog treats',
    path: ['Pet Supplies', 'Dogs', 'Treats', 'Chew Treats'],
    noun: 'dog chew treat',
    plural: 'dog chew treats',
    brands: ['Milk-Bone', 'Blue Buffalo', 'Greenies', "Zuke's"],
    descriptors: ['Natural', 'Grain Free', 'Dental'],
    attributes: [
      'grain free',
      'made usa',
      'natural ingredients',
      'high protein',
      'resealable bag',
      'small breeds'
    ],
    options: {
      'flavor name': ['chicken', 'beef', 'peanut butter', 'salmon', 'bacon'],
      size: ['6 ounce', '12 ounce', '24 ounce']
    },
    price: [5, 35],
    uses: ['training', 'rewards', 'dental health']
  },
  {
    category: 'electronics',
    query: 'portable bluetooth speaker',
    path: [
      'Electronics',
      'Portable Audio & Video',
      'Portable Speakers & Docks',
      'Portable Bluetooth Speakers'
    ],
    noun: 'bluetooth speaker',
    plural: 'bluetooth speakers',
    brands: ['JBL', 'Anker', 'Bose', 'Tribit', 'Ultimate Ears'],
    descriptors: ['Portable', 'Waterproof', 'Rugged'],
    attributes: [
      'waterproof',
      'long battery life',
      'stereo sound',
      'built in microphone',
      'deep bass',
      'wireless'
    ],
    options: { color: ['black', 'sky blue', 'red', 'teal', 'light grey'] },
    price: [25, 160],
    uses: ['pool parties', 'camping', 'the shower']
  },
  {
    category: 'electronics',
    query: 'power bank',
    path: [
      'Electronics',
      'Cell Phones & Accessories',
      'Accessories',
      'Chargers & Power Adapters',
      'Portable Power Banks'
    ],
    noun: 'portable power bank',
    plural: 'portable power banks',
    brands: ['Anker', 'INIU', 'Baseus', 'Mophie'],
    descriptors: ['Slim', 'High Capacity', 'Magnetic'],
    attributes: [
      'fast charging',
      'led display',
      'usb c',
      'compact size',
      'high capacity',
      'dual port'
    ],
    options: { style: ['10000mah', '20000mah', '26800mah'], color: ['black', 'white', 'sky blue'] },
    price: [15, 80],
    uses: ['travel', 'camping', 'long flights']
  },
  {
    category: 'electronics',
    query: 'iphone case',
    path: ['Electronics', 'Cell Phones & Accessories', 'Cases, Holsters & Sleeves', 'Basic Cases'],
    noun: 'phone case',
    plural: 'phone cases',
    brands: ['OtterBox', 'Spigen', 'ESR', 'Casetify'],
    descriptors: ['Shockproof', 'Clear', 'Slim'],
    attributes: [
      'shockproof',
      'wireless charging compatible',
      'raised edges',
      'anti scratch',
      'slim fit',
      'drop protection'
    ],
    options: {
      color: ['black', 'navy blue', 'pink', 'olive green', 'lavender'],
      size: ['iphone 13', 'iphone 14', 'iphone 14 pro', 'iphone 15']
    },
    price: [8, 55],
    uses: ['daily protection', 'outdoor work', 'gifts']
  },
  {
    category: 'garden',
    query: 'bird feeder',
    path: ['Patio, Lawn & Garden', 'Birding & Wildlife', 'Bird Feeders'],
    noun: 'hanging bird feeder',
    plural: 'hanging bird feeders',
    brands: ['Droll Yankees', 'Perky-Pet', 'More Birds', 'Kingsyard'],
    descriptors: ['Squirrel Proof', 'Metal', 'Window'],
    attributes: [
      'squirrel proof',
      'easy clean',
      'weather resistant',
      'large capacity',
      'easy install',
      'metal roof'
    ],
    options: { size: ['2 pound', '4 pound', '6 pound'] },
    price: [14, 70],
    uses: ['backyards', 'bird watching', 'gardens']
  },
  {
    category: 'garden',
    query: 'ceramic planter pots',
    path: [
      'Patio, Lawn & Garden',
      'Gardening & Lawn Care',
      'Pots, Planters & Container Accessories',
      'Planters'
    ],
    noun: 'ceramic planter pot',
    plural: 'ceramic planter pots',
    brands: ['La Jolíe Muse', 'Mkono', 'Greenaholics', "D'vine Dev"],
    descriptors: ['Modern', 'Glazed', 'Round'],
    attributes: [
      'drainage hole',
      'indoor outdoor',
      'saucer included',
      'frost resistant',
      'hand painted',
      'set of 3'
    ],
    options: {
      color: ['white', 'black', 'charcoal', 'beige', 'teal'],
      size: ['4 inch', '6 inch', '8 inch', '10 inch']
    },
    price: [12, 60],
    uses: ['succulents', 'herbs', 'house plants']
  }
]

export const INSTRUCTION_OPENERS = [
  'find me',
  'i am looking for',
  'i need',
  "i'm looking for",
  'i want',
  'get me',
  'i would like'
]

export const FEATURE_TEMPLATES = [
  '{A}: designed for {use}, this {noun} delivers dependable everyday performance',
  '{A} and {B} make it a smart choice for {use}',
  'Built to last: {a} construction that keeps its shape wash after wash',
  'Satisfaction guarantee: contact us any time and we will make it right',
  'Thoughtful details: {a}, {b} and a finish you will notice',
  'Perfect gift for family and friends who love {use}'
]

export const DESCRIPTION_TEMPLATES = [
  'The {brand} {noun} combines {a} with {b} for {use}.',
  'Every {noun} is checked by hand before it leaves our warehouse.',
  'Whether you shop for {use} or simply want an upgrade, this {noun} is a reliable pick.',
  'Customers love the {a} design and the value it brings.',
  'Package includes the {noun} and a quick start card.'
]
