import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isQuotaArea } from './areas.ts'
import { drawAreaOf, effectiveQuotas, REMAINDER_AREA, validateQuotas } from './quotas.ts'

describe('validateQuotas', () => {
  it('accepts a valid mix of province and regency quotas, including zero-quota areas', () => {
    const input = { national: 100, areas: [{ areaCode: '13', quota: 40 }, { areaCode: '13.06', quota: 0 }, { areaCode: '32.73', quota: 60 }] }
    expect(validateQuotas(input, isQuotaArea)).toEqual([])
  })

  it('refuses explicit quotas that add up to more than the national quota, and says the sum', () => {
    const problems = validateQuotas({ national: 10, areas: [{ areaCode: '13', quota: 6 }, { areaCode: '13.06', quota: 5 }] }, isQuotaArea)
    expect(problems.map((p) => p.code)).toEqual(['sum_exceeds_national'])
    expect(problems[0]!.en).toContain('11')
    expect(problems[0]!.id).toContain('10')
  })

  it('accepts explicit quotas that add up to exactly the national quota', () => {
    expect(validateQuotas({ national: 11, areas: [{ areaCode: '13', quota: 6 }, { areaCode: '13.06', quota: 5 }] }, isQuotaArea)).toEqual([])
  })

  it('refuses unknown area codes, the remainder code and malformed codes', () => {
    const problems = validateQuotas(
      { national: 10, areas: [{ areaCode: '99', quota: 1 }, { areaCode: '00', quota: 1 }, { areaCode: '13.99', quota: 1 }, { areaCode: '1306', quota: 1 }] },
      isQuotaArea,
    )
    expect(problems.map((p) => [p.code, p.area])).toEqual([
      ['unknown_area', '99'],
      ['unknown_area', '00'],
      ['unknown_area', '13.99'],
      ['unknown_area', '1306'],
    ])
  })

  it('refuses a duplicated area and non-whole or negative numbers', () => {
    const problems = validateQuotas(
      { national: 2.5, areas: [{ areaCode: '13', quota: 1 }, { areaCode: '13', quota: 1 }, { areaCode: '32', quota: -1 }, { areaCode: '33', quota: 0.5 }] },
      isQuotaArea,
    )
    expect(problems.map((p) => [p.code, p.area])).toEqual([
      ['not_whole_number', undefined],
      ['duplicate_area', '13'],
      ['not_whole_number', '32'],
      ['not_whole_number', '33'],
    ])
  })
})

describe('effectiveQuotas', () => {
  it('gives the remainder area what the national quota leaves over', () => {
    const q = effectiveQuotas({ national: 100, areas: [{ areaCode: '13', quota: 30 }, { areaCode: '13.06', quota: 0 }] })
    expect([...q]).toEqual([['13', 30], ['13.06', 0], [REMAINDER_AREA, 70]])
  })

  it('gives a zero remainder when the explicit quotas use the whole national quota, and never a negative one', () => {
    expect(effectiveQuotas({ national: 30, areas: [{ areaCode: '13', quota: 30 }] }).get(REMAINDER_AREA)).toBe(0)
    expect(effectiveQuotas({ national: 10, areas: [{ areaCode: '13', quota: 30 }] }).get(REMAINDER_AREA)).toBe(0)
  })

  it('with no explicit areas puts the whole national quota in the remainder', () => {
    expect([...effectiveQuotas({ national: 1_000_000, areas: [] })]).toEqual([[REMAINDER_AREA, 1_000_000]])
  })

  it('for any valid input, the effective quotas add up to the national quota', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { maxLength: 20 }), fc.nat(5000), (quotas, extra) => {
        const areas = quotas.map((quota, i) => ({ areaCode: String(11 + i), quota }))
        const national = quotas.reduce((a, b) => a + b, 0) + extra
        const q = effectiveQuotas({ national, areas })
        expect([...q.values()].reduce((a, b) => a + b, 0)).toBe(national)
        expect(q.get(REMAINDER_AREA)).toBe(extra)
      }),
    )
  })
})

describe('drawAreaOf', () => {
  const explicit = new Set(['13', '13.06', '32.73'])
  it('uses the regency when it has its own quota, even inside a province with a quota', () => {
    expect(drawAreaOf('13', '13.06', explicit)).toBe('13.06')
  })
  it('uses the province for its other regencies', () => {
    expect(drawAreaOf('13', '13.01', explicit)).toBe('13')
  })
  it('uses a regency quota even when its province has none', () => {
    expect(drawAreaOf('32', '32.73', explicit)).toBe('32.73')
  })
  it('falls back to the remainder area', () => {
    expect(drawAreaOf('32', '32.01', explicit)).toBe(REMAINDER_AREA)
    expect(drawAreaOf('13', '13.01', new Set())).toBe(REMAINDER_AREA)
  })
})
