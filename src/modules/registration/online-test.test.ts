import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addUsage, MAX_GAP_MS, pickItems, scoreAttempt, type ScoredItem } from './online-test.ts'

const t = (s: number) => new Date(1_700_000_000_000 + s * 1000)

describe('online test rules', () => {
  it('counts time spent, and a long gap (a dropped connection) only up to the cap', () => {
    expect(addUsage(0, t(0), t(30))).toBe(30_000)
    expect(addUsage(10_000, t(0), t(3600))).toBe(10_000 + MAX_GAP_MS)
    expect(addUsage(5, t(10), t(0))).toBe(5)
  })

  it('never counts more than the wall clock, nor less than nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 50 }), (gaps) => {
        let used = 0
        let now = 0
        for (const g of gaps) {
          used = addUsage(used, t(now), t(now + g))
          now += g
        }
        expect(used).toBeGreaterThanOrEqual(0)
        expect(used).toBeLessThanOrEqual(now * 1000)
      }),
    )
  })

  const items: ScoredItem[] = [
    { id: 'n1', kind: 'numeracy', options: [{ id: '1', en: '1' }, { id: '2', en: '2' }], correctOption: 1 },
    { id: 'n2', kind: 'numeracy', options: [{ id: '1', en: '1' }, { id: '2', en: '2' }], correctOption: 0 },
    { id: 'l1', kind: 'literacy', options: [{ id: 'a', en: 'a' }, { id: 'b', en: 'b' }], correctOption: 0 },
    { id: 'm1', kind: 'motivation', options: [{ id: 'x', en: 'x', weight: 0 }, { id: 'y', en: 'y', weight: 3 }], correctOption: null },
  ]

  it('scores ability answers and motivation weights; unanswered is wrong; passes at 60 %', () => {
    expect(scoreAttempt(items, new Map([['n1', 1], ['n2', 0], ['l1', 1], ['m1', 1]]))).toEqual({ abilityCorrect: 2, abilityTotal: 3, motivation: 3, passed: true })
    expect(scoreAttempt(items, new Map([['n1', 1]]))).toEqual({ abilityCorrect: 1, abilityTotal: 3, motivation: 0, passed: false })
  })

  it('picks the same questions for the same seed, mixing the kinds', () => {
    const bank = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, kind: (['numeracy', 'literacy', 'motivation'] as const)[i % 3]! }))
    const a = pickItems(bank, 42, 12)
    expect(pickItems(bank, 42, 12)).toEqual(a)
    expect(a).toHaveLength(12)
    expect(new Set(a.map((x) => x.id)).size).toBe(12)
    for (const k of ['numeracy', 'literacy', 'motivation']) expect(a.filter((x) => x.kind === k)).toHaveLength(4)
  })
})
