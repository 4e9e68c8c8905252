import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkKk } from '../../modules/registration/kk.ts'
import { checkNik } from '../../modules/registration/nik.ts'
import { createRng } from './prng.ts'
import { DEFAULT_AS_OF, generateHouseholds, generatePeople, type Household, type Person } from './index.ts'

const take = <T>(it: Iterable<T>, n: number): T[] => {
  const out: T[] = []
  for (const x of it) {
    if (out.length >= n) break
    out.push(x)
  }
  return out
}
const ageOf = (p: Person) => {
  const years = Number(DEFAULT_AS_OF.slice(0, 4)) - Number(p.dateOfBirth.slice(0, 4))
  return DEFAULT_AS_OF.slice(5) < p.dateOfBirth.slice(5) ? years - 1 : years
}

describe('createRng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs)
  })

  it('spreads integers evenly over their range', () => {
    const rng = createRng(7)
    const counts = [0, 0, 0, 0, 0, 0]
    for (let i = 0; i < 60_000; i++) counts[rng.int(0, 5)]! += 1
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(400)
  })
})

describe('generatePeople', () => {
  it('gives the same people for the same seed and others for another seed', () => {
    const a = JSON.stringify([...generatePeople({ seed: 2024, size: 3000 })])
    expect(JSON.stringify([...generatePeople({ seed: 2024, size: 3000 })])).toBe(a)
    expect(JSON.stringify([...generatePeople({ seed: 2025, size: 3000 })])).not.toBe(a)
  })

  it('produces exactly the size asked for', () => {
    expect([...generatePeople({ seed: 1, size: 1234 })]).toHaveLength(1234)
    expect([...generatePeople({ seed: 1, size: 0 })]).toHaveLength(0)
    expect(() => [...generatePeople({ seed: 1, size: -1 })]).toThrow(RangeError)
  })

  it('streams: the first people of a billion arrive at once', () => {
    const started = performance.now()
    expect(take(generatePeople({ seed: 1, size: 1_000_000_000 }), 100)).toHaveLength(100)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('builds NIKs and KK numbers that pass the registration checks with the person\'s own data', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const p of generatePeople({ seed, size: 300 })) {
          const nik = checkNik(p.nik, { dateOfBirth: p.dateOfBirth, sex: p.sex, today: DEFAULT_AS_OF })
          expect(nik, `${p.nik} ${p.dateOfBirth} ${p.sex}`).toMatchObject({ ok: true, birthDate: p.dateOfBirth, sex: p.sex, warnings: [] })
          if (nik.ok) expect(nik.region.district?.code).toBe(p.address.districtCode)
          const kk = checkKk(p.kk, { nik: p.nik, today: DEFAULT_AS_OF })
          expect(kk, p.kk).toMatchObject({ ok: true, warnings: [] })
        }
      }),
      { numRuns: 25 },
    )
  })

  it('never repeats a NIK, nor uses a NIK as a KK number, across 50 000 people', () => {
    const niks = new Set<string>()
    const kks = new Set<string>()
    let people = 0
    for (const h of generateHouseholds({ seed: 99, size: 50_000 })) {
      expect(kks.has(h.kk)).toBe(false)
      kks.add(h.kk)
      for (const p of h.members) {
        niks.add(p.nik)
        people++
      }
    }
    expect(people).toBe(50_000)
    expect(niks.size).toBe(50_000)
    for (const kk of kks) expect(niks.has(kk)).toBe(false)
  })
})

describe('households', () => {
  const households: Household[] = [...generateHouseholds({ seed: 7, size: 40_000 })]
  const people = households.flatMap((h) => h.members)

  it('hold 1–7 people under one head on one KK and one address, about 3.8 on average', () => {
    for (const h of households) {
      expect(h.members.length).toBeGreaterThanOrEqual(1)
      expect(h.members.length).toBeLessThanOrEqual(7)
      expect(h.members.filter((m) => m.relationship === 'KEPALA KELUARGA')).toHaveLength(1)
      for (const m of h.members) {
        expect(m.kk).toBe(h.kk)
        expect(m.address).toBe(h.address)
        expect(m.nik.slice(0, 6)).toBe(h.address.districtCode.replaceAll('.', ''))
      }
      expect(h.kkIssueDate >= h.members.map((m) => m.dateOfBirth).sort().at(-1)!).toBe(true)
      expect(h.kkIssueDate <= DEFAULT_AS_OF).toBe(true)
    }
    const mean = people.length / households.length
    expect(mean).toBeGreaterThan(3.4)
    expect(mean).toBeLessThan(4.2)
  })

  it('give wives to married heads and children to parents old enough to have them', () => {
    for (const h of households) {
      const head = h.members[0]!
      const wife = h.members.find((m) => m.relationship === 'ISTRI')
      if (wife) {
        expect(head.sex).toBe('M')
        expect(wife.sex).toBe('F')
        expect(head.maritalStatus).toBe('KAWIN')
      }
      const mother = wife ?? head
      for (const child of h.members.filter((m) => m.relationship === 'ANAK')) {
        expect(ageOf(mother) - ageOf(child)).toBeGreaterThanOrEqual(17)
        expect(child.fatherName.length).toBeGreaterThan(0)
        if (wife) expect(child.motherName).toBe(wife.fullName)
        if (head.sex === 'M') expect(child.fatherName).toBe(head.fullName)
      }
    }
  })

  it('live mostly on Java, in every province, with women about half', () => {
    const java = people.filter((p) => ['31', '32', '33', '34', '35', '36'].includes(p.address.provinceCode)).length / people.length
    expect(java).toBeGreaterThan(0.5)
    expect(java).toBeLessThan(0.62)
    expect(new Set(people.map((p) => p.address.provinceCode)).size).toBe(38)
    const women = people.filter((p) => p.sex === 'F').length / people.length
    expect(women).toBeGreaterThan(0.47)
    expect(women).toBeLessThan(0.53)
  })

  it('carry exclusion flags at small, realistic rates, consistent with the occupation', () => {
    const adults = people.filter((p) => ageOf(p) >= 18 && ageOf(p) <= 64)
    const rate = (f: (p: Person) => boolean) => adults.filter(f).length / adults.length
    expect(rate((p) => p.flags.civilServant)).toBeGreaterThan(0.01)
    expect(rate((p) => p.flags.civilServant)).toBeLessThan(0.06)
    expect(rate((p) => p.flags.military || p.flags.police)).toBeGreaterThan(0.001)
    expect(rate((p) => p.flags.military || p.flags.police)).toBeLessThan(0.02)
    expect(rate((p) => p.flags.villageOfficial)).toBeGreaterThan(0.001)
    expect(rate((p) => p.flags.villageOfficial)).toBeLessThan(0.02)
    expect(rate((p) => p.flags.stateOfficial)).toBeLessThan(0.002)
    expect(rate((p) => p.flags.student)).toBeGreaterThan(0.02)
    expect(rate((p) => p.flags.student)).toBeLessThan(0.15)
    expect(rate((p) => p.flags.otherProgrammes.length > 0)).toBeLessThan(0.2)
    for (const p of people) {
      expect(p.flags.civilServant).toBe(p.occupation === 'PEGAWAI NEGERI SIPIL')
      expect(p.flags.police).toBe(p.occupation === 'KEPOLISIAN RI')
      if (p.flags.military || p.flags.police || p.flags.civilServant) expect(ageOf(p)).toBeGreaterThanOrEqual(18)
    }
  })

  it('name people by their tradition: Balinese birth order, Batak marga passed to children', () => {
    const bali = households.filter((h) => h.address.provinceCode === '51' && h.members[0]!.religion === 'HINDU')
    expect(bali.length).toBeGreaterThan(50)
    for (const h of bali) for (const m of h.members) expect(m.fullName).toMatch(m.sex === 'M' ? /^I / : /^NI /)
    const batak = households.filter((h) => h.members[0]!.sex === 'M' && /\b(SIREGAR|SINAGA|NASUTION|LUBIS|GINTING|TARIGAN|PURBA)$/.test(h.members[0]!.fullName))
    expect(batak.length).toBeGreaterThan(10)
    for (const h of batak) {
      const marga = h.members[0]!.fullName.split(' ').at(-1)!
      for (const child of h.members.filter((m) => m.relationship === 'ANAK')) expect(child.fullName.endsWith(` ${marga}`)).toBe(true)
      const wife = h.members.find((m) => m.relationship === 'ISTRI')
      if (wife) expect(wife.fullName.endsWith(` ${marga}`)).toBe(false)
    }
    const javaSingles = people.filter((p) => p.address.provinceCode === '33' && !p.fullName.includes(' '))
    expect(javaSingles.length).toBeGreaterThan(100)
  })
})
