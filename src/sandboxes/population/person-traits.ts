/**
 * Schooling, work and the eligibility flags, drawn by age, sex and cohort at roughly the
 * rates Indonesia has (civil servants ~3 % of adults, TNI and Polri well under 1 %, village
 * officials under 1 %), so the later exclusion checks meet a realistic few, not none or many.
 */
import type { Rng } from './prng.ts'
import type { Sex } from './names.ts'
import {
  ADULT_OCCUPATIONS,
  EMPLOYMENT_BY_OCCUPATION,
  type Education,
  type EmploymentStatus,
  type Occupation,
  type OtherProgramme,
} from './registry-values.ts'

export interface EligibilityFlags {
  readonly civilServant: boolean
  readonly military: boolean
  readonly police: boolean
  readonly villageOfficial: boolean
  readonly stateOfficial: boolean
  /** Enrolled in formal education (Dapodik or EMIS would know). */
  readonly student: boolean
  readonly otherProgrammes: readonly OtherProgramme[]
}

export interface Work {
  readonly education: Education
  readonly occupation: Occupation
  readonly employmentStatus: EmploymentStatus
  readonly flags: EligibilityFlags
}

type Weights<T> = readonly (readonly [T, number])[]

const EDUCATION_BY_COHORT: readonly (readonly [number, Weights<Education>])[] = [
  [1990, [['TAMAT SD/SEDERAJAT', 12], ['SLTP/SEDERAJAT', 18], ['SLTA/SEDERAJAT', 45], ['DIPLOMA I/II', 3], ['AKADEMI/DIPLOMA III/SARJANA MUDA', 6], ['DIPLOMA IV/STRATA I', 15], ['STRATA II', 1]]],
  [1970, [['BELUM TAMAT SD/SEDERAJAT', 4], ['TAMAT SD/SEDERAJAT', 25], ['SLTP/SEDERAJAT', 20], ['SLTA/SEDERAJAT', 35], ['AKADEMI/DIPLOMA III/SARJANA MUDA', 5], ['DIPLOMA IV/STRATA I', 10], ['STRATA II', 1]]],
  [0, [['TIDAK/BELUM SEKOLAH', 8], ['BELUM TAMAT SD/SEDERAJAT', 15], ['TAMAT SD/SEDERAJAT', 40], ['SLTP/SEDERAJAT', 15], ['SLTA/SEDERAJAT', 15], ['AKADEMI/DIPLOMA III/SARJANA MUDA', 2], ['DIPLOMA IV/STRATA I', 4], ['STRATA II', 0.8], ['STRATA III', 0.2]]],
]

const HIGHER: ReadonlySet<Education> = new Set(['SLTA/SEDERAJAT', 'DIPLOMA I/II', 'AKADEMI/DIPLOMA III/SARJANA MUDA', 'DIPLOMA IV/STRATA I', 'STRATA II', 'STRATA III'])

function education(rng: Rng, age: number, birthYear: number): Education {
  if (age < 6) return 'TIDAK/BELUM SEKOLAH'
  if (age < 13) return 'BELUM TAMAT SD/SEDERAJAT'
  if (age < 16) return 'TAMAT SD/SEDERAJAT'
  if (age < 19) return 'SLTP/SEDERAJAT'
  for (const [from, weights] of EDUCATION_BY_COHORT) if (birthYear >= from) return rng.weighted(weights)
  return 'TAMAT SD/SEDERAJAT'
}

function adultOccupation(rng: Rng, age: number, sex: Sex, edu: Education, rural: boolean): Occupation {
  const male = sex === 'M'
  if (age >= 22 && age <= 58 && rng.chance(HIGHER.has(edu) ? 0.045 : 0.008)) return 'PEGAWAI NEGERI SIPIL'
  if (age <= 53 && rng.chance(male ? 0.007 : 0.0004)) return 'TENTARA NASIONAL INDONESIA'
  if (age <= 58 && rng.chance(male ? 0.006 : 0.0008)) return 'KEPOLISIAN RI'
  if (rural && age >= 25 && age <= 60) {
    if (rng.chance(0.0008)) return 'KEPALA DESA'
    if (rng.chance(0.007)) return 'PERANGKAT DESA'
  }
  if (age >= 30 && rng.chance(0.0003)) return rng.chance(0.97) ? 'ANGGOTA DPRD KABUPATEN/KOTA' : 'BUPATI'
  if (age >= 58 && rng.chance(0.15)) return 'PENSIUNAN'
  if (age >= 65 && rng.chance(0.45)) return 'BELUM/TIDAK BEKERJA'
  if (!male && rng.chance(0.35)) return 'MENGURUS RUMAH TANGGA'
  return rng.weighted(ADULT_OCCUPATIONS)
}

function employment(rng: Rng, occupation: Occupation, age: number): EmploymentStatus {
  const fixed = EMPLOYMENT_BY_OCCUPATION[occupation]
  if (occupation === 'MENGURUS RUMAH TANGGA') return age < 60 && rng.chance(0.12) ? 'job_seeker' : 'not_in_labour_force'
  if (fixed) return fixed
  if (occupation === 'BELUM/TIDAK BEKERJA') {
    if (age < 18 || age >= 60) return 'not_in_labour_force'
    return rng.weighted<EmploymentStatus>([['job_seeker', 55], ['laid_off', 15], ['not_in_labour_force', 30]])
  }
  // The registry keeps the occupation of someone since laid off: its data is often stale.
  if (occupation === 'KARYAWAN SWASTA' && rng.chance(0.04)) return 'laid_off'
  return 'employee'
}

export function drawWork(rng: Rng, age: number, birthYear: number, sex: Sex, rural: boolean, householdInDtks: boolean): Work {
  const edu = education(rng, age, birthYear)
  let occupation: Occupation
  if (age < 5) occupation = 'BELUM/TIDAK BEKERJA'
  else if (age < 18) occupation = rng.chance(0.92) ? 'PELAJAR/MAHASISWA' : 'BELUM/TIDAK BEKERJA'
  else if (age <= 24 && rng.chance(HIGHER.has(edu) ? 0.33 : 0.05)) occupation = 'PELAJAR/MAHASISWA'
  else occupation = adultOccupation(rng, age, sex, edu, rural)
  const employmentStatus = employment(rng, occupation, age)
  const otherProgrammes: OtherProgramme[] = []
  if (householdInDtks) otherProgrammes.push('DTKS')
  if (employmentStatus === 'employee' && rng.chance(0.06)) otherProgrammes.push('BSU')
  if (employmentStatus === 'self_employed' && rng.chance(0.05)) otherProgrammes.push('BPUM')
  return {
    education: edu,
    occupation,
    employmentStatus,
    flags: {
      civilServant: occupation === 'PEGAWAI NEGERI SIPIL',
      military: occupation === 'TENTARA NASIONAL INDONESIA',
      police: occupation === 'KEPOLISIAN RI',
      villageOfficial: occupation === 'KEPALA DESA' || occupation === 'PERANGKAT DESA',
      stateOfficial: occupation === 'ANGGOTA DPRD KABUPATEN/KOTA' || occupation === 'BUPATI',
      student: occupation === 'PELAJAR/MAHASISWA',
      otherProgrammes,
    },
  }
}
