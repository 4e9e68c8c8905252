import type { ColumnType, Generated } from 'kysely'
import type { CivilField, ExclusionList, RegistryName } from './registries.ts'

export const CHECK_KINDS = ['civil_registry', 'education', 'exclusions'] as const
export type CheckKind = (typeof CHECK_KINDS)[number]

/** queued → (unavailable)* → passed | failed | gave_up. gave_up is PMO's to look at, never a "no". */
export type CheckOutcome = 'queued' | 'unavailable' | 'passed' | 'failed' | 'gave_up'

/** Why a check failed, stored as data and put into words when shown. */
export type CheckReason =
  | { readonly code: 'nik_not_found' }
  | { readonly code: 'mismatch'; readonly field: CivilField }
  | { readonly code: 'deceased' }
  | { readonly code: 'enrolled'; readonly institution: string | null }
  | { readonly code: 'declared_in_education' }
  | { readonly code: 'excluded'; readonly list: ExclusionList; readonly detail: string }

/**
 * A list entry that does not fail the check by itself but is kept for a later decision:
 * membership of another programme, which excludes a person or not depending on the wave's scheme.
 */
export interface CheckNote {
  readonly list: ExclusionList
  readonly detail: string
}

export interface CheckDetails {
  readonly reasons?: readonly CheckReason[]
  /** For a settled exclusions check: lists the person is on that did not fail it. */
  readonly notes?: readonly CheckNote[]
  /** For unavailable and gave_up: which registry and what went wrong. */
  readonly registry?: RegistryName
  readonly problem?: 'timeout' | 'outage' | 'error' | 'internal'
}

export interface RegistrationChecksTable {
  id: Generated<string>
  account_id: string
  round: number
  kind: CheckKind
  attempt: number
  outcome: CheckOutcome
  details: ColumnType<CheckDetails, string, never>
  at: Date
}

export interface RegistrationChecksTables {
  registration_checks: RegistrationChecksTable
}
