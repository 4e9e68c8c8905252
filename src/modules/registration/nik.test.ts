import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listDistricts, listProvinces, listRegencies } from '../regions/index.ts'
import { ageOn, checkAge, checkNik, type NikCheck, type Sex } from './nik.ts'

const today = '2026-03-01'
const check = (nik: string, dateOfBirth: string, sex?: Sex) => checkNik(nik, { dateOfBirth, today, ...(sex ? { sex } : {}) })

function problemsOf(r: NikCheck) {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`)
  return r.problems
}
const codes = (r: NikCheck) => problemsOf(r).map((p) => p.code)

describe('checkNik accepts a NIK built the real way', () => {
  it('reads region, sex and birth date of a man', () => {
    const r = check('3273011203950001', '1995-03-12')
    expect(r).toMatchObject({ ok: true, nik: '3273011203950001', sex: 'M', birthDate: '1995-03-12', warnings: [] })
    if (!r.ok) return
    expect(r.region.regency.name).toBe('Kota Bandung')
    expect(r.region.district?.name).toBe('Sukasari')
  })

  it('reads a woman from the day with 40 added', () => {
    expect(check('3273015203950001', '1995-03-12', 'F')).toMatchObject({ ok: true, sex: 'F', birthDate: '1995-03-12' })
  })

  it('ignores the spaces, dots and dashes people type', () => {
    expect(check(' 3273.0112-0395 0001 ', '1995-03-12')).toMatchObject({ ok: true, nik: '3273011203950001' })
  })

  it('takes the century from the date of birth typed beside it', () => {
    expect(check('3273010101250001', '1925-01-01')).toMatchObject({ ok: true, birthDate: '1925-01-01' })
    expect(check('3273010101050001', '2005-01-01')).toMatchObject({ ok: true, birthDate: '2005-01-01' })
    expect(check('3273012902000001', '2000-02-29')).toMatchObject({ ok: true, birthDate: '2000-02-29' })
  })

  it('warns, but accepts, an unknown district of a known regency', () => {
    const r = check('3273991203950001', '1995-03-12')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.region.district).toBeNull()
    expect(r.warnings.map((w) => w.code)).toEqual(['district_unknown'])
    expect(r.warnings[0]?.id).toContain('32.73.99')
  })

  it('accepts a pre-split regency code and says what it is now', () => {
    const r = check('6404011203950001', '1995-03-12')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.region.regency.code).toBe('65.01')
    expect(r.warnings.map((w) => w.code)).toEqual(['former_region_code'])
  })
})

describe('checkNik names the likely typo', () => {
  it('counts the digits of a short or long NIK', () => {
    const short = problemsOf(check('327301120395001', '1995-03-12'))
    expect(short.map((p) => p.id)).toEqual(['NIK harus 16 angka; yang Anda ketik 15 angka. Periksa apakah ada angka yang terlewat.'])
    expect(short[0]?.en).toContain('you typed 15 digits')
    expect(codes(check('32730112039500011', '1995-03-12'))).toEqual(['too_long'])
    expect(codes(check('  ', '1995-03-12'))).toEqual(['empty'])
  })

  it('says which letter stands where a digit should, instead of fixing it silently', () => {
    const ps = problemsOf(check('3273011203950OO1', '1995-03-12'))
    expect(ps.map((p) => [p.code, p.positions])).toEqual([
      ['letter_for_digit', [14]],
      ['letter_for_digit', [15]],
    ])
    expect(ps[0]?.id).toBe('Digit ke-14 NIK berisi huruf "O", bukan angka. Mungkin maksud Anda angka 0 (nol)? Ketik ulang dengan angka.')
    const l = problemsOf(check('3273011203950001'.replace(/^3/, 'l').slice(0, 15) + 'I', '1995-03-12'))
    expect(l.map((p) => p.id)).toEqual([expect.stringContaining('angka 1 (satu)'), expect.stringContaining('angka 1 (satu)')])
    expect(problemsOf(check('3273011203950S01', '1995-03-12'))[0]?.id).toContain('angka 5 (lima)')
    expect(problemsOf(check('3273011203950B01', '1995-03-12'))[0]?.id).toContain('angka 8 (delapan)')
  })

  it('lists other characters by position', () => {
    const ps = problemsOf(check('32730112039500#1', '1995-03-12'))
    expect(ps.map((p) => [p.code, p.positions])).toEqual([['not_a_digit', [15]]])
    expect(ps[0]?.id).toContain('karakter ke-15 berisi "#"')
  })

  it('names an unknown province or regency code', () => {
    expect(problemsOf(check('9901011203950001', '1995-03-12'))[0]?.id).toMatch(/^Kode provinsi 99 di digit 1–2 NIK tidak ada/)
    const r = problemsOf(check('3299011203950001', '1995-03-12'))
    expect(r[0]?.id).toMatch(/^Kode wilayah 32\.99 di digit 1–4 NIK tidak ada di Provinsi Jawa Barat/)
    expect(r[0]?.positions).toEqual([3, 4])
  })

  it('points at the digit where the birth date differs', () => {
    const ps = problemsOf(check('3273011203950001', '1995-03-13'))
    expect(ps.map((p) => p.code)).toEqual(['birth_date_mismatch'])
    expect(ps[0]?.positions).toEqual([8])
    expect(ps[0]?.id).toBe(
      'Tanggal lahir di NIK (digit 7–12: 120395 → 12-03-1995) berbeda dengan tanggal lahir yang Anda isi (13-03-1995): periksa digit ke-8 NIK, atau tanggal lahir yang Anda isi.',
    )
    expect(ps[0]?.en).toContain('check digit 8 of the NIK')
  })

  it('spots two swapped digits', () => {
    const day = problemsOf(check('3273012103950001', '1995-03-12'))
    expect(day.map((p) => [p.code, p.positions])).toEqual([['digits_swapped', [7, 8]]])
    expect(day[0]?.id).toContain('dua angka mungkin tertukar: digit ke-7 dan ke-8')
    expect(problemsOf(check('3273011203590001', '1995-03-12'))[0]?.positions).toEqual([11, 12])
  })

  it('refuses a date that cannot exist, with the likely fix when the typed date tells it', () => {
    const month = problemsOf(check('3273010321950001', '1995-12-03'))
    expect(month.map((p) => p.code)).toEqual(['birth_date_impossible'])
    expect(month[0]?.id).toBe(
      'Digit 7–12 NIK (032195) seharusnya tanggal lahir, tetapi bulan 21 tidak ada. Dua angka mungkin tertukar: digit ke-9 dan ke-10.',
    )
    expect(problemsOf(check('3273013503950001', '1995-03-12'))[0]?.id).toContain('hari 35 tidak mungkin')
    expect(problemsOf(check('3273017203950001', '1995-03-12'))[0]?.id).toContain('hari 72 tidak mungkin')
    expect(problemsOf(check('3273013102950001', '1995-02-28'))[0]?.id).toContain('tanggal 31-02-1995 tidak ada')
    expect(problemsOf(check('3273012902010001', '2001-02-28'))[0]?.id).toContain('tanggal 29-02-2001 tidak ada')
  })

  it('chooses the century that puts a mismatched NIK date in the past', () => {
    expect(problemsOf(check('3273011203950001', '1996-03-12'))[0]?.id).toContain('120395 → 12-03-1995')
    expect(problemsOf(check('3273011506260001', '1990-06-15'))[0]?.id).toContain('150626 → 15-06-1926')
    expect(problemsOf(check('3273011502260001', '1990-06-15'))[0]?.id).toContain('150226 → 15-02-2026')
  })

  it('refuses a sex that contradicts the day of birth', () => {
    const f = problemsOf(check('3273015203950001', '1995-03-12', 'M'))
    expect(f.map((p) => [p.code, p.field])).toEqual([['sex_mismatch', 'sex']])
    expect(f[0]?.id).toContain('(52) sudah ditambah 40')
    expect(problemsOf(check('3273011203950001', '1995-03-12', 'F'))[0]?.id).toContain('seharusnya 52')
  })

  it('refuses serial 0000 and a missing or future date of birth', () => {
    expect(codes(check('3273011203950000', '1995-03-12'))).toEqual(['serial_zero'])
    expect(problemsOf(check('3273011203950001', '1995-02-30')).map((p) => [p.code, p.field])).toEqual([
      ['date_of_birth_invalid', 'dateOfBirth'],
    ])
    expect(codes(check('3273011203950001', '2027-03-12'))).toContain('date_of_birth_in_future')
  })

  it('reports every independent problem at once', () => {
    expect(codes(check('9901013503950000', '1995-03-12'))).toEqual(['province_unknown', 'birth_date_impossible', 'serial_zero'])
  })
})

const districts = listProvinces().flatMap((p) => listRegencies(p.code).flatMap((r) => listDistricts(r.code)))
const pad = (n: number, w: number) => String(n).padStart(w, '0')
const arbPerson = fc.record({
  district: fc.constantFrom(...districts),
  birth: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date(`${today}T00:00:00Z`), noInvalidDate: true }),
  sex: fc.constantFrom<Sex>('M', 'F'),
  serial: fc.integer({ min: 1, max: 9999 }),
})
type ArbPerson = typeof arbPerson extends fc.Arbitrary<infer T> ? T : never
function build(p: ArbPerson) {
  const dob = p.birth.toISOString().slice(0, 10)
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number]
  const nik = p.district.code.replaceAll('.', '') + pad(d + (p.sex === 'F' ? 40 : 0), 2) + pad(m, 2) + pad(y % 100, 2) + pad(p.serial, 4)
  return { nik, dob }
}

describe('checkNik properties', () => {
  it('accepts every well-built NIK and reads back its person', () => {
    fc.assert(
      fc.property(arbPerson, (p) => {
        const { nik, dob } = build(p)
        const r = check(nik, dob, p.sex)
        expect(r).toMatchObject({ ok: true, nik, sex: p.sex, birthDate: dob, warnings: [] })
        expect(check(nik, dob)).toMatchObject({ ok: true, sex: p.sex })
      }),
    )
  })

  it('names both digits of any adjacent swap inside the birth date', () => {
    fc.assert(
      fc.property(arbPerson, fc.integer({ min: 7, max: 11 }), (p, pos) => {
        const { nik, dob } = build(p)
        const a = nik[pos - 1]
        const b = nik[pos]
        fc.pre(a !== b)
        const swapped = nik.slice(0, pos - 1) + b + a + nik.slice(pos + 1)
        const ps = problemsOf(check(swapped, dob, p.sex))
        expect(ps).toHaveLength(1)
        expect(ps[0]?.positions).toEqual([pos, pos + 1])
        expect(ps[0]?.id).toContain(`tertukar: digit ke-${pos} dan ke-${pos + 1}`)
      }),
    )
  })

  it('names the digit of any single wrong digit in the birth date', () => {
    fc.assert(
      fc.property(arbPerson, fc.integer({ min: 7, max: 12 }), fc.integer({ min: 1, max: 9 }), (p, pos, delta) => {
        const { nik, dob } = build(p)
        const wrong = String((Number(nik[pos - 1]) + delta) % 10)
        const typo = nik.slice(0, pos - 1) + wrong + nik.slice(pos)
        const ps = problemsOf(check(typo, dob, p.sex))
        expect(ps).toHaveLength(1)
        expect(ps[0]?.positions).toContain(pos)
        expect(ps[0]?.id).toContain(`ke-${pos}`)
      }),
    )
  })

  it('never fixes a look-alike letter silently', () => {
    fc.assert(
      fc.property(arbPerson, fc.integer({ min: 1, max: 16 }), (p, pos) => {
        const { nik, dob } = build(p)
        const letter = { '0': 'O', '1': 'l', '5': 'S', '8': 'B' }[nik[pos - 1] ?? '']
        fc.pre(letter !== undefined)
        const ps = problemsOf(check(nik.slice(0, pos - 1) + letter + nik.slice(pos), dob, p.sex))
        expect(ps.map((x) => [x.code, x.positions])).toEqual([['letter_for_digit', [pos]]])
      }),
    )
  })

  it('answers any input with a result whose every message is in both languages', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), fc.string({ maxLength: 12 }), (input, dob) => {
        const r = checkNik(input, { dateOfBirth: dob, today })
        const messages = r.ok ? r.warnings : r.problems
        for (const m of messages) {
          expect(m.id.length).toBeGreaterThan(20)
          expect(m.en.length).toBeGreaterThan(20)
          expect(m.id).not.toBe(m.en)
        }
        if (!r.ok) expect(r.problems.length).toBeGreaterThan(0)
      }),
    )
  })
})

describe('age', () => {
  it('counts completed years, with 29 February turning over on 1 March', () => {
    expect(ageOn('1995-03-12', '2026-03-11')).toBe(30)
    expect(ageOn('1995-03-12', '2026-03-12')).toBe(31)
    expect(ageOn('2000-02-29', '2018-02-28')).toBe(17)
    expect(ageOn('2000-02-29', '2018-03-01')).toBe(18)
    expect(ageOn('2000-02-29', '2020-02-29')).toBe(20)
    expect(() => ageOn('2000-02-30', '2020-01-01')).toThrow(RangeError)
  })

  it('is n on the n-th birthday and n - 1 the day before', () => {
    fc.assert(
      fc.property(arbPerson, fc.integer({ min: 1, max: 90 }), (p, n) => {
        const { dob } = build(p)
        const birthday = new Date(`${dob}T00:00:00Z`)
        birthday.setUTCFullYear(birthday.getUTCFullYear() + n)
        if (dob.endsWith('02-29') && birthday.getUTCMonth() === 2) birthday.setUTCDate(1)
        const on = birthday.toISOString().slice(0, 10)
        const dayBefore = new Date(birthday.getTime() - 86_400_000).toISOString().slice(0, 10)
        expect(ageOn(dob, on)).toBe(n)
        expect(ageOn(dob, dayBefore)).toBe(n - 1)
      }),
    )
  })

  it('admits 18 to 64 and tells the others when or why not', () => {
    expect(checkAge('2008-03-12', '2026-03-12')).toEqual({ ok: true, age: 18 })
    expect(checkAge('1961-03-13', '2026-03-12')).toEqual({ ok: true, age: 64 })
    const young = checkAge('2008-03-13', '2026-03-12')
    expect(young).toMatchObject({ ok: false, age: 17, eligibleFrom: '2026-03-13' })
    if (!young.ok) {
      expect(young.problem.id).toMatch(/^Usia Anda 17 tahun; program ini untuk usia 18–64 tahun\. Anda bisa mendaftar mulai 13 Maret 2026\./)
      expect(young.problem.en).toContain('from 13 March 2026')
    }
    const old = checkAge('1961-03-12', '2026-03-12')
    expect(old).toMatchObject({ ok: false, age: 65, eligibleFrom: null, problem: { code: 'too_old' } })
  })
})
