/** What a registry's answer means for the person, and that every reason is put into both languages. */
import { describe, expect, it } from 'vitest'
import { describeReason, judgeCivil, judgeEducation, judgeExclusions } from './check-reasons.ts'
import { EXCLUSION_LISTS } from './registries.ts'
import type { CheckReason } from './checks.tables.ts'

describe('judging registry answers', () => {
  it('passes a civil-registry match and names every field of a mismatch', () => {
    expect(judgeCivil({ outcome: 'match', mismatches: [] })).toEqual({ outcome: 'passed', reasons: [] })
    expect(judgeCivil({ outcome: 'mismatch', mismatches: ['kk', 'name'] }).reasons).toEqual([
      { code: 'mismatch', field: 'kk' },
      { code: 'mismatch', field: 'name' },
    ])
    expect(judgeCivil({ outcome: 'not_found', mismatches: [] }).reasons).toEqual([{ code: 'nik_not_found' }])
    expect(judgeCivil({ outcome: 'match', mismatches: [], deceased: true })).toEqual({ outcome: 'failed', reasons: [{ code: 'deceased' }] })
  })

  it('fails enrolment found by the registry, and the person saying they are at school', () => {
    expect(judgeEducation({ enrolled: false }, false).outcome).toBe('passed')
    expect(judgeEducation({ enrolled: true, institution: 'SMA Negeri 1 Agam' }, false).reasons).toEqual([{ code: 'enrolled', institution: 'SMA Negeri 1 Agam' }])
    expect(judgeEducation({ enrolled: false }, true).reasons).toEqual([{ code: 'declared_in_education' }])
  })

  it('fails on every exclusion-list hit except another programme, which is only recorded', () => {
    expect(judgeExclusions([])).toEqual({ outcome: 'passed', reasons: [] })
    expect(judgeExclusions([{ list: 'polri', detail: 'Polri' }, { list: 'asn', detail: 'PNS' }]).reasons).toHaveLength(2)
    // Whether another programme excludes depends on the wave's scheme: the check records it and passes.
    expect(judgeExclusions([{ list: 'dtks_other_programme', detail: 'DTKS' }, { list: 'dtks_other_programme', detail: 'BSU' }])).toEqual({
      outcome: 'passed',
      reasons: [],
      notes: [
        { list: 'dtks_other_programme', detail: 'DTKS' },
        { list: 'dtks_other_programme', detail: 'BSU' },
      ],
    })
    expect(judgeExclusions([{ list: 'polri', detail: 'Polri' }, { list: 'dtks_other_programme', detail: 'DTKS' }])).toEqual({
      outcome: 'failed',
      reasons: [{ code: 'excluded', list: 'polri', detail: 'Polri' }],
      notes: [{ list: 'dtks_other_programme', detail: 'DTKS' }],
    })
  })

  it('says every reason in Indonesian and English, with what to do', () => {
    const all: CheckReason[] = [
      { code: 'nik_not_found' },
      { code: 'mismatch', field: 'kk' },
      { code: 'mismatch', field: 'name' },
      { code: 'mismatch', field: 'birth_date' },
      { code: 'deceased' },
      { code: 'enrolled', institution: null },
      { code: 'declared_in_education' },
      ...EXCLUSION_LISTS.map((list) => ({ code: 'excluded' as const, list, detail: 'x' })),
    ]
    for (const r of all) {
      const t = describeReason(r)
      expect(t.id.length).toBeGreaterThan(40)
      expect(t.en.length).toBeGreaterThan(40)
      expect(t.id).toMatch(/periksa|hubungi|datangi|minta|ubah/)
    }
    expect(describeReason({ code: 'mismatch', field: 'name' }).id).toBe('Nama tidak cocok dengan data Dukcapil: periksa ejaan nama di langkah 3 sesuai KTP.')
  })
})
