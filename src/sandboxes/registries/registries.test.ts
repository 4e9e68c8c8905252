/** The sandbox registries answer like the real ones: matches, mismatches, unknown NIKs, exclusions, and failures. */
import { describe, expect, it } from 'vitest'
import { fixedClock, systemClock } from '../../platform/clock.ts'
import type { RegistrySandboxConfig } from '../../config.ts'
import { RegistryUnavailable } from '../../modules/registration/registries.ts'
import { generatePeople, type Person } from '../population/index.ts'
import { DEMO_RESIDENT } from '../civil-registry/index.ts'
import { createSandboxRegistries } from './index.ts'

const calm: RegistrySandboxConfig = { seed: 3, size: 1500, latencyMs: [0, 0], timeoutRate: 0, outage: null, wrongKkRate: 0 }
const people = [...generatePeople({ seed: 3, size: 1500 })]
const find = (f: (p: Person) => boolean) => {
  const p = people.find(f)
  if (!p) throw new Error('no such person in the sample')
  return p
}
const query = (p: Person) => ({ nik: p.nik, kk: p.kk, fullName: p.fullName, birthDate: p.dateOfBirth })

describe('sandbox civil registry', () => {
  const r = createSandboxRegistries(calm, systemClock)
  const p = people[10]!

  it('holds every generated person and the demo participant, and matches them', async () => {
    expect(r.residents.size).toBe(1501)
    expect(await r.civil.verify(query(p))).toEqual({ outcome: 'match', mismatches: [] })
    expect((await r.civil.verify({ nik: DEMO_RESIDENT.nik, kk: DEMO_RESIDENT.kk, fullName: 'Siti Rahmawati', birthDate: DEMO_RESIDENT.dateOfBirth })).outcome).toBe('match')
  })

  it('names each field that differs, and forgives the way a name is written', async () => {
    const typo = `${p.fullName.slice(0, -1)}${p.fullName.endsWith('Q') ? 'Z' : 'Q'}`
    expect(await r.civil.verify({ ...query(p), fullName: typo })).toEqual({ outcome: 'mismatch', mismatches: ['name'] })
    expect((await r.civil.verify({ ...query(p), fullName: `H. ${p.fullName.toLowerCase()}, S.Pd.` })).outcome).toBe('match')
    const other = people[11]!
    expect(await r.civil.verify({ ...query(p), kk: other.kk === p.kk ? people[20]!.kk : other.kk, birthDate: '1990-01-01' })).toEqual({
      outcome: 'mismatch',
      mismatches: ['kk', 'birth_date'],
    })
  })

  it('does not know a NIK it never issued', async () => {
    expect(await r.civil.verify({ ...query(p), nik: '3171010101019999' })).toEqual({ outcome: 'not_found', mismatches: [] })
  })

  it('holds some out-of-date KK numbers when configured to, the same ones for the same seed', async () => {
    const stale = async () => {
      const reg = createSandboxRegistries({ ...calm, wrongKkRate: 0.2 }, systemClock)
      const out: string[] = []
      for (const q of people.slice(0, 200)) if ((await reg.civil.verify(query(q))).mismatches.includes('kk')) out.push(q.nik)
      return out
    }
    const first = await stale()
    expect(first.length).toBeGreaterThan(20)
    expect(first.length).toBeLessThan(70)
    expect(await stale()).toEqual(first)
  })
})

describe('sandbox education registries and exclusion lists', () => {
  const r = createSandboxRegistries(calm, systemClock)

  it('knows students and names where they study; others are not enrolled', async () => {
    const student = find((p) => p.flags.student && p.dateOfBirth < '2006-01-01')
    const answer = await r.education.isEnrolled(student.nik)
    expect(answer.enrolled).toBe(true)
    expect(answer.institution).toMatch(/PDDikti|EMIS|Dapodik/)
    expect(await r.education.isEnrolled(find((p) => !p.flags.student).nik)).toEqual({ enrolled: false })
    expect(await r.education.isEnrolled('3171010101019999')).toEqual({ enrolled: false })
  })

  it('lists civil servants, soldiers, police, village officials and other programmes', async () => {
    expect(await r.exclusions.lookup(find((p) => p.flags.civilServant).nik)).toContainEqual({ list: 'asn', detail: 'Pegawai Negeri Sipil (BKN)' })
    const dtks = find((p) => p.flags.otherProgrammes.includes('DTKS'))
    expect((await r.exclusions.lookup(dtks.nik)).map((h) => h.list)).toContain('dtks_other_programme')
    const clean = find((p) => !p.flags.civilServant && !p.flags.military && !p.flags.police && !p.flags.villageOfficial && !p.flags.stateOfficial && p.flags.otherProgrammes.length === 0)
    expect(await r.exclusions.lookup(clean.nik)).toEqual([])
  })
})

describe('faults', () => {
  const p = people[5]!

  it('fails every call during an outage window, and answers again after it', async () => {
    const clock = fixedClock(new Date('2026-11-23T03:00:00Z'))
    const r = createSandboxRegistries({ ...calm, outage: { from: new Date('2026-11-23T02:00:00Z'), to: new Date('2026-11-23T04:00:00Z') } }, clock)
    const err = await r.civil.verify(query(p)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RegistryUnavailable)
    expect(err).toMatchObject({ registry: 'civil_registry', reason: 'outage' })
    await expect(r.exclusions.lookup(p.nik)).rejects.toBeInstanceOf(RegistryUnavailable)
    clock.set(new Date('2026-11-23T04:00:00Z'))
    expect((await r.civil.verify(query(p))).outcome).toBe('match')
  })

  it('times out a share of calls, the same calls for the same seed, after the longest latency', async () => {
    const outcomes = async () => {
      const r = createSandboxRegistries({ ...calm, latencyMs: [1, 5], timeoutRate: 0.3 }, systemClock)
      const out: string[] = []
      for (let i = 0; i < 40; i++) out.push(await r.education.isEnrolled(p.nik).then(() => 'ok', (e: RegistryUnavailable) => e.reason))
      return out
    }
    const first = await outcomes()
    const timeouts = first.filter((o) => o === 'timeout').length
    expect(timeouts).toBeGreaterThan(4)
    expect(timeouts).toBeLessThan(25)
    expect(await outcomes()).toEqual(first)
  })

  it('takes its time: latency within the configured range', async () => {
    const r = createSandboxRegistries({ ...calm, latencyMs: [30, 60] }, systemClock)
    const started = performance.now()
    await r.exclusions.lookup(p.nik)
    expect(performance.now() - started).toBeGreaterThanOrEqual(28)
  })

  it('lets a test switch an outage on and off while running', async () => {
    const r = createSandboxRegistries(calm, systemClock)
    r.faults.education.outage = { from: new Date(0), to: new Date(8.64e15) }
    await expect(r.education.isEnrolled(p.nik)).rejects.toMatchObject({ reason: 'outage' })
    await expect(r.civil.verify(query(p))).resolves.toMatchObject({ outcome: 'match' })
    r.faults.education.outage = null
    await expect(r.education.isEnrolled(p.nik)).resolves.toBeDefined()
  })
})
