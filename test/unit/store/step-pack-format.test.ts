import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { openDatabase, StoreWriter } from '../../../core/store'
import { roundProb } from '../../../core/store/step-extras'
import { packSteps, serializeSteps, unpackSteps } from '../../../core/store/step-pack'
import { packView } from '../../../core/store/view-pack'
import { runExperiment } from '../../../core/train/run'
import { createStoreSink } from '../../../core/train/store-sink'
import { sampleRows, webshopView } from '../../helpers/step-pack-rows'

// sampleRows() packed by the writer of codecs 1–4 (the commit before format 2), per env.
const FORMAT_1_PACKS: [string, number, string][] = [
  [
    'other',
    1,
    'pVTtbpswFH2Vq6tK2SQPGdqkKZr6o+u++xEt/bMBmhxwEhTHRtg0/VAeaU+xF5vAhiRtN1WdkAy+HM695/pcoogS7J2wdAFGwZizMp33IBq/HyXQG7EZBx9eXSnDBJRcV8LoEPr0dQe54DcGjrvtCf3gB8Pzs6uzLnTG4IsSv39xOK80h4+C3fEM3vGSLfMURoJJw0sYKUNgzA1cTmG/+3YvoN5gsMX+6fOP8+H4a78Lnfauc8nhlF/DN1XJJ4k3dAeBN/BroXuHfW/Q7yHBKMZU5Okimrge6KYHSYykfSMbjduRCZ36wXApjNiNzvO75VAv+kmMCZLHYCSUUCIrIdpbs+B9jItcZjGGMa74RM9V0fAWbMaboOv9JhmbCK5jDKMYdwtvILbi5nGT3W3bGmNMSIy51KasUpMr2SSacQNLDqnrYuG6WCijCTCZQVHmKQehVrwEM2cSBtSjFDIlBCttgYbfmIbs84Y8dGfwn/yOZdevLvh3tzqA9WpL0TnVBV7gU/eldWnH23rUBZ7j0JbogT87D1xUyxhDn2wZIYzuY2Q6t8e2UWNPIDfCGucFqmzW+hgaBqsuxjXZTdjKfJDwOXIfZngke52sMSGRT/C7qoCVZX7NgRnIuF6A78GlBDPnbkvgVlWgOQcGBZcQeHasZ6qmtJgmo1BqYatlC26hMC3VssPUM1uD7JjW1xvqHTwxo0xMV6oUmaNNWTc/LdUayT0WGEbU84P9Pql7ODgktZcpdZGAHh0lBBmG0T7Bt7qa/MyU5MeYENQYWsA6IVFA8EKZeS5nMGdFwaX+t8Rax1TcAluxW6w1+MS3Kvytv06ztEU29djFlUSJv81CE4J57UGcYuivk+QP'
  ],
  [
    'sokoban',
    2,
    'pVjbbtswDP0VQiiQDfAM2W3S1Bj60HWXbr0ES1+2xBgUh4kNK5JhyUkvyCftK/ZjgyXZSXoZiu7FsGj6kIc8Eg2bA6hzwpIctIQhsjJJOzAafhzE0BmwOUIAb66lZhxKVBXXKoIufdu6XOKNhuN2eUI/BWH/4vz6vDWdM/gq+Z/fCBeVQvjM2R1O4QOWbJElMOBMaCxhILUHQ9RwNYP99t29kPq93hb6l7OfF/3ht25rOu0sM4Fwikv4LivxJPAG7iD0e0FNdO+w6/e6Hdu3hGdJPpq4GihTg9hU3z4RhuO2ZUJnQdhfcM13rWl2t+irvBvbZj9yJptT79nur3CiUmmlVLA5GqOr/SYYm3BUtTDGZDdx42IzNreb6G7Z5DgmsTcmmVC6rBKdSWECzVHDAiFxVSxcFQuplQdMTKEoswSByxWWoFMmoEd9SmEqOWelTVDjjTZgZxvwyPXgP/Edyq5enfF5tToHq9UGolWqM7xCp+5Nq9IWt9GoM7xEoQ3QA322Gris6kMg8LaEEI3ux4SpzLZtw8Z2INPcCucVrGzUug0GwbIbk7W3G7Ch+SDgS+g+jPCI9rodzT9kBawssyUC0zBFlUPgw5UAnaJbenArK1CIwKBAAaFvt/Vc1pDWx57HUuY2W5ajdYVZKRetj/lNLGVO2lPyHfUPntijjM9WsuRTB5uwdv80UGvi3ZOCRCPqB+F+16tr2Dv0ai1T6iwhPTqKPcJIVP8FeK+qya+pFHhMYo8oElmHtZ2Ql1KnmZhDyooChfo3xZrHjN8CW7Fb973lZs72xDeXJkmTj724lOrBsYVCY49ktQbJjETBOo7/Ag=='
  ],
  [
    'alfworld',
    3,
    'pVvrbpswFH6VI6sSm8SQoYWmaOqPrrt0TbJo6a+laHKI06A4AWHTdq14pD3FXmzyBQNZOnXdHxSfHD6fy2eMc05Uf4VzRtK1TPaUkjJdOTCbvp8k4EyI+ufMq6tcEAYl5RUTPIYQv7YqY3ov4NQOz/AHPxiMhldDKxoS+JyzXz8pjCpO4SMjD3QB72hJNlkKE0bkqoNJLlyYUgFflnBo7z0IsBdFHfRPF99Gg+llaEXnzq1c3+f0Fr6qZo49wC3cUeBFvnT04Dj0otBpDmRZup7NTQy4ikGiwqa/2Sofu5I5XvrBYMME60tX2cNmwNdh0hyed5RRW2h+km13dM5XuU5bQW50ik3s28kkFbhpm+sZrlS0xepjO7sZNjZq/mVbLsoqtYy+oQIkBU0UCxPFIhdcv5EWZZZSYLl8hokV2UKEPYxhkTNGSm2goPdCgV204LHJwX/iG5Q+X43wabYaBc3VBsIy1QhewFNzp2apxW04agTPYWgDtMNPy4FxtTElREuEePZ4jeTTXUW69UZnIBNME+cFXulZZRoUgvbuGtVuf8LGzZ0Jn+Pu7gx/uF0n+xsVFpSvOz/C6mH3SCUrqUGvO0jr7NmllKrZF4yOXLNSqe0JeYO9o3/bEQxUjdxHVKB4hj0/OAxdGcPo2JVcxthIAnxykriIoFjWi97yav59kW/pKUpcxFGsFWpdJx7r1m9YkaKgW/53F6UfS9nfdkd+IOmDrb91X7PVpTFS2aMvxiS5L3ZQcOKiTHIQLVHs10nyGw=='
  ],
  [
    'webshop',
    4,
    'rV3dToMwFH6Vk954gwSYsJ8YbzT+brqoN2qIqVsRsrISYFs2s0fyKXwxcyhFxjazvxuSNienPc3X05Z+H0j53wHlR5em1ei0n9tFVZvCreA/3ww6o4TBFacz1odzFtMw6EGXU8xt0BWoJGUpPHhQK+lNDN1xSt6vb147jae7v49HXRyNg0yaOoZHMRqudFyS4VhIqkWKVN3WHXsPYYRnWo2Qp3yx1g9mYSMZ2BWhQWEsLzB2WJPLWoNt+f2q9byo+igxUV1IMd+GDHr5KEb5KEYiTdYsiM5Wp9w9/R+S4K6QmlfsgNOC74woLfwqjKoD5wYILUjfi/hckaTXMmZVNJUUvENUK/4A4TjLPDoVZqXBTcJd4oRWw567Shn5IkZA4zgYM6Ap9FkyAFOHhyGkPsuLWrblShgDChEbgqXLaf0p0KW0yVrkQshcmtIBk6bgxSIsbHDOopFSHhvasaGfrJijlHsTEfN+7rZHi/mjXM2J9kUi0nozdNOq2RqOoVPXEMuGkddYRrPpaoSSFl6Fnyajj3fcVJ8RVyMJaUmDuSTc3YvUx82kT6OIDZP/Q8Q4PD4FOqFTgjEU0qbyC8zsoTqZ9Uc+8i7h6aHkxXA1EiAGiUda5tx1fwE='
  ]
]

// sampleRows() packed by the writer of format 2 (codecs 5–8, and 12 against a base of the first
// two rows), the commit before format 3, per env.
const FORMAT_2_PACKS: [string, number, string][] = [
  [
    'other',
    5,
    'fVLbattAEP2VYQi4ha1YKZHjiJKHNL3nYuq8tJIoa2lsCa13Ve3KTmL8Sf2K/ljRxYpDShGM2DNnz8yc2TDkDEcXIinAapiRqJJsBOHs/TSG0VQsCVx4daetkFCRqaU1Afj89UC5oXsL58Pxgn9wvcn11d3VAF0J+KLln98E17Uh+CjFI6XwjiqxyhOYSqEsVTDVlsGMLNwu4Hi4e+RxZzw+UP/0+cf1ZPbVH6DL0TpXBJe0hm+6Vv8UfpI78Zyx2wx6dOo7Y3+EDMMIE5knRTjvPTCtB3GEbJ9R7YyHyJwvXG+yklY+R7P8cTUxhR9HGCN7SUbGGWeqlnL/awNGNeecbyMscpVGGES4obnJdNmql2JJLdhv4KmkmEsybSrqJHiby5WxVZ3YXKs2uSQLK4Kkt6bsrSm1NQyESqGs8oRA6g1VYDOhYMwdziHVUoqqq2fp3r6s1LR2U68iDFx20N8z2g5jFroMv+saRFXlawJhISVTgOvArQKbUX9k8KBrMEQgoCQFntNtaKmbzXSctq7UuujaEgV1VFhUejVwGvsbUud4873hzklv96HRQi42upJpL5uIwbW91A7ZFksMQu643rHPmic5PmWNQ5z3iMfPzmKGAoPwmOFbU89/plrROcYMDQYdYRez0GN4o22WqyVkoixJmf+P2MyxkA8gNuIBmxlc5nZTuAcPqA1b/IVB6HPOmef3oe+JM/dQpoHzZmW4wMDdxfFf'
  ],
  [
    'sokoban',
    6,
    'fVjtbpswFH2VK6tSNokhQwtN0dQfXffZJI2W/tlSNDlwExCOzWyTNK3ySHuKvdgEpoSo1f5Y8rmX4/vlg6ARoMEVSwowEmbIVJINYD77OI1hMGUrBA/e3EnDOCjUFTc6goC+7Vwm+GDgstte0U+ePxyP7kYdNGLwTfK/fxDGlUb4zNkjpvABFVvnCUw5EwYVTKVxYIYGbpdw2j174lM3DHvsX77+HA9nN0EHXQ82uUC4xg18l5V4lfhAd+a7oVcnenIeuGEwsH1LeJ4U80VbA93UIG6qby2iybGPLOjS84drbvgxmuWP66Eugtg2+4UzOajeUffvK0op7c/AFhc6k3agSrbCBmw7cDiSLTjqxnRvKWhjy4U2qkpMLkVjXKGBNULSlqZsS1NKox1gIoVS5QkCl1tUYDImIKQupZBKzpmy5xl8MC9PqkObVPWEek4vviO3Z5X9IStgSuUbBGYgRV2A58KtAJNhu3VgJyvQiMCgRAG+azu0knVnrI+9WlIWNixWoHWFpZLrzqf54ydlQbqBf0fds1cuG+PLrVQ8bWkT1lXtmWpPnCdSkmhOXc8/DZx6JMNzp64QpS3i04uL2CGMRPUH3XtdLX6lUuAliR2iSWQd9lbsJtJkuVhBxsoShf5/inUeS74DtmW79tXZykdfvJvlifwm0TyglDp+0C5tTLUI9GhqOK9bRpYk8vZx/A8='
  ],
  [
    'alfworld',
    7,
    'lVvvatswEH+VQxS8gWfObu2mZvRD1/1tkoWln5aaoThKbaLEniW3XUseaU+xFxsnqY6zhcG+CHT6+aT7JyTd2dRXeBc8X5Gxp4I3eeHBbPp2koE34ebPmRfXleYSGqFaqVUKMb7sIGPxoOG8617guzAajIbXw4405PCpkr9+Chi1SsB7yR/FAt6Ihq/LHCaSU9TBpNI+TIWGz0s47r49ijBIkh73Dx+/jgbTq7gjXXp3FN+X4g6+mGKOA4x37E6iIAlJ0KPTOEhi7/lCVuar2dzpQBkdZEZtdmRjZOxT5rgMo8FaarlPLcrH9UCt4uz58vwHmO0SzXvedtMiIvZ97l7MVVFZ49X81hraWWA3JTmEMkM3lgU6J1S6afPOTW+FBvIrp5raqaautLLHzLopcwGyoo1JF3wDCQaIsKik5I2dT4sH/fdMtLRxu3b5rW59e7DDOeeFUKvee5rt9k/HlBSL9go9LObAhmOgLsQdhtRPoF16/xUGJ/8X3I7VlvlPrGbpDIMwOo59csnk1CcNITpKhGdnmc84S+np/7Vq598W1Uacs8xniqUWsLUpv7Gt4oWC17XYqH+LSHIsqVTpnv9gJEOXSumfmEzzxL6zdBYjoh/FrnFroj2ux4bIJZmMLVkabrPsNw=='
  ],
  [
    'webshop',
    8,
    'rVzNToNAEH6VyV68IFmo0JYYLxp/W9uoF22JWdtFSJcu8tOmbfpIPoUvZoalFGo1MXrZhOHLLDsDM5Pd+VD0v3+kH50bZqvbeeiUog6Dayk+3jl0s4TDhWBLPoZTHrMwGEFfMIxt0JfIJOUp9DxoVPgmVLftivbLq6du6/5m+/Oos4NZkFNTZ3Ans+lexRUajolNtdgi1bR02/oDMcIzzFYoUlGX+sEybCUTa4doUILVAcbXnDzMKKX0V4yDWqockqFSQfN7u9kRg2jIYVSYJipME8k0+SbL2d9nudpM9QiyjRZV2Ibk9igzYHEczDiwFMY8mYChQ28Kqc+LSy3PngnnwCDiUzB15aFXiZ5RmHxeIaX6LFI24QoKXizDEoPmR9CGREq1Q6of7SmBmPDmMhbjQu2IlVbbqFoTbUUi4gyobpgNS8NX0m5qaCFKC4lJ221XI4w4eKp5nGQvz1gfnRBXIwlxFGCteqduZepjXeCzKOLT5Ocl4jo8sQA2ZwuCayhZKtW9qHxYkTfiDCxKqWZaxVA8E1aCFTUoDtBlxCOOsXbdTw=='
  ]
]
const FORMAT_2_BASE = {
  codec: 8,
  body: Buffer.from(
    'rZzfTsIwFMZf5aQ33tSlG24MYrzR+BcCUW9UFlPhTBY6uqwbJhgeiafwxUzXMTaEC6OXO/tympxu52vS/mrwv3/Ejy5tx+/3HntVqMfhVoqvNUI/VwhXgi9xAueY8jgaw1Bw3dtgKDVJihkMQmjVeBNmeV4t+/XNc99/uNteHnVxtIgKNHUB9zKf701cw3AcfahWH5Fqu5bn/gGMCG3Hj0UmmtFptIx9NXN3QINKbDYwfnryKGeMsV8RBw2rHJGRScGKd7vuqJtojDAuS5OUpUlkpg64nHfY5RojNTvItlvUZRvI7UnmwNM0WiDwDCaoZmBbMJhDNsXykRbuqRCBQ4JzcCwzQ+9Sz4zRFOMKKc1vkfEZGimEqYwrjS6/Fm0gUkaPmXWyZwnERfghUzEp0455VbVNqhWhnyQh3Rdm2U7LpfqT9NpUV4ixMuKwTieghJOu3tU8Vfnbq14fnZGAEkW6RrAKgm8=',
    'base64'
  )
}
const FORMAT_2_PRIMED = {
  codec: 12,
  body: Buffer.from(
    'G81uo9ltNLvRK7uBlyr65ZdkgJrhGYkFBal5xfi9CPJHWk6lQmJ5YqUSyA/wTWHIQ79golqpUMkq2tTAwEDHyBRKQN0E6nghGQMSzgRFmVKakpUhsBQAAA==',
    'base64'
  )
}

describe('step pack formats', () => {
  it('packs of codecs 1–4 read back byte for byte', () => {
    for (const [, codec, body] of FORMAT_1_PACKS)
      expect(unpackSteps(codec, Buffer.from(body, 'base64'))).toEqual(sampleRows())
  })

  it('packs of format 2 (codecs 5–8, 12 with a base) read back byte for byte', () => {
    for (const [, codec, body] of FORMAT_2_PACKS)
      expect(unpackSteps(codec, Buffer.from(body, 'base64'))).toEqual(sampleRows())
    expect(unpackSteps(FORMAT_2_BASE.codec, FORMAT_2_BASE.body)).toEqual(sampleRows().slice(0, 2))
    expect(unpackSteps(FORMAT_2_PRIMED.codec, FORMAT_2_PRIMED.body, FORMAT_2_BASE)).toEqual(
      sampleRows()
    )
  })

  it('the writer packs with format 3 (codecs 13–16); rows round-trip byte for byte', () => {
    const codecs = ['other', 'sokoban', 'alfworld', 'webshop'].map((env) => {
      const pack = packSteps(env, sampleRows())
      expect(unpackSteps(pack.codec, pack.body)).toEqual(sampleRows())
      return pack.codec
    })
    expect(codecs).toEqual([13, 14, 15, 16])
  })

  it('codecs 17–20: a pack primed with a base episode reads back only with that base', () => {
    const rows = sampleRows()
    const base = packSteps('webshop', rows.slice(0, 2))
    expect(base.based).toBe(false)
    const alone = packSteps('webshop', rows)
    const primed = packSteps('webshop', rows, 9, base)
    expect(primed).toMatchObject({ codec: 20, based: true })
    expect(primed.body.length).toBeLessThan(alone.body.length)
    expect(unpackSteps(primed.codec, primed.body, base)).toEqual(rows)
    // The base's text may be handed over instead of inflated again.
    expect(unpackSteps(primed.codec, primed.body, { ...base, text: base.text })).toEqual(rows)
    expect(() => unpackSteps(primed.codec, primed.body)).toThrow(/base episode's pack/)
    expect(() => unpackSteps(primed.codec, primed.body, { ...primed, text: undefined })).toThrow(
      /no base of its own/
    )
    expect(() => unpackSteps(21, primed.body, base)).toThrow(/unknown step pack codec 21/)
    expect(() => unpackSteps(0, primed.body, base)).toThrow(/unknown step pack codec 0/)
    // Packed both ways, the smaller kept: never larger than alone, and readable either way.
    for (const env of ['other', 'sokoban', 'alfworld', 'webshop']) {
      const own = packSteps(env, rows)
      const withBase = packSteps(env, rows, 9, packSteps(env, rows.slice(1)))
      expect(withBase.body.length).toBeLessThanOrEqual(own.body.length)
      expect(withBase.codec).toBe(own.codec + (withBase.based ? 4 : 0))
      expect(unpackSteps(withBase.codec, withBase.body, packSteps(env, rows.slice(1)))).toEqual(
        rows
      )
    }
  })

  it('format 2 leaves out the WebShop view fields that repeat the observation', () => {
    const [results] = JSON.parse(serializeSteps(sampleRows(), 2)) as unknown[][]
    const view = results![10] as string
    expect(view.startsWith('\u0000')).toBe(true)
    expect(JSON.parse(view.slice(1))).toMatchObject({
      text: '\u00000',
      results: '\u00000',
      clickables: '\u00000'
    })
    expect(view.length).toBeLessThan(sampleRows()[0]!.view_json!.length / 2)
  })

  it('a view is packed only when deriving its fields gives back exactly its text', () => {
    const row = sampleRows()[0]!
    const admissible = JSON.parse(row.admissible_json) as string[]
    // Another page text: the other derived fields still pack, the text stays as it was.
    const other = webshopView('Instruction: [SEP] something else')
    expect(packView(other, row.observation, admissible)).toMatchObject({
      text: 'Instruction: [SEP] something else',
      results: '\u00000'
    })
    // Same fields, another key order or spacing: not canonical, so stored as it is.
    const spaced = JSON.stringify(JSON.parse(row.view_json!), null, 1)
    expect(packView(spaced, row.observation, admissible)).toBeNull()
    // A view that holds the mark itself, or is not a WebShop view.
    expect(packView(webshopView('x', { note: '\u0000' }), row.observation, admissible)).toBeNull()
    expect(packView('{"kind":"alfworld"}', row.observation, admissible)).toBeNull()
    expect(packView('{"kind":"webshop",', row.observation, admissible)).toBeNull()
    for (const view_json of [
      other,
      spaced,
      webshopView('x', { note: '\u0000' }),
      '{"kind":"webshop",'
    ]) {
      const rows = [{ ...row, view_json }]
      const pack = packSteps('webshop', rows)
      expect(unpackSteps(pack.codec, pack.body)).toEqual(rows)
    }
  })

  it('probabilities: units of 1e-4 when written now, older 4-digit values kept as stored', () => {
    expect([0.1234567, 0.6666666, 0.000012345678, 0.20986436].map(roundProb)).toEqual([
      0.1235, 0.6667, 0, 0.2099
    ])
    const ps = [0.1, 0.2, 0.30004, 0.39996]
    const sum = ps.map(roundProb).reduce((a, b) => a + b, 0)
    expect(Math.abs(sum - 1)).toBeLessThanOrEqual(ps.length * 5e-5)
    const tuples = JSON.parse(serializeSteps(sampleRows(), 2)) as unknown[][]
    // 0.00001235 is no multiple of 1e-4: that step keeps decimals.
    expect(tuples[1]![11]).toMatchObject({ p: [0.1235, 0.6667, 0.00001235, 0.2099] })
    expect(tuples[2]![11]).toMatchObject({ q: [5000, 2500, 2500] })
  })

  it('real WebShop and ALFWorld episodes round-trip; most WebShop views are packed', async () => {
    for (const env of ['webshop', 'alfworld'] as const) {
      const config = experimentConfigSchema.parse({ env, algo: 'searcher', evalEpisodes: 12 })
      const db = openDatabase(':memory:')
      const writer = new StoreWriter(db)
      const runId = writer.createRun(writer.createExperiment('x', null, config), config)
      await runExperiment(config, createStoreSink(writer, runId))
      const packs = db.prepare('SELECT codec, body FROM step_packs').all() as {
        codec: number
        body: Buffer
      }[]
      expect(packs).toHaveLength(12)
      let views = 0
      let packed = 0
      for (const p of packs) {
        const rows = unpackSteps(p.codec, p.body)
        expect(p.codec).toBe(env === 'webshop' ? 16 : 15)
        expect(unpackSteps(p.codec, packSteps(env, structuredClone(rows)).body)).toEqual(rows)
        for (const t of JSON.parse(serializeSteps(rows, 3)) as unknown[][]) {
          views++
          if (typeof t[10] === 'string' && t[10].startsWith('\u0000')) packed++
        }
      }
      if (env === 'webshop') expect(packed / views).toBeGreaterThan(0.9)
      else expect(packed).toBe(0)
      db.close()
    }
  })
})
