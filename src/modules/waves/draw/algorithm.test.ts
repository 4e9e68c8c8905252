import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  compareDrawOrder,
  DrawOrderError,
  kkPseudonym,
  kkPseudonymPads,
  rank,
  seedCommitment,
  selectWinners,
  Selector,
  type DrawCandidate,
} from './algorithm.ts'
import { REMAINDER_AREA } from './quotas.ts'

const SEED = 'a'.repeat(64)

interface Raw {
  pseudonym: string
  area: string
  priority: boolean
  kk: string
  kkPrior: number
}

function sorted(seed: string, raws: readonly Raw[]): DrawCandidate[] {
  return raws.map((r) => ({ ...r, rank: rank(seed, r.pseudonym) })).sort(compareDrawOrder)
}

function draw(seed: string, raws: readonly Raw[], quotas: Map<string, number>, maxPerKk: number) {
  return [...selectWinners(sorted(seed, raws), quotas, maxPerKk)]
}

const AREAS = ['11', '13.06', '32', REMAINDER_AREA]
const arbSeed = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'))
const arbApplicants = fc.uniqueArray(
  fc.record({
    pseudonym: fc.stringMatching(/^K[0-9A-Z]{4}$/),
    area: fc.constantFrom(...AREAS),
    priority: fc.boolean(),
    kk: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'),
    kkPrior: fc.nat(2),
  }),
  { selector: (r) => r.pseudonym, maxLength: 60 },
)
const arbQuotas = fc.tuple(...AREAS.map(() => fc.nat(15))).map((qs) => new Map(AREAS.map((a, i) => [a, qs[i]!])))
const arbMax = fc.integer({ min: 0, max: 3 })

describe('the published primitives', () => {
  it('commitment is sha256 of the seed bytes; rank is sha256 of "seed:pseudonym"', () => {
    expect(seedCommitment(SEED)).toBe(crypto.createHash('sha256').update(Buffer.alloc(32, 0xaa)).digest('hex'))
    expect(rank(SEED, 'K123')).toBe(crypto.createHash('sha256').update(`${SEED}:K123`).digest('hex'))
    expect(() => seedCommitment('XYZ')).toThrow()
  })

  it('the SQL form of the KK pseudonym (two sha256 over the HMAC pads) equals HMAC-SHA256', () => {
    fc.assert(
      fc.property(arbSeed, fc.string({ minLength: 1, maxLength: 80 }), (seed, kk) => {
        const { inner, outer } = kkPseudonymPads(seed)
        const innerHash = crypto.createHash('sha256').update(Buffer.concat([inner, Buffer.from(kk, 'utf8')])).digest()
        const k = crypto.createHash('sha256').update(Buffer.concat([outer, innerHash])).digest('hex').slice(0, 16)
        expect(k).toBe(kkPseudonym(seed, kk))
      }),
    )
  })

  it('the KK pseudonym changes with the seed, so waves cannot be linked', () => {
    expect(kkPseudonym(SEED, 'kk')).not.toBe(kkPseudonym('b'.repeat(64), 'kk'))
    expect(kkPseudonym(SEED, 'kk')).toMatch(/^[0-9a-f]{16}$/)
  })
})

describe('selectWinners (properties)', () => {
  it('same inputs give the same winners, whatever order the applicants arrive in', () => {
    fc.assert(
      fc.property(arbSeed, arbApplicants, arbQuotas, arbMax, (seed, apps, quotas, max) => {
        const a = draw(seed, apps, quotas, max).map((d) => [d.candidate.pseudonym, d.selected, d.position])
        const b = draw(seed, [...apps].reverse(), quotas, max).map((d) => [d.candidate.pseudonym, d.selected, d.position])
        expect(b).toEqual(a)
      }),
    )
  })

  it('no area exceeds its quota, no KK exceeds the cap (counting earlier waves), positions count up per area', () => {
    fc.assert(
      fc.property(arbSeed, arbApplicants, arbQuotas, arbMax, (seed, apps, quotas, max) => {
        const result = draw(seed, apps, quotas, max)
        const perArea = new Map<string, number>()
        const perKk = new Map<string, number>()
        const positions = new Map<string, number[]>()
        for (const d of result) {
          positions.set(d.candidate.area, [...(positions.get(d.candidate.area) ?? []), d.position])
          if (!d.selected) continue
          perArea.set(d.candidate.area, (perArea.get(d.candidate.area) ?? 0) + 1)
          perKk.set(d.candidate.kk, (perKk.get(d.candidate.kk) ?? 0) + 1)
          expect(d.candidate.kkPrior + perKk.get(d.candidate.kk)!).toBeLessThanOrEqual(max)
        }
        for (const [area, n] of perArea) expect(n).toBeLessThanOrEqual(quotas.get(area)!)
        for (const ps of positions.values()) expect(ps).toEqual(ps.map((_, i) => i + 1))
      }),
    )
  })

  it('in every area, priority applicants go before everyone else: a priority one left out was stopped by the KK cap or a full area', () => {
    fc.assert(
      fc.property(arbSeed, arbApplicants, arbQuotas, arbMax, (seed, apps, quotas, max) => {
        const result = draw(seed, apps, quotas, max)
        for (const area of AREAS) {
          const here = result.filter((d) => d.candidate.area === area)
          const firstNonPriority = here.findIndex((d) => !d.candidate.priority)
          const lastPriority = here.map((d) => d.candidate.priority).lastIndexOf(true)
          if (firstNonPriority >= 0) expect(lastPriority).toBeLessThan(firstNonPriority)
          const nonPrioritySelected = here.some((d) => !d.candidate.priority && d.selected)
          if (!nonPrioritySelected) continue
          // Places were left after the priority group, so every priority one not selected was KK-blocked:
          // their KK had used its turns (earlier members in the order, selected or not) with earlier cards.
          const kkTurns = new Map<string, number>()
          for (const d of result) {
            if (!d.selected && d.candidate.priority && d.candidate.area === area) {
              expect(d.candidate.kkPrior + (kkTurns.get(d.candidate.kk) ?? 0)).toBeGreaterThanOrEqual(max)
            }
            kkTurns.set(d.candidate.kk, (kkTurns.get(d.candidate.kk) ?? 0) + 1)
          }
        }
      }),
    )
  })

  it('an area fills when it has at least quota applicants free of KK conflicts', () => {
    fc.assert(
      fc.property(arbSeed, fc.uniqueArray(fc.stringMatching(/^K[0-9A-Z]{5}$/), { maxLength: 40 }), fc.nat(40), fc.boolean(), (seed, ps, quota, prio) => {
        // Everyone in their own KK with no earlier cards: no conflicts.
        const apps = ps.map((p, i) => ({ pseudonym: p, area: '13', priority: prio && i % 2 === 0, kk: `kk${i}`, kkPrior: 0 }))
        const result = draw(seed, apps, new Map([['13', quota]]), 2)
        expect(result.filter((d) => d.selected).length).toBe(Math.min(quota, apps.length))
        // and the ones selected are exactly the first `quota` in draw order
        expect(result.map((d) => d.selected)).toEqual(result.map((_, i) => i < quota))
      }),
    )
  })
})

describe('selectWinners (edges named in the issue)', () => {
  const app = (pseudonym: string, area: string, kk = pseudonym, kkPrior = 0, priority = false): Raw => ({ pseudonym, area, kk, kkPrior, priority })

  it('a quota larger than the applicants selects all of them and leaves the rest unused', () => {
    const selector = new Selector(new Map([['13', 10]]), 2)
    for (const c of sorted(SEED, [app('K1', '13'), app('K2', '13'), app('K3', '13')])) expect(selector.next(c).selected).toBe(true)
    expect(selector.remaining().get('13')).toBe(7)
  })

  it('a zero-quota area selects nobody, and an area without a quota counts as zero', () => {
    const result = draw(SEED, [app('K1', '13'), app('K2', '32.73')], new Map([['13', 0]]), 2)
    expect(result.map((d) => d.selected)).toEqual([false, false])
    expect(result.every((d) => d.position === 1)).toBe(true)
  })

  it('the KK cap counts cards from earlier waves', () => {
    // KK "x" already has one card; with maxPerKk 2 only one more member can be selected.
    const result = draw(SEED, [app('K1', '13', 'x', 1), app('K2', '13', 'x', 1), app('K3', '13', 'x', 1), app('K4', '13', 'y')], new Map([['13', 4]]), 2)
    const selected = result.filter((d) => d.selected).map((d) => d.candidate.kk)
    expect(selected.filter((k) => k === 'x')).toHaveLength(1)
    expect(selected).toContain('y')
  })

  it('the KK cap spans areas: a KK whose members draw in different areas still gets at most the cap', () => {
    const result = draw(SEED, [app('K1', '13', 'x'), app('K2', '32', 'x'), app('K3', '00', 'x')], new Map([['13', 5], ['32', 5], ['00', 5]]), 2)
    expect(result.filter((d) => d.selected)).toHaveLength(2)
  })

  it('a KK has maxPerKk - kp turns, taken by its first members in the draw order, selected or not (v2)', () => {
    // KK "x": K1 draws in a full area, K2 and K3 in areas with places. With maxPerKk 2 the KK's two
    // turns go to its first two members in the order; whoever of K2/K3 comes third is not selected.
    const raws = [app('FILL', '13'), app('K1', '13', 'x', 0, true), app('K2', '32', 'x'), app('K3', '00', 'x')]
    const result = draw(SEED, raws, new Map([['13', 1], ['32', 5], ['00', 5]]), 2)
    const byP = new Map(result.map((d) => [d.candidate.pseudonym, d.selected]))
    // K1 is priority: first in the order and takes area 13's only place; FILL gets nothing.
    expect(byP.get('K1')).toBe(true)
    expect(byP.get('FILL')).toBe(false)
    const [second, third] = result.filter((d) => d.candidate.kk === 'x' && d.candidate.pseudonym !== 'K1').map((d) => d.candidate.pseudonym)
    expect(byP.get(second!)).toBe(true)
    expect(byP.get(third!)).toBe(false)
    // With area 13 full before K1 (quota 0), K1 still uses a turn: only one of K2/K3 is selected.
    const full = draw(SEED, raws, new Map([['13', 0], ['32', 5], ['00', 5]]), 2)
    expect(full.filter((d) => d.candidate.kk === 'x' && d.selected).map((d) => d.candidate.pseudonym)).toEqual([second])
  })

  it('ties cannot happen: equal priority and the rank includes the unique pseudonym; repeated or unordered input is refused', () => {
    const cs = sorted(SEED, [app('K1', '13'), app('K2', '13')])
    expect(cs[0]!.rank).not.toBe(cs[1]!.rank)
    const selector = new Selector(new Map([['13', 1]]), 2)
    selector.next(cs[1]!)
    expect(() => selector.next(cs[0]!)).toThrow(DrawOrderError)
    const again = new Selector(new Map([['13', 1]]), 2)
    again.next(cs[0]!)
    expect(() => again.next(cs[0]!)).toThrow(DrawOrderError)
  })

  it('the order is priority first, then rank ascending', () => {
    const cs = sorted(SEED, [app('K1', '13'), app('K2', '13', 'K2', 0, true), app('K3', '13'), app('K4', '13')])
    expect(cs[0]!.pseudonym).toBe('K2')
    const rest = cs.slice(1).map((c) => c.rank)
    expect(rest).toEqual([...rest].sort())
  })
})
