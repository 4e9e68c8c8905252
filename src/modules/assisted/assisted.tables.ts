import type { Generated } from 'kysely'

export const CONSENT_METHODS = ['spoken', 'signed'] as const
export type ConsentMethod = (typeof CONSENT_METHODS)[number]

/** A person registered in person by an officer: the consent they gave and whether they took over. */
export interface AssistedRegistrationsTable {
  account_id: string
  /** Printed on the slip; lets someone without e-mail or phone activate and log in. */
  reference: string
  /** The officer's regency at registration: officers of that regency may help until activation. */
  region_code: string
  registered_by: string
  consent_at: Date
  consent_method: ConsentMethod
  consent_version: string
  created_at: Date
  activated_at: Date | null
  activated_via: 'activation_code' | 'sms' | null
}

/** Single-use codes printed on the slip, stored only as keyed hashes. */
export interface AssistedActivationCodesTable {
  id: Generated<string>
  account_id: string
  code_hash: string
  issued_by: string
  attempts: Generated<number>
  created_at: Date
  expires_at: Date
  consumed_at: Date | null
}

export interface AssistedTables {
  assisted_registrations: AssistedRegistrationsTable
  assisted_activation_codes: AssistedActivationCodesTable
}
