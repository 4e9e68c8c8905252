/**
 * The ledger's public door. Every rupiah in Karya moves through `createLedger(deps)`:
 * balanced transfers in integer rupiah between typed accounts, holds that are posted,
 * voided or expire, idempotency keys that make every call safe to repeat.
 */
export { createLedger, openAccount, findAccount, getBalance, ownerBalance, ledgerSql, PAYABLE_SHARDS, payableShard, EXPIRE_HOLD_JOB } from './ledger.service.ts'
export type {
  Ledger,
  LedgerDeps,
  LedgerAccount,
  Balance,
  Transfer,
  TransferInput,
  HoldInput,
  PostInput,
  VoidInput,
  TransferResult,
  Reference,
  ExpiryOutcome,
} from './ledger.service.ts'
export { createBatchLedger, type BatchLedger } from './ledger.batch.ts'
export { ACCOUNT_TYPES, TRANSFER_CODES, mayGoNegative, type AccountType, type TransferCode } from './codes.ts'
export { formatRupiah, CURRENCY } from './amount.ts'
export { checkLedger, recordCheck, latestCheck, type StoredCheck } from './ledger.check.ts'
export type { CheckReport, Problem, ProblemKind } from './invariants.ts'
export { listHistory, participantBalances, type HistoryPage } from './ledger.history.ts'
export { describeMovement, type Movement } from './history.ts'
export { defineLedgerJobs, requestCheck, CHECK_JOB } from './ledger.jobs.ts'
export { registerLedgerRoutes } from './ledger.routes.ts'
