/**
 * What the sandbox registries know about people: the synthetic population of a seed and
 * size, indexed by NIK, built on the first question (about a second for 20 000 people)
 * and kept for the life of the process, plus a few fixed residents such as the demo
 * participant. Some records carry the registry's own mistakes: an out-of-date KK number,
 * as when a family card was re-issued and Dukcapil's copy was never updated.
 */
import { createRng, generatePeople, type EligibilityFlags, type Sex } from '../population/index.ts'

export interface Resident {
  readonly nik: string
  /** The KK number the registry holds, which may be out of date (see wrongKkRate). */
  readonly kk: string
  readonly fullName: string
  readonly sex: Sex
  readonly dateOfBirth: string
  readonly religion: string
  readonly regency: string
  readonly deceased: boolean
  readonly flags: EligibilityFlags
}

export interface ResidentIndex {
  find(nik: string): Resident | undefined
  readonly size: number
}

export interface ResidentIndexOptions {
  readonly seed: number
  readonly size: number
  /** Share of records (0–1) whose KK number differs from the one the person holds. */
  readonly wrongKkRate: number
  readonly extra?: readonly Resident[]
}

const NO_FLAGS: EligibilityFlags = {
  civilServant: false,
  military: false,
  police: false,
  villageOfficial: false,
  stateOfficial: false,
  student: false,
  otherProgrammes: [],
}

/**
 * The demo participant (Siti Rahmawati, Agam): her NIK and KK are in every sandbox registry,
 * clean on every list, so the demo journey reaches "passed". Serial 9001 lies beyond what
 * the generator reaches for one district and year, so no generated person shares it.
 */
export const DEMO_RESIDENT: Resident = {
  nik: '1306025403959001',
  kk: '1306021207189001',
  fullName: 'SITI RAHMAWATI',
  sex: 'F',
  dateOfBirth: '1995-03-14',
  religion: 'ISLAM',
  regency: 'KAB. AGAM',
  deceased: false,
  flags: NO_FLAGS,
}

export function createResidentIndex(opts: ResidentIndexOptions): ResidentIndex {
  let byNik: Map<string, Resident> | null = null
  const build = (): Map<string, Resident> => {
    const map = new Map<string, Resident>()
    // A generator of its own, so the registry's mistakes never change who the people are.
    const mistakes = createRng(opts.seed ^ 0x5eed)
    for (const p of generatePeople({ seed: opts.seed, size: opts.size })) {
      const stale = mistakes.chance(opts.wrongKkRate)
      map.set(p.nik, {
        nik: p.nik,
        kk: stale ? p.kk.slice(0, 12) + String(mistakes.int(9100, 9999)) : p.kk,
        fullName: p.fullName,
        sex: p.sex,
        dateOfBirth: p.dateOfBirth,
        religion: p.religion,
        regency: p.address.regency,
        deceased: false,
        flags: p.flags,
      })
    }
    for (const r of opts.extra ?? []) map.set(r.nik, r)
    return map
  }
  return {
    find(nik) {
      byNik ??= build()
      return byNik.get(nik)
    },
    get size() {
      byNik ??= build()
      return byNik.size
    },
  }
}
