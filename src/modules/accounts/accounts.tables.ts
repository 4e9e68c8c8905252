import type { ColumnType, Generated } from 'kysely'

export const ROLES = ['participant', 'officer', 'agent', 'supervisor', 'pmo_admin', 'auditor', 'platform', 'provider'] as const
export type Role = (typeof ROLES)[number]
export type AccountStatus = 'pending' | 'active' | 'frozen' | 'closed'

export interface AccountsTable {
  id: Generated<string>
  email: string | null
  phone: string | null
  display_name: string
  password_hash: string | null
  role: Role
  region_code: string | null
  partner_code: string | null
  locale: Generated<'id' | 'en'>
  status: Generated<AccountStatus>
  created_at: ColumnType<Date, Date | string | undefined, never>
  email_verified_at: Date | null
  phone_verified_at: Date | null
  failed_logins: Generated<number>
  locked_until: Date | null
  /** The identity checks of the newest round all passed: kept by a trigger on registration_checks (decision 0015), never written here. */
  checks_passed: Generated<boolean>
}

export type CodePurpose = 'email_verify' | 'phone_verify' | 'login' | 'password_reset' | 'email_change' | 'phone_change'

export interface VerificationCodesTable {
  id: Generated<string>
  account_id: string
  purpose: CodePurpose
  channel: 'email' | 'sms'
  sent_to: string
  code_hash: string
  link_token_hash: string | null
  not_me_token_hash: string | null
  attempts: Generated<number>
  created_at: Date
  expires_at: Date
  consumed_at: Date | null
}

export interface AuthFailuresTable {
  id: Generated<number>
  ip: string
  account_id: string | null
  kind: 'password' | 'code'
  at: Date
}

export interface FraudSignalsTable {
  id: Generated<string>
  kind: string
  account_id: string | null
  details: ColumnType<Record<string, unknown>, string, string>
  ip: string | null
  status: Generated<'open' | 'cleared' | 'referred'>
  created_at: Date
}

export interface ContactChangesTable {
  id: Generated<string>
  account_id: string
  kind: 'email' | 'phone'
  old_value: string | null
  new_value: string
  cancel_token_hash: string
  requested_at: Date
  effective_at: Date
  cancelled_at: Date | null
  applied_at: Date | null
  outcome_note: string | null
}

export interface AccountsTables {
  contact_changes: ContactChangesTable
  accounts: AccountsTable
  verification_codes: VerificationCodesTable
  auth_failures: AuthFailuresTable
  fraud_signals: FraudSignalsTable
}
