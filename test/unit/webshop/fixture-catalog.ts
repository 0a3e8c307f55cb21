// A small hand-made catalog in the original file format, for exact page-text tests.

import type { RawCatalog, RawProduct } from '../../../core/envs/webshop/types'

const filler = (i: number): RawProduct => ({
  asin: `B0FILL${String(i).padStart(4, '0')}`,
  name: `Plain Linen Shirt Model ${i}`,
  full_description: `Linen shirt number ${i}.`,
  small_description: [`linen shirt ${i}`],
  category: 'fashion',
  query: "men's shirts",
  product_category: 'Clothing › Men › Shirts',
  pricing: `$${10 + i}.50`,
  customization_options: null,
  images: ['']
})

export const FIXTURE: RawCatalog = {
  products: [
    {
      asin: 'B0TARGET01',
      name: 'Blue Cotton Shirt',
      full_description: 'A soft cotton shirt.',
      small_description: ['Machine wash', 'Regular fit'],
      category: 'fashion',
      query: "men's shirts",
      product_category: 'Clothing › Men › Shirts',
      pricing: '$20.00$30.00',
      customization_options: {
        Color: [{ value: 'Blue' }, { value: 'Natural Blonde' }],
        Size: [{ value: 'Large' }, { value: 'X-Large' }]
      },
      images: ['']
    },
    ...Array.from({ length: 12 }, (_, i) => filler(i + 1))
  ],
  attributes: {
    B0TARGET01: {
      attributes: ['machine wash', 'cotton'],
      instruction: 'i need a cotton shirt',
      instruction_attributes: ['cotton']
    }
  }
}
