/** How each kind of transfer row moves the four balance columns of its two accounts. */
import type { BalanceChange } from './ledger.repository.ts'
import type { TransferKind } from './ledger.tables.ts'

export interface Balances {
  debitsPosted: number
  creditsPosted: number
  debitsPending: number
  creditsPending: number
}

/** Posted balance: what has really arrived minus what has really left. */
export function postedBalance(b: Balances): number {
  return b.creditsPosted - b.debitsPosted
}

/** Available = posted balance − open holds on money leaving the account. */
export function availableBalance(b: Balances): number {
  return b.creditsPosted - b.debitsPosted - b.debitsPending
}

/**
 * `amount` is the row's amount; `holdAmount` the amount its hold reserved (resolutions only).
 * A post of P from a hold of H posts P and releases all of H: the remainder H − P is free again.
 */
export function balanceChanges(
  kind: TransferKind,
  debitAccountId: number,
  creditAccountId: number,
  amount: number,
  holdAmount: number | null,
): [BalanceChange, BalanceChange] {
  const debit: BalanceChange = { accountId: debitAccountId, debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 }
  const credit: BalanceChange = { accountId: creditAccountId, debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 }
  const held = holdAmount ?? 0
  switch (kind) {
    case 'single':
      debit.debitsPosted = amount
      credit.creditsPosted = amount
      break
    case 'pending':
      debit.debitsPending = amount
      credit.creditsPending = amount
      break
    case 'post':
      debit.debitsPosted = amount
      credit.creditsPosted = amount
      debit.debitsPending = -held
      credit.creditsPending = -held
      break
    case 'void':
    case 'expire':
      debit.debitsPending = -held
      credit.creditsPending = -held
      break
  }
  return [debit, credit]
}
