/**
 * The government registries the identity checks ask, as adapters: the civil registry
 * (Dukcapil), the education registries (Dapodik, PDDikti, EMIS) and the exclusion lists.
 * Production plugs in real clients; tests and `npm start` use the sandboxes in
 * `src/sandboxes/`, which answer from the synthetic population and fail the way the real
 * ones do. An answer ("not found", "mismatch") is a result; a registry that could not be
 * reached throws RegistryUnavailable, which the checks retry and never treat as a "no".
 */

export type CivilField = 'kk' | 'name' | 'birth_date'

export interface CivilQuery {
  readonly nik: string
  readonly kk: string
  readonly fullName: string
  /** `YYYY-MM-DD`. */
  readonly birthDate: string
}

export interface CivilAnswer {
  readonly outcome: 'match' | 'mismatch' | 'not_found'
  /** Empty unless the outcome is 'mismatch'. */
  readonly mismatches: readonly CivilField[]
  readonly deceased?: boolean
}

export interface CivilRegistry {
  verify(query: CivilQuery): Promise<CivilAnswer>
}

export interface EnrolmentAnswer {
  readonly enrolled: boolean
  readonly institution?: string
}

export interface EducationRegistry {
  isEnrolled(nik: string): Promise<EnrolmentAnswer>
}

export const EXCLUSION_LISTS = ['asn', 'tni', 'polri', 'village_official', 'state_official', 'dtks_other_programme'] as const
export type ExclusionList = (typeof EXCLUSION_LISTS)[number]

export interface ExclusionHit {
  readonly list: ExclusionList
  /** What the list says, e.g. the programme or the position; shown to the person. */
  readonly detail: string
}

export interface ExclusionLists {
  lookup(nik: string): Promise<readonly ExclusionHit[]>
}

export interface Registries {
  readonly civil: CivilRegistry
  readonly education: EducationRegistry
  readonly exclusions: ExclusionLists
}

export type RegistryName = 'civil_registry' | 'education_registry' | 'exclusion_lists'

/** The registry could not give an answer: timed out, down, or answered garbage. Retry later. */
export class RegistryUnavailable extends Error {
  constructor(
    readonly registry: RegistryName,
    readonly reason: 'timeout' | 'outage' | 'error',
    message?: string,
  ) {
    super(message ?? `${registry} unavailable (${reason})`)
    this.name = 'RegistryUnavailable'
  }
}
