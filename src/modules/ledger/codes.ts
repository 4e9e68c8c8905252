/**
 * The kinds of account and of transfer, and which transfer may move money between which
 * kinds of account. Balances are credit-normal: balance = credits − debits, so money
 * arriving in an account is a credit and money leaving it a debit.
 */
export const ACCOUNT_TYPES = [
  'state_budget',
  'programme_fund',
  'participant_training',
  'participant_incentive',
  'platform_receivable',
  'platform_payable',
  'payout_clearing',
  'forfeited',
  'settlement',
] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

/**
 * Only accounts standing for the world outside the ledger may go below zero: the state
 * budget money enters from, the banks it leaves to, and claims on platforms. Mirrored by a
 * CHECK in the migration.
 */
const NEGATIVE_ALLOWED: ReadonlySet<AccountType> = new Set(['state_budget', 'settlement', 'platform_receivable'])

export function mayGoNegative(type: AccountType): boolean {
  return NEGATIVE_ALLOWED.has(type)
}

/** Account types held once per participant (owner_ref = the participant's account id). */
export const PARTICIPANT_TYPES: readonly AccountType[] = ['participant_training', 'participant_incentive']
/** Account types held once per partner platform (owner_ref = partner code). */
export const PLATFORM_TYPES: readonly AccountType[] = ['platform_receivable', 'platform_payable']

export function isAccountType(v: unknown): v is AccountType {
  return typeof v === 'string' && (ACCOUNT_TYPES as readonly string[]).includes(v)
}

type Route = readonly [debit: AccountType, credit: AccountType]

/** Each transfer code and the account-type routes it may take. */
export const TRANSFER_CODES = {
  fund_deposit: [['state_budget', 'programme_fund']],
  credit_balance: [['programme_fund', 'participant_training']],
  purchase: [['participant_training', 'platform_payable']],
  refund: [['platform_payable', 'participant_training']],
  forfeit: [
    ['participant_training', 'forfeited'],
    ['participant_incentive', 'forfeited'],
  ],
  recover: [['forfeited', 'programme_fund']],
  incentive: [['programme_fund', 'participant_incentive']],
  payout: [['participant_incentive', 'payout_clearing']],
  payout_settled: [['payout_clearing', 'settlement']],
  payout_returned: [['payout_clearing', 'participant_incentive']],
  repayment: [['settlement', 'programme_fund']],
  platform_settlement: [['platform_payable', 'settlement']],
  platform_claim: [['platform_receivable', 'platform_payable']],
  platform_collection: [['settlement', 'platform_receivable']],
  // A PMO correction may move money between any two accounts; it is audited as a staff action.
  correction: 'any',
} as const satisfies Record<string, readonly Route[] | 'any'>

export type TransferCode = keyof typeof TRANSFER_CODES

export function isTransferCode(v: unknown): v is TransferCode {
  return typeof v === 'string' && Object.hasOwn(TRANSFER_CODES, v)
}

/** The code's allowed routes as "debitType>creditType", for the database to apply; null: any. */
export function allowedRoutes(code: TransferCode): string[] | null {
  const routes: readonly Route[] | 'any' = TRANSFER_CODES[code]
  return routes === 'any' ? null : routes.map(([d, c]) => `${d}>${c}`)
}
