// Record shapes. Raw* mirror the original WebShop JSON files (envs.md §2.1); Product and Goal are
// the loaded forms the engine works with.

/** One entry of items_shuffle(_1000).json (only the fields WebShop reads). */
export type RawProduct = {
  asin: string
  name: string
  full_description: string
  small_description: string[] | string
  category: string
  query: string
  product_category: string
  /** e.g. "$12.99" or "$10.71$18.34"; empty or missing means $100.0. */
  pricing?: string | null
  customization_options?: Record<string, { value: string; image?: string | null }[] | null> | null
  images: string[]
  [key: string]: unknown
}

/** items_ins_v2(_1000).json: asin -> attributes and the synthetic instruction. */
export type RawAttributeFile = Record<
  string,
  { attributes?: string[]; instruction?: string | null; instruction_attributes?: string[] | null }
>

/** items_human_ins.json: asin -> crowd-sourced instructions. */
export type RawHumanFile = Record<
  string,
  { instruction: string; instruction_attributes: string[]; instruction_options: string[] }[]
>

export type RawCatalog = {
  products: RawProduct[]
  attributes: RawAttributeFile
  human?: RawHumanFile
}

/** A product after WebShop's load_products. */
export type Product = {
  asin: string
  name: string
  Title: string
  Description: string
  BulletPoints: string[]
  category: string
  query: string
  product_category: string
  /** 1 or 2 floats. */
  pricing: number[]
  Price: string
  /** Lower-cased option name -> lower-cased values ('/' replaced by ' | '). */
  options: Record<string, string[]>
  Attributes: string[]
  MainImage: string
  Rating: string
  instruction_text: string | null
  instruction_attributes: string[] | null
  human: RawHumanFile[string] | null
}

export type Goal = {
  asin: string
  category: string
  query: string
  name: string
  product_category: string
  instruction_text: string
  attributes: string[]
  price_upper: number
  /** Synthetic goals: option name -> value. Human goals: a list of values. */
  goal_options: Record<string, string> | string[]
  weight: number
}

export type GoalSource = 'synthetic' | 'human'
