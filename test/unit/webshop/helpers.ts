// Shared fixtures for the WebShop tests.

import type { Goal, Product } from '../../../core/envs/webshop/types'

export function product(over: Partial<Product> = {}): Product {
  return {
    asin: 'B000000001',
    name: 'Blue Cotton Shirt',
    Title: 'Blue Cotton Shirt',
    Description: 'A soft shirt for summer days.',
    BulletPoints: ['Machine wash', 'Regular fit'],
    category: 'fashion',
    query: "men's shirts",
    product_category: 'Clothing › Men › Shirts',
    pricing: [20],
    Price: '$20.0',
    options: { color: ['blue', 'natural blonde'], size: ['large', 'x-large'] },
    Attributes: ['machine wash', 'cotton'],
    MainImage: '',
    Rating: 'N.A.',
    instruction_text: null,
    instruction_attributes: null,
    human: null,
    ...over,
    ...(over.name !== undefined && over.Title === undefined ? { Title: over.name } : {})
  }
}

export function goal(over: Partial<Goal> = {}): Goal {
  return {
    asin: 'B000000001',
    category: 'fashion',
    query: "men's shirts",
    name: 'Blue Cotton Shirt',
    product_category: 'Clothing › Men › Shirts',
    instruction_text: 'i need a cotton shirt',
    attributes: ['cotton'],
    price_upper: 30,
    goal_options: { color: 'blue', size: 'large' },
    weight: 1,
    ...over
  }
}
