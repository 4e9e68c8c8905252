import { describe, expect, it } from 'vitest'
import { parseCsv, parseCsvRecords } from './csv.ts'
import { FORMER_REGENCY_CODES } from './former-codes.ts'
import {
  getDistrict,
  getProvince,
  getRegency,
  listDistricts,
  listProvinces,
  listRegencies,
  regencyForFormerCode,
  regionFromNikPrefix,
} from './index.ts'

describe('parseCsv', () => {
  it('keeps commas and doubled quotes inside quoted fields', () => {
    expect(parseCsv('a,b\n"x, y","Ra""as"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'Ra"as'],
    ])
  })

  it('accepts CRLF, a missing final newline and empty fields', () => {
    expect(parseCsv('a,b\r\n1,\r\n,2')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['', '2'],
    ])
  })

  it('refuses an unterminated quote and a row with the wrong field count', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/quoted/)
    expect(() => parseCsvRecords('a,b\n1,2,3\n', 'x.csv')).toThrow(/x.csv line 2: 3 fields/)
  })
})

describe('the Kemendagri code list', () => {
  const provinces = listProvinces()
  const regencies = provinces.flatMap((p) => listRegencies(p.code))
  const districts = regencies.flatMap((r) => listDistricts(r.code))

  it('has 38 provinces, 514 regencies and cities, and every district once', () => {
    expect(provinces).toHaveLength(38)
    expect(regencies).toHaveLength(514)
    expect(regencies.filter((r) => r.kind === 'kota')).toHaveLength(98)
    expect(districts.length).toBeGreaterThan(7200)
    expect(districts.length).toBeLessThan(7400)
    expect(new Set(districts.map((d) => d.code)).size).toBe(districts.length)
  })

  it('nests every code in its parent and formats codes as PP, PP.KK, PP.KK.CC', () => {
    for (const r of regencies) {
      expect(r.code).toMatch(/^\d{2}\.\d{2}$/)
      expect(r.code.startsWith(`${r.provinceCode}.`)).toBe(true)
    }
    for (const d of districts) {
      expect(d.code).toMatch(/^\d{2}\.\d{2}\.\d{2}$/)
      expect(d.code.startsWith(`${d.regencyCode}.`)).toBe(true)
      expect(getDistrict(d.code)).toBe(d)
    }
  })

  it('looks up names in Indonesian as given, including quoted ones', () => {
    expect(getProvince('11')?.name).toBe('Aceh')
    expect(getProvince('31')?.name).toBe('Daerah Khusus Ibukota Jakarta')
    expect(getRegency('32.73')).toMatchObject({ name: 'Kota Bandung', kind: 'kota', shortName: 'Bandung' })
    expect(getRegency('31.71')?.shortName).toBe('Jakarta Pusat')
    expect(getRegency('11.01')).toMatchObject({ kind: 'kabupaten', shortName: 'Aceh Selatan' })
    expect(getDistrict('11.01.01')?.name).toBe('Bakongan')
    expect(getDistrict('35.29.22')?.name).toBe('Ra"as')
  })

  it('answers null or an empty list for unknown codes', () => {
    expect(getProvince('99')).toBeNull()
    expect(getRegency('11.99')).toBeNull()
    expect(getRegency('1101')).toBeNull()
    expect(getDistrict('11.01.99')).toBeNull()
    expect(listRegencies('99')).toEqual([])
    expect(listDistricts('11.99')).toEqual([])
  })

  it('is immutable', () => {
    expect(Object.isFrozen(listProvinces())).toBe(true)
    expect(Object.isFrozen(getProvince('11'))).toBe(true)
    expect(Object.isFrozen(listDistricts('11.01'))).toBe(true)
    expect(() => (listProvinces() as unknown as unknown[]).push({})).toThrow()
  })
})

describe('regionFromNikPrefix', () => {
  it('maps PPKKCC to PP.KK.CC', () => {
    const r = regionFromNikPrefix('110101')
    expect(r?.province.name).toBe('Aceh')
    expect(r?.regency.name).toBe('Kabupaten Aceh Selatan')
    expect(r?.district?.name).toBe('Bakongan')
    expect(r?.formerRegencyCode).toBeNull()
  })

  it('reads the first six digits of a whole NIK', () => {
    expect(regionFromNikPrefix('3273011203950001')?.regency.code).toBe('32.73')
  })

  it('keeps a known regency when only the district is unknown', () => {
    const r = regionFromNikPrefix('110199')
    expect(r?.regency.code).toBe('11.01')
    expect(r?.district).toBeNull()
  })

  it('answers null for an unknown province or regency or a malformed prefix', () => {
    expect(regionFromNikPrefix('990101')).toBeNull()
    expect(regionFromNikPrefix('119901')).toBeNull()
    expect(regionFromNikPrefix('11010')).toBeNull()
    expect(regionFromNikPrefix('11O101')).toBeNull()
  })

  it('resolves pre-split codes to the regency that now holds them', () => {
    const r = regionFromNikPrefix('640401')
    expect(r?.regency.name).toBe('Kabupaten Bulungan')
    expect(r?.province.name).toBe('Kalimantan Utara')
    expect(r?.formerRegencyCode).toBe('64.04')
    expect(regionFromNikPrefix('910101')?.regency.name).toBe('Kabupaten Merauke')
  })

  it('lists former codes only where the current list leaves the number unused', () => {
    for (const [former, current] of Object.entries(FORMER_REGENCY_CODES)) {
      expect(getRegency(former)).toBeNull()
      expect(regencyForFormerCode(former)?.code).toBe(current)
    }
  })
})
