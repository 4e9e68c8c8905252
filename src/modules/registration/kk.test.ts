import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listDistricts, listProvinces, listRegencies } from '../regions/index.ts'
import { checkKk, type KkCheck } from './kk.ts'

const today = '2026-03-01'
const check = (kk: string, nik?: string) => checkKk(kk, { today, ...(nik ? { nik } : {}) })
function problemsOf(r: KkCheck) {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`)
  return r.problems
}

describe('checkKk', () => {
  it('reads region and issue date', () => {
    const r = check('3273 0115 0315 0002')
    expect(r).toMatchObject({ ok: true, kk: '3273011503150002', issueDate: '2015-03-15', warnings: [] })
    if (r.ok) expect(r.region.district?.name).toBe('Sukasari')
  })

  it('takes an issue year not yet reached as last century', () => {
    expect(check('3273011503990002')).toMatchObject({ ok: true, issueDate: '1999-03-15' })
  })

  it('says where the KK number is when the NIK was typed instead', () => {
    const ps = problemsOf(check('3273011203950001', '3273-0112-0395-0001'))
    expect(ps.map((p) => p.code)).toEqual(['same_as_nik'])
    expect(ps[0]?.id).toMatch(/^Nomor KK sama dengan NIK; nomor KK tertulis di bagian atas Kartu Keluarga/)
  })

  it('suspects a woman\'s NIK when the day is above 40', () => {
    const ps = problemsOf(check('3273015203950001'))
    expect(ps.map((p) => p.code)).toEqual(['issue_date_impossible'])
    expect(ps[0]?.id).toContain('mungkin yang Anda ketik NIK, bukan nomor KK')
  })

  it('refuses impossible and future issue dates', () => {
    expect(problemsOf(check('3273013102150001'))[0]?.id).toContain('tanggal 31-02-2015 tidak ada')
    expect(problemsOf(check('3273011513150001'))[0]?.id).toContain('bulan 13 tidak ada')
    const future = problemsOf(check('3273011506260001'))
    expect(future.map((p) => p.code)).toEqual(['issue_date_in_future'])
    expect(future[0]?.id).toContain('150626 → 15-06-2026')
  })

  it('uses the same typo messages as the NIK', () => {
    expect(problemsOf(check('327301150315000'))[0]?.id).toBe(
      'Nomor KK harus 16 angka; yang Anda ketik 15 angka. Periksa apakah ada angka yang terlewat.',
    )
    expect(problemsOf(check('32730115O3150002')).map((p) => [p.code, p.positions])).toEqual([['letter_for_digit', [9]]])
    expect(problemsOf(check('3299011503150002'))[0]?.id).toContain('Kode wilayah 32.99 di digit 1–4 Nomor KK tidak ada')
    expect(problemsOf(check('3273011503150000')).map((p) => p.code)).toEqual(['serial_zero'])
  })

  it('warns, but accepts, an unknown district', () => {
    const r = check('3273991503150002')
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['district_unknown'])
  })

  it('accepts every well-built number and reads back its issue date', () => {
    const districts = listProvinces().flatMap((p) => listRegencies(p.code).flatMap((r) => listDistricts(r.code)))
    fc.assert(
      fc.property(
        fc.constantFrom(...districts),
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date(`${today}T00:00:00Z`), noInvalidDate: true }),
        fc.integer({ min: 1, max: 9999 }),
        (district, issued, serial) => {
          const iso = issued.toISOString().slice(0, 10)
          const [y, m, d] = iso.split('-')
          const kk = `${district.code.replaceAll('.', '')}${d}${m}${y?.slice(2)}${String(serial).padStart(4, '0')}`
          expect(check(kk)).toMatchObject({ ok: true, kk, issueDate: iso })
        },
      ),
    )
  })
})
