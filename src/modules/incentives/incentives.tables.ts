import type { ColumnType, Generated } from 'kysely'

export type PayoutAccountStatus = 'pending_otp' | 'active' | 'replaced' | 'refused'
/**
 * scheduled → sending (money held, the partner may have been asked) → sent (acknowledged)
 * → paid (callback or statement). `unknown`: the partner did not answer; asked again with
 * the same key. `failed` (the hold returned) goes back to `scheduled` with the next attempt
 * once the participant fixed the cause.
 */
export type PayoutStatus = 'scheduled' | 'sending' | 'sent' | 'unknown' | 'paid' | 'failed' | 'cancelled'
export type FindingKind = 'missing' | 'duplicate' | 'mismatch' | 'unknown' | 'confirmed'
export type ClaimStatus = 'open' | 'repaid' | 'overdue'

export interface PayoutAccountsTable {
  id: Generated<string>
  account_id: string
  partner: string
  kind: 'bank' | 'ewallet'
  account_number: string
  holder_name: string
  status: PayoutAccountStatus
  otp_hash: string | null
  otp_attempts: Generated<number>
  otp_expires_at: Date | null
  created_at: Date
  confirmed_at: Date | null
  /** End of the cooling-off after a change of account: no payout goes to it before. */
  usable_from: Date | null
  ended_at: Date | null
  /** Frozen by PMO on an integrity signal: no payout goes to it until cleared. */
  frozen_at: Date | null
}

export interface IncentivePayoutsTable {
  id: Generated<string>
  account_id: string
  kind: 'course' | 'survey'
  /** The wave (course incentive) or the survey the payout is for. */
  source_ref: string
  sequence: number
  amount: number
  due_at: Date
  status: PayoutStatus
  attempt: Generated<number>
  payout_account_id: string | null
  partner: string | null
  masked_account: string | null
  hold_id: number | null
  batch_id: string | null
  partner_ref: string | null
  failure: string | null
  sent_at: Date | null
  paid_at: Date | null
  failed_at: Date | null
  created_at: Date
}

export interface PayoutEventsTable {
  id: Generated<number>
  payout_id: string
  kind: string
  details: ColumnType<Record<string, unknown>, string | undefined, never>
  at: Date
}

export interface PayoutBatchesTable {
  id: Generated<string>
  partner: string
  payouts: number
  total: number
  created_at: Date
}

export interface PayoutStatementsTable {
  partner: string
  day: string
  lines: number
  total: number
  reconciled_at: Date
}

export interface ReconciliationFindingsTable {
  id: Generated<number>
  partner: string
  day: string
  kind: FindingKind
  payout_id: string | null
  partner_key: string
  details: ColumnType<Record<string, unknown>, string, never>
  created_at: Date
}

export interface RepaymentClaimsTable {
  id: Generated<string>
  account_id: string
  amount: number
  reason: string
  status: ClaimStatus
  due_at: Date
  created_by: string | null
  created_at: Date
  settled_at: Date | null
}

export interface IncentivesTables {
  payout_accounts: PayoutAccountsTable
  incentive_payouts: IncentivePayoutsTable
  payout_events: PayoutEventsTable
  payout_batches: PayoutBatchesTable
  payout_statements: PayoutStatementsTable
  reconciliation_findings: ReconciliationFindingsTable
  repayment_claims: RepaymentClaimsTable
}
