/**
 * The official Kemendagri code list (provinces, regencies and cities, districts), read from
 * the CSV files of the `idn-area-data` package. It is reference data shipped with the code,
 * not state: loaded once on first use, frozen, and the same for every caller, so a lazily
 * built module-level index is safe here. The package's JavaScript is not imported (its
 * engines field asks for Node 22); only its data files are read.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { parseCsvRecords } from './csv.ts'
import { FORMER_REGENCY_CODES } from './former-codes.ts'

export interface Province {
  /** Two digits, e.g. `32`. */
  readonly code: string
  readonly name: string
}

export interface Regency {
  /** `PP.KK`, e.g. `32.73`; `KK` from 71 up is a city (kota). */
  readonly code: string
  readonly provinceCode: string
  /** As Kemendagri writes it: `Kabupaten Bandung`, `Kota Administrasi Jakarta Pusat`. */
  readonly name: string
  readonly kind: 'kabupaten' | 'kota'
  /** Without the `Kabupaten`/`Kota (Administrasi)` prefix, as a place of birth is written. */
  readonly shortName: string
}

export interface District {
  /** `PP.KK.CC`, e.g. `32.73.01`. */
  readonly code: string
  readonly regencyCode: string
  readonly name: string
}

export interface NikRegion {
  readonly province: Province
  readonly regency: Regency
  /** Null when the district code is not (or no longer) in the list. */
  readonly district: District | null
  /** The pre-split regency code the number carries, when it carries one (see former-codes.ts). */
  readonly formerRegencyCode: string | null
}

interface RegionIndex {
  readonly provinces: readonly Province[]
  readonly provinceByCode: ReadonlyMap<string, Province>
  readonly regencyByCode: ReadonlyMap<string, Regency>
  readonly districtByCode: ReadonlyMap<string, District>
  readonly regenciesByProvince: ReadonlyMap<string, readonly Regency[]>
  readonly districtsByRegency: ReadonlyMap<string, readonly District[]>
}

const EMPTY: readonly never[] = Object.freeze([])
let index: RegionIndex | null = null

function dataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('idn-area-data/package.json')
  return path.join(path.dirname(pkg), 'data')
}

function readRecords(file: string): Record<string, string>[] {
  const full = path.join(dataDir(), file)
  return parseCsvRecords(fs.readFileSync(full, 'utf8'), full)
}

function required(rec: Record<string, string>, key: string, file: string): string {
  const v = rec[key]
  if (v === undefined || v === '') throw new Error(`${file}: a row has no ${key}`)
  return v
}

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, readonly T[]> {
  const m = new Map<string, T[]>()
  for (const it of items) {
    const k = key(it)
    const list = m.get(k)
    if (list) list.push(it)
    else m.set(k, [it])
  }
  for (const list of m.values()) Object.freeze(list)
  return m
}

function load(): RegionIndex {
  const provinces = readRecords('provinces.csv').map((r) =>
    Object.freeze({ code: required(r, 'code', 'provinces.csv'), name: required(r, 'name', 'provinces.csv') }),
  )
  const regencies = readRecords('regencies.csv').map((r): Regency => {
    const name = required(r, 'name', 'regencies.csv')
    const code = required(r, 'code', 'regencies.csv')
    return Object.freeze({
      code,
      provinceCode: required(r, 'province_code', 'regencies.csv'),
      name,
      kind: name.startsWith('Kota') ? 'kota' : 'kabupaten',
      shortName: name.replace(/^(Kabupaten|Kota)( Administrasi)? /, ''),
    })
  })
  const districts = readRecords('districts.csv').map((r) =>
    Object.freeze({
      code: required(r, 'code', 'districts.csv'),
      regencyCode: required(r, 'regency_code', 'districts.csv'),
      name: required(r, 'name', 'districts.csv'),
    }),
  )
  const byCode = <T extends { code: string }>(list: readonly T[]) => new Map(list.map((x) => [x.code, x] as const))
  return Object.freeze({
    provinces: Object.freeze(provinces),
    provinceByCode: byCode(provinces),
    regencyByCode: byCode(regencies),
    districtByCode: byCode(districts),
    regenciesByProvince: group(regencies, (r) => r.provinceCode),
    districtsByRegency: group(districts, (d) => d.regencyCode),
  })
}

function regions(): RegionIndex {
  index ??= load()
  return index
}

export function getProvince(code: string): Province | null {
  return regions().provinceByCode.get(code) ?? null
}

export function getRegency(code: string): Regency | null {
  return regions().regencyByCode.get(code) ?? null
}

export function getDistrict(code: string): District | null {
  return regions().districtByCode.get(code) ?? null
}

export function listProvinces(): readonly Province[] {
  return regions().provinces
}

export function listRegencies(provinceCode: string): readonly Regency[] {
  return regions().regenciesByProvince.get(provinceCode) ?? EMPTY
}

export function listDistricts(regencyCode: string): readonly District[] {
  return regions().districtsByRegency.get(regencyCode) ?? EMPTY
}

/** The current regency for a pre-split code (`64.04` → Bulungan, now `65.01`), else null. */
export function regencyForFormerCode(code: string): Regency | null {
  const current = FORMER_REGENCY_CODES[code]
  return current === undefined ? null : getRegency(current)
}

/**
 * Reads the region out of the first six digits of a NIK or KK number (`PPKKCC` → `PP.KK.CC`).
 * Null when the prefix is not six digits or its province or regency does not exist; an
 * unknown district alone still answers, with `district: null`.
 */
export function regionFromNikPrefix(prefix: string): NikRegion | null {
  if (!/^\d{6}/.test(prefix)) return null
  const pp = prefix.slice(0, 2)
  const regencyCode = `${pp}.${prefix.slice(2, 4)}`
  const cc = prefix.slice(4, 6)
  const direct = getRegency(regencyCode)
  const regency = direct ?? regencyForFormerCode(regencyCode)
  if (!regency) return null
  const province = getProvince(regency.provinceCode)
  if (!province) return null
  return {
    province,
    regency,
    district: getDistrict(`${regency.code}.${cc}`),
    formerRegencyCode: direct ? null : regencyCode,
  }
}
