import { describe, expect, it } from 'vitest'
import { bucketFor, filtersQuery, parseFilters, scopeToRegion, wibDay } from './filters.ts'
import { csvCell, csvLine } from './csv.ts'

const today = '2026-12-01'

describe('report filters', () => {
  it('defaults to the last 30 days', () => {
    const p = parseFilters({}, today)
    expect(p).toEqual({ ok: true, filters: { from: '2026-11-02', to: '2026-12-01', waveId: null, province: null, regency: null } })
  })

  it('refuses a reversed range, naming the end date', () => {
    const p = parseFilters({ dari: '2026-11-20', sampai: '2026-11-01' }, today)
    expect(p.ok).toBe(false)
    if (!p.ok) expect(p.errors.map((e) => e.field)).toEqual(['sampai'])
  })

  it('refuses a range over three years, a date before the programme, a future start and impossible dates', () => {
    expect(parseFilters({ dari: '2021-01-01', sampai: '2026-11-01' }, today).ok).toBe(false)
    expect(parseFilters({ dari: '1999-01-01', sampai: '2000-01-01' }, today).ok).toBe(false)
    expect(parseFilters({ dari: '2027-06-01', sampai: '2027-06-02' }, today).ok).toBe(false)
    const bad = parseFilters({ dari: '2026-02-30' }, today)
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors[0]!.field).toBe('dari')
    expect(parseFilters({ dari: '2024-01-01', sampai: '2026-11-30' }, today).ok).toBe(true)
  })

  it('checks the region codes and that the regency lies in the province', () => {
    expect(parseFilters({ provinsi: '3' }, today).ok).toBe(false)
    expect(parseFilters({ provinsi: '32', kabupaten: '13.06' }, today).ok).toBe(false)
    const p = parseFilters({ kabupaten: '13.06' }, today)
    expect(p.ok && p.filters.province).toBe('13')
  })

  it('scopes a regional account to its region and refuses another region', () => {
    const all = parseFilters({}, today)
    if (!all.ok) throw new Error('defaults must parse')
    expect(scopeToRegion(all.filters, '13.06')).toEqual({ ok: true, filters: { ...all.filters, province: '13', regency: '13.06' } })
    expect(scopeToRegion({ ...all.filters, province: '32' }, '13.06')).toEqual({ ok: false })
    expect(scopeToRegion({ ...all.filters, province: '13', regency: '13.07' }, '13.06')).toEqual({ ok: false })
    expect(scopeToRegion({ ...all.filters, province: '14' }, '13')).toEqual({ ok: false })
    expect(scopeToRegion(all.filters, '13')).toEqual({ ok: true, filters: { ...all.filters, province: '13' } })
    expect(scopeToRegion({ ...all.filters, province: '32' }, null)).toEqual({ ok: true, filters: { ...all.filters, province: '32' } })
  })

  it('keeps filters in links and picks coarser buckets for long ranges', () => {
    expect(filtersQuery({ from: '2026-11-01', to: '2026-11-30', waveId: null, province: '13', regency: null })).toBe('dari=2026-11-01&sampai=2026-11-30&provinsi=13')
    expect(bucketFor({ from: '2026-11-01', to: '2026-11-30', waveId: null, province: null, regency: null })).toBe('day')
    expect(bucketFor({ from: '2026-01-01', to: '2026-11-30', waveId: null, province: null, regency: null })).toBe('week')
    expect(bucketFor({ from: '2024-01-01', to: '2026-11-30', waveId: null, province: null, regency: null })).toBe('month')
  })

  it('counts days in WIB', () => {
    expect(wibDay(new Date('2026-11-30T17:30:00Z'))).toBe('2026-12-01')
    expect(wibDay(new Date('2026-11-30T16:59:00Z'))).toBe('2026-11-30')
  })
})

describe('csv', () => {
  it('quotes and neutralises formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+62812')).toBe("'+62812")
    expect(csvCell('-1')).toBe("'-1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell('Kota, Bandung')).toBe('"Kota, Bandung"')
    expect(csvLine(['a', null, 3])).toBe('a,,3\r\n')
  })
})
