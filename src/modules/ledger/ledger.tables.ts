import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { AccountType, TransferCode } from './codes.ts'

/** Balances cached on the row; changed only in the transaction that inserts the transfer rows. */
export interface LedgerAccountsTable {
  id: Generated<number>
  type: AccountType
  owner_ref: string | null
  /** 0, or for platform_payable one of PAYABLE_SHARDS accounts of the same owner (decision 0009). */
  shard: Generated<number>
  currency: Generated<'IDR'>
  may_go_negative: boolean
  debits_posted: Generated<number>
  credits_posted: Generated<number>
  debits_pending: Generated<number>
  credits_pending: Generated<number>
  created_at: ColumnType<Date, Date | string | undefined, never>
}

export type TransferKind = 'single' | 'pending' | 'post' | 'void' | 'expire'

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export interface LedgerTransfersTable {
  id: Generated<number>
  kind: TransferKind
  debit_account_id: number
  credit_account_id: number
  amount: number
  currency: Generated<'IDR'>
  code: TransferCode
  reference_type: string
  reference_id: string
  idempotency_key: string
  pending_id: number | null
  timeout_seconds: number | null
  expires_at: ColumnType<Date | null, Date | string | null, never>
  memo: string | null
  created_at: ColumnType<Date, Date | string | undefined, never>
}

export interface LedgerChecksTable {
  id: Generated<number>
  at: ColumnType<Date, Date | string, never>
  ok: boolean
  source: string
  requested_by: string | null
  report: JSONColumnType<Record<string, unknown>>
}

export interface LedgerTables {
  ledger_accounts: LedgerAccountsTable
  ledger_transfers: LedgerTransfersTable
  ledger_checks: LedgerChecksTable
}
