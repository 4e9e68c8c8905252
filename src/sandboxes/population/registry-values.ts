/**
 * The value sets Dukcapil uses (as printed on the KK and returned by its API) and the
 * weights that make a synthetic population look like Indonesia's: population by province
 * (2020 census, in hundred thousands) and the naming traditions living there.
 */
export const RELIGIONS = ['ISLAM', 'KRISTEN', 'KATOLIK', 'HINDU', 'BUDDHA', 'KONGHUCU', 'KEPERCAYAAN TERHADAP TUHAN YME'] as const
export type Religion = (typeof RELIGIONS)[number]

export const MARITAL_STATUSES = ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'] as const
export type MaritalStatus = (typeof MARITAL_STATUSES)[number]

export const RELATIONSHIPS = ['KEPALA KELUARGA', 'SUAMI', 'ISTRI', 'ANAK', 'ORANG TUA'] as const
export type Relationship = (typeof RELATIONSHIPS)[number]

export const EDUCATION_LEVELS = [
  'TIDAK/BELUM SEKOLAH',
  'BELUM TAMAT SD/SEDERAJAT',
  'TAMAT SD/SEDERAJAT',
  'SLTP/SEDERAJAT',
  'SLTA/SEDERAJAT',
  'DIPLOMA I/II',
  'AKADEMI/DIPLOMA III/SARJANA MUDA',
  'DIPLOMA IV/STRATA I',
  'STRATA II',
  'STRATA III',
] as const
export type Education = (typeof EDUCATION_LEVELS)[number]

/** A subset of Dukcapil's 89 occupation codes, enough to cover eligibility and realism. */
export const OCCUPATIONS = [
  'BELUM/TIDAK BEKERJA',
  'MENGURUS RUMAH TANGGA',
  'PELAJAR/MAHASISWA',
  'PENSIUNAN',
  'PEGAWAI NEGERI SIPIL',
  'TENTARA NASIONAL INDONESIA',
  'KEPOLISIAN RI',
  'KEPALA DESA',
  'PERANGKAT DESA',
  'ANGGOTA DPRD KABUPATEN/KOTA',
  'BUPATI',
  'PETANI/PEKEBUN',
  'PETERNAK',
  'NELAYAN/PERIKANAN',
  'PEDAGANG',
  'WIRASWASTA',
  'KARYAWAN SWASTA',
  'KARYAWAN BUMN',
  'KARYAWAN HONORER',
  'BURUH HARIAN LEPAS',
  'BURUH TANI/PERKEBUNAN',
  'SOPIR',
  'TUKANG BATU',
  'TUKANG JAHIT',
  'GURU',
  'PERAWAT',
  'BIDAN',
] as const
export type Occupation = (typeof OCCUPATIONS)[number]

/** The programme's own words for a person's work situation (Prakerja's profile step). */
export type EmploymentStatus = 'employee' | 'self_employed' | 'job_seeker' | 'laid_off' | 'student' | 'not_in_labour_force'

/** Other assistance programmes that excluded a person in the semi-social-assistance years. */
export type OtherProgramme = 'DTKS' | 'BSU' | 'BPUM'

export type Culture = 'javanese' | 'sundanese' | 'islamic' | 'batak' | 'balinese' | 'christian' | 'chinese'

type Weights<T> = readonly (readonly [T, number])[]

export const RELIGION_BY_CULTURE: Readonly<Record<Culture, Weights<Religion>>> = {
  javanese: [['ISLAM', 930], ['KRISTEN', 40], ['KATOLIK', 25], ['HINDU', 3], ['BUDDHA', 2], ['KEPERCAYAAN TERHADAP TUHAN YME', 1]],
  sundanese: [['ISLAM', 985], ['KRISTEN', 10], ['KATOLIK', 5]],
  islamic: [['ISLAM', 1]],
  batak: [['ISLAM', 35], ['KRISTEN', 55], ['KATOLIK', 10]],
  balinese: [['HINDU', 95], ['KRISTEN', 3], ['KATOLIK', 2]],
  christian: [['KRISTEN', 600], ['KATOLIK', 395], ['KEPERCAYAAN TERHADAP TUHAN YME', 5]],
  chinese: [['BUDDHA', 45], ['KRISTEN', 25], ['KATOLIK', 20], ['KONGHUCU', 7], ['ISLAM', 3]],
}

export interface ProvinceProfile {
  readonly weight: number
  readonly cultures: Weights<Culture>
}

export const PROVINCE_PROFILES: Readonly<Record<string, ProvinceProfile>> = {
  '11': { weight: 53, cultures: [['islamic', 1]] },
  '12': { weight: 148, cultures: [['batak', 45], ['islamic', 40], ['javanese', 10], ['chinese', 5]] },
  '13': { weight: 55, cultures: [['islamic', 1]] },
  '14': { weight: 64, cultures: [['islamic', 60], ['javanese', 25], ['batak', 10], ['chinese', 5]] },
  '15': { weight: 35, cultures: [['islamic', 70], ['javanese', 30]] },
  '16': { weight: 85, cultures: [['islamic', 75], ['javanese', 25]] },
  '17': { weight: 20, cultures: [['islamic', 75], ['javanese', 25]] },
  '18': { weight: 90, cultures: [['javanese', 60], ['islamic', 30], ['sundanese', 10]] },
  '19': { weight: 15, cultures: [['islamic', 80], ['chinese', 20]] },
  '21': { weight: 21, cultures: [['islamic', 50], ['javanese', 20], ['chinese', 15], ['batak', 15]] },
  '31': { weight: 106, cultures: [['javanese', 40], ['islamic', 25], ['sundanese', 15], ['chinese', 8], ['batak', 7], ['christian', 5]] },
  '32': { weight: 483, cultures: [['sundanese', 80], ['javanese', 15], ['islamic', 3], ['chinese', 2]] },
  '33': { weight: 365, cultures: [['javanese', 98], ['chinese', 2]] },
  '34': { weight: 37, cultures: [['javanese', 1]] },
  '35': { weight: 410, cultures: [['javanese', 85], ['islamic', 13], ['chinese', 2]] },
  '36': { weight: 119, cultures: [['sundanese', 65], ['javanese', 20], ['islamic', 15]] },
  '51': { weight: 43, cultures: [['balinese', 85], ['javanese', 10], ['islamic', 5]] },
  '52': { weight: 53, cultures: [['islamic', 95], ['balinese', 5]] },
  '53': { weight: 53, cultures: [['christian', 85], ['islamic', 15]] },
  '61': { weight: 54, cultures: [['islamic', 55], ['christian', 30], ['chinese', 10], ['javanese', 5]] },
  '62': { weight: 27, cultures: [['islamic', 60], ['javanese', 25], ['christian', 15]] },
  '63': { weight: 41, cultures: [['islamic', 85], ['javanese', 15]] },
  '64': { weight: 38, cultures: [['islamic', 50], ['javanese', 35], ['christian', 10], ['batak', 5]] },
  '65': { weight: 7, cultures: [['islamic', 60], ['christian', 30], ['javanese', 10]] },
  '71': { weight: 26, cultures: [['christian', 70], ['islamic', 30]] },
  '72': { weight: 30, cultures: [['islamic', 80], ['christian', 20]] },
  '73': { weight: 91, cultures: [['islamic', 90], ['christian', 10]] },
  '74': { weight: 26, cultures: [['islamic', 95], ['javanese', 5]] },
  '75': { weight: 12, cultures: [['islamic', 1]] },
  '76': { weight: 14, cultures: [['islamic', 85], ['christian', 15]] },
  '81': { weight: 18, cultures: [['christian', 50], ['islamic', 50]] },
  '82': { weight: 13, cultures: [['islamic', 75], ['christian', 25]] },
  '91': { weight: 10, cultures: [['christian', 70], ['islamic', 20], ['javanese', 10]] },
  '92': { weight: 6, cultures: [['christian', 55], ['islamic', 30], ['javanese', 15]] },
  '93': { weight: 5, cultures: [['christian', 60], ['islamic', 25], ['javanese', 15]] },
  '94': { weight: 14, cultures: [['christian', 80], ['islamic', 20]] },
  '95': { weight: 14, cultures: [['christian', 95], ['islamic', 5]] },
  '96': { weight: 6, cultures: [['christian', 60], ['islamic', 40]] },
}

/** Household size shares, averaging about 3.8 people as the census does. */
export const HOUSEHOLD_SIZES: Weights<number> = [[1, 8], [2, 15], [3, 21], [4, 24], [5, 16], [6, 9], [7, 7]]

/** Adults' work, before the age- and sex-specific adjustments in the generator. */
export const ADULT_OCCUPATIONS: Weights<Occupation> = [
  ['WIRASWASTA', 150],
  ['KARYAWAN SWASTA', 170],
  ['PETANI/PEKEBUN', 140],
  ['BURUH HARIAN LEPAS', 80],
  ['PEDAGANG', 70],
  ['BURUH TANI/PERKEBUNAN', 40],
  ['BELUM/TIDAK BEKERJA', 110],
  ['NELAYAN/PERIKANAN', 20],
  ['PETERNAK', 10],
  ['SOPIR', 20],
  ['TUKANG BATU', 15],
  ['TUKANG JAHIT', 8],
  ['KARYAWAN HONORER', 20],
  ['KARYAWAN BUMN', 8],
  ['GURU', 15],
  ['PERAWAT', 4],
  ['BIDAN', 2],
]

export const EMPLOYMENT_BY_OCCUPATION: Readonly<Partial<Record<Occupation, EmploymentStatus>>> = {
  'WIRASWASTA': 'self_employed',
  'PETANI/PEKEBUN': 'self_employed',
  'PEDAGANG': 'self_employed',
  'NELAYAN/PERIKANAN': 'self_employed',
  'PETERNAK': 'self_employed',
  'TUKANG JAHIT': 'self_employed',
  'PELAJAR/MAHASISWA': 'student',
  'PENSIUNAN': 'not_in_labour_force',
  'MENGURUS RUMAH TANGGA': 'not_in_labour_force',
}
