/**
 * Stripe's rule for a repeated idempotency key: the same request gets the first result, a
 * different request under the same key is refused. "Same" compares every parameter that
 * decides what the transfer does; the time it was made does not count.
 */
import type { TransferKind } from './ledger.tables.ts'

export interface TransferRequest {
  kind: TransferKind
  debitAccountId: number
  creditAccountId: number
  amount: number
  code: string
  referenceType: string
  referenceId: string
  pendingId: number | null
  timeoutSeconds: number | null
  memo: string | null
}

export function sameRequest(a: TransferRequest, b: TransferRequest): boolean {
  return (
    a.kind === b.kind &&
    a.debitAccountId === b.debitAccountId &&
    a.creditAccountId === b.creditAccountId &&
    a.amount === b.amount &&
    a.code === b.code &&
    a.referenceType === b.referenceType &&
    a.referenceId === b.referenceId &&
    a.pendingId === b.pendingId &&
    a.timeoutSeconds === b.timeoutSeconds &&
    a.memo === b.memo
  )
}

/** Keys the ledger makes itself (hold expiry) start with this; callers may not use it. */
export const RESERVED_KEY_PREFIX = 'ledger:'

export function expiryKey(holdId: number): string {
  return `${RESERVED_KEY_PREFIX}expire:${holdId}`
}
