/**
 * A deterministic synthetic population for the sandbox civil registry (Dukcapil): families
 * on one KK each, with NIKs and KK numbers built the way the real ones are, so every rule
 * the registration checks apply meets realistic data. Streaming: households are produced
 * one at a time and only the serial counters stay in memory (a few MB, whatever the size).
 */
import { listDistricts, listProvinces, listRegencies, type District, type Province, type Regency } from '../../modules/regions/index.ts'
import { newFamilyName, personName, type Sex } from './names.ts'
import { HAMLETS, STREETS, VILLAGE_PARTS } from './name-parts.ts'
import { drawWork, type EligibilityFlags } from './person-traits.ts'
import { createRng, type Rng } from './prng.ts'
import {
  HOUSEHOLD_SIZES,
  PROVINCE_PROFILES,
  RELIGION_BY_CULTURE,
  type Culture,
  type Education,
  type EmploymentStatus,
  type MaritalStatus,
  type Occupation,
  type Relationship,
  type Religion,
} from './registry-values.ts'

export type { Sex, EligibilityFlags }

export interface PopulationOptions {
  readonly seed: number
  /** Number of people; the last household is cut short to land on it exactly. */
  readonly size: number
  /** The day the population is observed, `YYYY-MM-DD`: ages and issue dates end there. */
  readonly asOf?: string
}

/** Fixed so that the same seed gives the same people whenever it runs. */
export const DEFAULT_AS_OF = '2026-01-01'

export interface Address {
  readonly line: string
  readonly rt: string
  readonly rw: string
  /** Kelurahan or desa. */
  readonly village: string
  readonly districtCode: string
  readonly district: string
  readonly regencyCode: string
  readonly regency: string
  readonly provinceCode: string
  readonly province: string
}

export interface Person {
  readonly nik: string
  readonly kk: string
  readonly relationship: Relationship
  readonly fullName: string
  readonly sex: Sex
  readonly dateOfBirth: string
  readonly placeOfBirth: string
  readonly religion: Religion
  readonly maritalStatus: MaritalStatus
  readonly education: Education
  readonly occupation: Occupation
  readonly employmentStatus: EmploymentStatus
  readonly citizenship: 'WNI'
  readonly fatherName: string
  readonly motherName: string
  readonly address: Address
  readonly flags: EligibilityFlags
}

export interface Household {
  readonly kk: string
  readonly kkIssueDate: string
  readonly address: Address
  readonly members: readonly Person[]
}

interface Place {
  readonly province: Province
  readonly regency: Regency
  readonly district: District
  readonly prefix: string
  readonly index: number
}

const DAY_MS = 86_400_000
const YEAR_DAYS = 365.2425
const FIRST_YEAR = 1900
const YEARS = 200

const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)
const pad = (n: number, width: number) => String(n).padStart(width, '0')

function places(): { list: Place[]; cumulative: Float64Array } {
  const list: Place[] = []
  const weights: number[] = []
  for (const province of listProvinces()) {
    const profile = PROVINCE_PROFILES[province.code]
    if (!profile) throw new Error(`no population profile for province ${province.code}`)
    const inProvince = listRegencies(province.code).flatMap((regency) => listDistricts(regency.code).map((district) => ({ regency, district })))
    for (const { regency, district } of inProvince) {
      list.push({ province, regency, district, prefix: district.code.replaceAll('.', ''), index: list.length })
      weights.push(profile.weight / inProvince.length)
    }
  }
  const cumulative = new Float64Array(weights.length)
  let total = 0
  weights.forEach((w, i) => {
    total += w
    cumulative[i] = total
  })
  return { list, cumulative }
}

/**
 * Serials count per district, year and sex rather than per exact birth date: still unique
 * for each NIK prefix, and bounded memory. KK numbers share the men's counters, whose
 * DDMMYY they can equal, so a KK number never repeats a NIK either.
 */
class Serials {
  private readonly counts: Uint16Array
  constructor(districtCount: number) {
    this.counts = new Uint16Array(districtCount * YEARS * 2)
  }
  next(place: Place, year: number, female: boolean): string {
    const i = (place.index * YEARS + (year - FIRST_YEAR)) * 2 + (female ? 1 : 0)
    const n = (this.counts[i] ?? 0) + 1
    if (n > 9999) throw new RangeError(`more than 9999 serials for ${place.district.code} in ${year}: the population is too large for one district`)
    this.counts[i] = n
    return pad(n, 4)
  }
}

interface Plan {
  readonly relationship: Relationship
  readonly sex: Sex
  readonly age: number
  readonly maritalStatus: MaritalStatus
  readonly birthOrder: number
}

function band(rng: Rng, bands: readonly (readonly [number, number, number])[]): number {
  const [lo, hi] = rng.weighted(bands.map((b) => [b, b[2]] as const))
  return rng.int(lo, hi)
}

function planHousehold(rng: Rng, size: number): Plan[] {
  if (size === 1) {
    const age = band(rng, [[19, 29, 35], [30, 49, 25], [50, 69, 25], [70, 90, 15]])
    const maritalStatus: MaritalStatus = age < 30 ? 'BELUM KAWIN' : rng.weighted([['BELUM KAWIN', 30], ['CERAI HIDUP', 25], ['CERAI MATI', 45]] as const)
    return [{ relationship: 'KEPALA KELUARGA', sex: rng.chance(0.55) ? 'M' : 'F', age, maritalStatus, birthOrder: rng.int(1, 4) }]
  }
  const headMale = rng.chance(0.86)
  const married = headMale && rng.chance(0.94)
  const withParent = size >= 4 && rng.chance(0.12)
  const children = size - 1 - (married ? 1 : 0) - (withParent ? 1 : 0)
  let headAge = band(rng, [[22, 29, 15], [30, 39, 28], [40, 49, 25], [50, 59, 18], [60, 75, 11], [76, 88, 3]])
  const gap = married ? rng.int(-2, 8) : headMale ? 3 : 0
  // A mother needs room for her children, at least a year apart, from the age of 19.
  const shortfall = 19 + children - (headAge - gap)
  if (children > 0 && shortfall > 0) headAge += shortfall
  const motherAge = Math.max(18, headAge - gap)
  const order = () => rng.int(1, 4)
  const plan: Plan[] = []
  if (married) {
    plan.push({ relationship: 'KEPALA KELUARGA', sex: 'M', age: headAge, maritalStatus: 'KAWIN', birthOrder: order() })
    plan.push({ relationship: 'ISTRI', sex: 'F', age: motherAge, maritalStatus: 'KAWIN', birthOrder: order() })
  } else {
    const maritalStatus: MaritalStatus = headAge < 35 && rng.chance(0.6) ? 'CERAI HIDUP' : 'CERAI MATI'
    plan.push({ relationship: 'KEPALA KELUARGA', sex: headMale ? 'M' : 'F', age: headAge, maritalStatus, birthOrder: order() })
  }
  if (withParent) {
    const age = Math.min(98, headAge + rng.int(20, 35))
    plan.push({ relationship: 'ORANG TUA', sex: rng.chance(0.65) ? 'F' : 'M', age, maritalStatus: 'CERAI MATI', birthOrder: order() })
  }
  let childAge = motherAge - rng.int(19, Math.max(19, Math.min(30, motherAge - children)))
  for (let n = 1; n <= children; n++) {
    const maritalStatus: MaritalStatus = childAge >= 25 && rng.chance(0.1) ? 'CERAI HIDUP' : 'BELUM KAWIN'
    plan.push({ relationship: 'ANAK', sex: rng.chance(0.51) ? 'M' : 'F', age: childAge, maritalStatus, birthOrder: n })
    const left = children - n
    if (left > 0) childAge -= Math.min(rng.int(1, 4), Math.floor(childAge / left))
  }
  return plan
}

function address(rng: Rng, place: Place, culture: Culture): Address {
  const urban = place.regency.kind === 'kota'
  const tradition = culture === 'javanese' || culture === 'sundanese' ? culture : 'other'
  let line: string
  if (urban || rng.chance(0.35)) {
    line = `${rng.chance(0.2) ? 'GG.' : 'JL.'} ${rng.pick(STREETS)} NO. ${rng.int(1, 120)}`
  } else {
    line = rng.pick(culture === 'balinese' ? HAMLETS.balinese : HAMLETS[tradition === 'other' ? 'other' : tradition])
  }
  const parts = VILLAGE_PARTS[tradition]
  return {
    line,
    rt: pad(rng.int(1, 15), 3),
    rw: pad(rng.int(1, 10), 3),
    village: `${rng.pick(parts.first)}${rng.pick(parts.last)}`,
    districtCode: place.district.code,
    district: place.district.name.toUpperCase(),
    regencyCode: place.regency.code,
    regency: place.regency.name.toUpperCase(),
    provinceCode: place.province.code,
    province: place.province.name.toUpperCase(),
  }
}

/** Households, one at a time, until `size` people have been produced. */
export function* generateHouseholds(options: PopulationOptions): Generator<Household> {
  if (!Number.isInteger(options.size) || options.size < 0) throw new RangeError(`size must be a whole number ≥ 0, got ${options.size}`)
  const asOf = options.asOf ?? DEFAULT_AS_OF
  const today = epochDay(asOf)
  if (Number.isNaN(today)) throw new RangeError(`asOf must be YYYY-MM-DD, got ${asOf}`)
  const rng = createRng(options.seed)
  const { list, cumulative } = places()
  const total = cumulative[cumulative.length - 1] ?? 0
  const serials = new Serials(list.length)
  const kkFloor = epochDay('2006-01-01')

  const pickPlace = (): Place => {
    const r = rng.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] ?? 0) > r) hi = mid
      else lo = mid + 1
    }
    return list[lo] ?? (list[0] as Place)
  }
  const birthPlace = (home: Place, child: boolean): string => {
    const r = rng.next()
    if (r < (child ? 0.9 : 0.7)) return home.regency.shortName.toUpperCase()
    if (r < 0.95) return rng.pick(listRegencies(home.province.code)).shortName.toUpperCase()
    return pickPlace().regency.shortName.toUpperCase()
  }
  const nikFor = (place: Place, dob: string, sex: Sex): string => {
    const year = Number(dob.slice(0, 4))
    const day = Number(dob.slice(8, 10)) + (sex === 'F' ? 40 : 0)
    const ddmmyy = pad(day, 2) + dob.slice(5, 7) + dob.slice(2, 4)
    return place.prefix + ddmmyy + serials.next(place, year, sex === 'F')
  }

  let produced = 0
  while (produced < options.size) {
    const place = pickPlace()
    const profile = PROVINCE_PROFILES[place.province.code]
    if (!profile) throw new Error(`no population profile for province ${place.province.code}`)
    const culture = rng.weighted(profile.cultures)
    const religion = rng.weighted(RELIGION_BY_CULTURE[culture])
    const plan = planHousehold(rng, Math.min(rng.weighted(HOUSEHOLD_SIZES), options.size - produced))
    const home = address(rng, place, culture)
    const inDtks = rng.chance(place.regency.kind === 'kota' ? 0.05 : 0.1)

    const dobs = plan.map((p) => isoOf(today - Math.floor((p.age + rng.next()) * YEAR_DAYS)))
    const head = plan[0]
    if (!head) continue
    const headFamily = newFamilyName(rng, culture, religion, place.province.code)
    const spouseFamily = newFamilyName(rng, culture, religion, place.province.code, headFamily)
    const fatherFamily = head.sex === 'M' ? headFamily : newFamilyName(rng, culture, religion, place.province.code, headFamily)
    const name = (sex: Sex, birthYear: number, familyName: string | null, birthOrder = 1) =>
      personName(rng, { culture, religion, provinceCode: place.province.code, birthYear, sex, familyName, birthOrder })

    const headYear = Number(dobs[0]?.slice(0, 4))
    const names = plan.map((p, i) => {
      const year = Number(dobs[i]?.slice(0, 4))
      if (p.relationship === 'KEPALA KELUARGA') return name(p.sex, year, headFamily, p.birthOrder)
      if (p.relationship === 'ISTRI') return name('F', year, spouseFamily, p.birthOrder)
      if (p.relationship === 'ORANG TUA') {
        const family = p.sex === 'M' ? headFamily : newFamilyName(rng, culture, religion, place.province.code, headFamily)
        return name(p.sex, year, family, p.birthOrder)
      }
      return name(p.sex, year, fatherFamily, p.birthOrder)
    })
    const spouseIndex = plan.findIndex((p) => p.relationship === 'ISTRI')
    const headName = names[0] ?? ''
    const childFather = head.sex === 'M' ? headName : name('M', headYear - 3, fatherFamily)
    const childMother = head.sex === 'F' ? headName : spouseIndex >= 0 ? (names[spouseIndex] ?? '') : name('F', headYear, spouseFamily)

    const youngest = Math.max(...dobs.map(epochDay))
    const event = plan.some((p) => p.relationship === 'ANAK') ? youngest : epochDay(dobs[0] ?? asOf) + rng.int(20, 30) * 365
    const issueDay = Math.min(today, Math.max(event + rng.int(7, 400), kkFloor + rng.int(0, 5000)))
    const kkIssueDate = isoOf(issueDay)
    const kk = place.prefix + kkIssueDate.slice(8, 10) + kkIssueDate.slice(5, 7) + kkIssueDate.slice(2, 4) + serials.next(place, Number(kkIssueDate.slice(0, 4)), false)

    const members = plan.map((p, i): Person => {
      const dateOfBirth = dobs[i] ?? asOf
      const year = Number(dateOfBirth.slice(0, 4))
      const child = p.relationship === 'ANAK'
      const work = drawWork(rng, p.age, year, p.sex, place.regency.kind !== 'kota', inDtks)
      const ownFamily = p.relationship === 'ISTRI' ? spouseFamily : p.relationship === 'ORANG TUA' ? null : headFamily
      return {
        nik: nikFor(place, dateOfBirth, p.sex),
        kk,
        relationship: p.relationship,
        fullName: names[i] ?? '',
        sex: p.sex,
        dateOfBirth,
        placeOfBirth: birthPlace(place, child),
        religion,
        maritalStatus: p.maritalStatus,
        education: work.education,
        occupation: work.occupation,
        employmentStatus: work.employmentStatus,
        citizenship: 'WNI',
        fatherName: child ? childFather : name('M', year - 28, ownFamily),
        motherName: child ? childMother : name('F', year - 25, newFamilyName(rng, culture, religion, place.province.code, ownFamily)),
        address: home,
        flags: work.flags,
      }
    })
    produced += members.length
    yield { kk, kkIssueDate, address: home, members }
  }
}

/** The same population as `generateHouseholds`, one person at a time. */
export function* generatePeople(options: PopulationOptions): Generator<Person> {
  for (const household of generateHouseholds(options)) yield* household.members
}
