/**
 * Moving money: single transfers, holds and their resolution (post, void, expiry), each in
 * one transaction that locks the accounts involved (in id order), appends the transfer row
 * and changes the cached balances. Given a transaction, the ledger joins it, so a purchase
 * can reserve a seat and the money together; given the root db, it opens its own.
 */
import { sql, type RawBuilder } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor, type Trx } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { checkAmount, checkCurrency, checkTimeout } from './amount.ts'
import { availableBalance, balanceChanges, postedBalance } from './balance.ts'
import { allowedRoutes, isAccountType, isTransferCode, mayGoNegative, PARTICIPANT_TYPES, PLATFORM_TYPES, type AccountType, type TransferCode } from './codes.ts'
import { expiryKey, RESERVED_KEY_PREFIX, sameRequest, type TransferRequest } from './idempotency.ts'
import * as repo from './ledger.repository.ts'
import type { TransferKind } from './ledger.tables.ts'

export const EXPIRE_HOLD_JOB = 'ledger.expire-hold'

export interface LedgerDeps {
  readonly jobs: Jobs
  readonly clock: Clock
}

export interface Reference {
  /** The business object the money moves for: 'purchase', 'wave_card', 'payout', … */
  type: string
  id: string
}

export interface TransferInput {
  debitAccountId: number
  creditAccountId: number
  /** Whole rupiah. */
  amount: number
  code: TransferCode
  reference: Reference
  /** Unique across the ledger; the same key with the same request returns the first result. */
  idempotencyKey: string
  /** Only 'IDR'; anything else is refused. */
  currency?: string
  memo?: string
}

export interface HoldInput extends TransferInput {
  /** The hold expires (money released) this many seconds after it is made. */
  timeoutSeconds: number
}

export interface PostInput {
  holdId: number
  idempotencyKey: string
  /** At most the held amount; the rest is released. Default: all of it. */
  amount?: number
}

export interface VoidInput {
  holdId: number
  idempotencyKey: string
}

export interface Transfer {
  id: number
  kind: TransferKind
  debitAccountId: number
  creditAccountId: number
  amount: number
  currency: 'IDR'
  code: TransferCode
  reference: Reference
  idempotencyKey: string
  /** The hold a post, void or expiry resolves. */
  holdId: number | null
  expiresAt: Date | null
  memo: string | null
  createdAt: Date
}

export interface TransferResult {
  transfer: Transfer
  /** true: this key was seen before and this is the first result, nothing new happened. */
  replayed: boolean
}

export interface LedgerAccount {
  id: number
  type: AccountType
  ownerRef: string | null
  mayGoNegative: boolean
}

export interface Balance extends LedgerAccount {
  /** Credits − debits that have really happened. */
  posted: number
  /** Open holds on money leaving this account. */
  held: number
  /** Open holds on money coming in (not spendable yet). */
  incoming: number
  /** posted − held: what may be spent or held now. */
  available: number
}

export type ExpiryOutcome = 'expired' | 'not_due' | 'already_resolved'

export function toTransfer(r: repo.TransferRow): Transfer {
  return {
    id: r.id,
    kind: r.kind,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: r.amount,
    currency: 'IDR',
    code: r.code,
    reference: { type: r.reference_type, id: r.reference_id },
    idempotencyKey: r.idempotency_key,
    holdId: r.pending_id,
    expiresAt: r.expires_at,
    memo: r.memo,
    createdAt: r.created_at,
  }
}

export function toRequest(r: repo.TransferRow): TransferRequest {
  return {
    kind: r.kind,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: r.amount,
    code: r.code,
    referenceType: r.reference_type,
    referenceId: r.reference_id,
    pendingId: r.pending_id,
    timeoutSeconds: r.timeout_seconds,
    memo: r.memo,
  }
}

function toAccount(r: repo.AccountRow): LedgerAccount {
  return { id: r.id, type: r.type, ownerRef: r.owner_ref, mayGoNegative: r.may_go_negative }
}

export function toBalance(r: repo.AccountRow): Balance {
  const b = { debitsPosted: r.debits_posted, creditsPosted: r.credits_posted, debitsPending: r.debits_pending, creditsPending: r.credits_pending }
  return { ...toAccount(r), posted: postedBalance(b), held: r.debits_pending, incoming: r.credits_pending, available: availableBalance(b) }
}

export function inTransaction<T>(ex: Executor, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return ex.isTransaction ? fn(ex as Trx) : transaction(ex as Db, fn)
}

export function text(field: string, value: unknown, max = 200): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= max) return value
  const f: FieldError = { field, id: `wajib diisi, paling banyak ${max} karakter`, en: `is required, at most ${max} characters` }
  throw new AppError('VALIDATION_FAILED', { fields: [f] })
}

export function checkKey(value: unknown): string {
  const key = text('idempotencyKey', value)
  if (key.startsWith(RESERVED_KEY_PREFIX)) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'idempotencyKey', id: `tidak boleh diawali "${RESERVED_KEY_PREFIX}"`, en: `may not start with "${RESERVED_KEY_PREFIX}"` }],
    })
  }
  return key
}

export function checkAccountId(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value
  throw new AppError('LEDGER_UNKNOWN_ACCOUNT')
}

/**
 * How many payable accounts a platform has (decision 0009): every purchase on a platform
 * credits its payable account, so one row would serialise them all on its lock. A purchase's
 * hold goes to the shard `payableShard(purchase id)`; the platform's balance is the sum
 * (`ownerBalance`). Each shard is an ordinary account for every rule and check.
 */
export const PAYABLE_SHARDS = 8

/** A stable shard in [0, PAYABLE_SHARDS) for a key (e.g. a purchase id). */
export function payableShard(key: string): number {
  let h = 0
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
  return Math.abs(h) % PAYABLE_SHARDS
}

function checkShard(type: AccountType, shard: number): number {
  const ok = Number.isInteger(shard) && shard >= 0 && (shard === 0 || (type === 'platform_payable' && shard < PAYABLE_SHARDS))
  if (!ok) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'shard', id: 'bagian rekening tidak sah', en: 'invalid account shard' }] })
  return shard
}

/** Finds or creates the account; participant and platform accounts need their owner. A platform's payable account has PAYABLE_SHARDS shards. */
export async function openAccount(ex: Executor, type: AccountType, ownerRef: string | null = null, shard = 0): Promise<LedgerAccount> {
  if (!isAccountType(type)) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'type', id: 'jenis rekening tidak dikenal', en: 'unknown account type' }] })
  const owned = PARTICIPANT_TYPES.includes(type) || PLATFORM_TYPES.includes(type)
  if (owned !== (ownerRef !== null && ownerRef !== '')) {
    const f = owned ? { id: 'wajib untuk rekening peserta atau platform', en: 'is required for a participant or platform account' } : { id: 'harus kosong untuk rekening program', en: 'must be empty for a programme account' }
    throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'ownerRef', ...f }] })
  }
  const row = await repo.insertAccountIfAbsent(ex, { type, ownerRef, mayGoNegative: mayGoNegative(type), shard: checkShard(type, shard) })
  return toAccount(row)
}

export async function findAccount(ex: Executor, type: AccountType, ownerRef: string | null = null, shard = 0): Promise<LedgerAccount | null> {
  const row = await repo.findAccountByOwner(ex, type, ownerRef, shard)
  return row ? toAccount(row) : null
}

/**
 * An owner's balance of one account type, summed over its shards (a platform's payable
 * accounts); null when it has none. `id` is shard 0's account, or the first shard's.
 */
export async function ownerBalance(ex: Executor, type: AccountType, ownerRef: string | null = null): Promise<Balance | null> {
  const rows = await repo.findAccountShards(ex, type, ownerRef)
  if (rows.length === 0) return null
  const sum = rows.map(toBalance).reduce((a, b) => ({ ...a, posted: a.posted + b.posted, held: a.held + b.held, incoming: a.incoming + b.incoming, available: a.available + b.available }))
  return sum
}

/**
 * For a caller that reads several things in one query (a purchase's checks): SQL for an
 * account's id and for its available balance, null when the owner has no such account.
 * Reads only; money still moves only through the functions below.
 */
export const ledgerSql = {
  accountId: (type: AccountType, owner: RawBuilder<unknown>, shard = 0): RawBuilder<number | null> =>
    sql<number | null>`(select id from ledger_accounts where type = ${type} and coalesce(owner_ref, '') = ${owner} and shard = ${checkShard(type, shard)}::smallint)`,
  available: (type: AccountType, owner: RawBuilder<unknown>): RawBuilder<number | null> =>
    sql<number | null>`(select sum(credits_posted - debits_posted - debits_pending) from ledger_accounts where type = ${type} and coalesce(owner_ref, '') = ${owner})`,
}

export async function getBalance(ex: Executor, accountId: number): Promise<Balance> {
  const row = await repo.findAccount(ex, checkAccountId(accountId))
  if (!row) throw new AppError('LEDGER_UNKNOWN_ACCOUNT')
  return toBalance(row)
}

/** The first result for a key, or a refusal when the key was used for another request. */
async function replay(ex: Executor, key: string, wanted: TransferRequest): Promise<TransferResult | null> {
  const stored = await repo.findTransferByKey(ex, key)
  if (!stored) return null
  if (!sameRequest(toRequest(stored), wanted)) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
  return { transfer: toTransfer(stored), replayed: true }
}

async function move(deps: LedgerDeps, ex: Executor, kind: 'single' | 'pending', input: TransferInput | HoldInput): Promise<TransferResult> {
  const amount = checkAmount(input.amount)
  checkCurrency(input.currency)
  const debitId = checkAccountId(input.debitAccountId)
  const creditId = checkAccountId(input.creditAccountId)
  if (debitId === creditId) throw new AppError('LEDGER_SAME_ACCOUNT')
  if (!isTransferCode(input.code)) throw new AppError('LEDGER_CODE_NOT_ALLOWED')
  const key = checkKey(input.idempotencyKey)
  const referenceType = text('reference.type', input.reference?.type)
  const referenceId = text('reference.id', input.reference?.id)
  const memo = input.memo === undefined ? null : text('memo', input.memo, 500)
  const timeoutSeconds = kind === 'pending' ? checkTimeout((input as HoldInput).timeoutSeconds) : null
  const wanted: TransferRequest = {
    kind,
    debitAccountId: debitId,
    creditAccountId: creditId,
    amount,
    code: input.code,
    referenceType,
    referenceId,
    pendingId: null,
    timeoutSeconds,
    memo,
  }

  const now = deps.clock.now()
  const expiresAt = timeoutSeconds === null ? null : new Date(now.getTime() + timeoutSeconds * 1000)
  const params: repo.MoveParams = {
    kind,
    debitAccountId: debitId,
    creditAccountId: creditId,
    amount,
    code: input.code,
    routes: allowedRoutes(input.code),
    referenceType,
    referenceId,
    key,
    timeoutSeconds,
    expiresAt,
    memo,
    createdAt: now,
  }
  const outcome = async (ex: Executor): Promise<TransferResult & { created: boolean }> => {
    const r = await repo.moveMoney(ex, params)
    switch (r.status) {
      case 'unknown_account':
        throw new AppError('LEDGER_UNKNOWN_ACCOUNT')
      case 'route_not_allowed':
        throw new AppError('LEDGER_CODE_NOT_ALLOWED')
      case 'insufficient_funds':
        throw new AppError('LEDGER_INSUFFICIENT_FUNDS')
      case 'exists':
        if (!sameRequest(toRequest(r.transfer!), wanted)) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
        return { transfer: toTransfer(r.transfer!), replayed: true, created: false }
      case 'created':
        return { transfer: toTransfer(r.transfer!), replayed: false, created: true }
    }
  }
  // A single transfer is one statement: atomic on its own, no transaction round trips.
  const strip = ({ transfer, replayed }: TransferResult): TransferResult => ({ transfer, replayed })
  if (kind === 'single') return strip(await outcome(ex))
  // A hold and its expiry job commit together.
  return inTransaction(ex, async (trx) => {
    const r = await outcome(trx)
    if (r.created) await deps.jobs.enqueue(trx, EXPIRE_HOLD_JOB, { holdId: r.transfer.id }, { startAfter: expiresAt! })
    return strip(r)
  })
}

export const RESOLVED_CODES = { post: 'LEDGER_HOLD_POSTED', void: 'LEDGER_HOLD_VOIDED', expire: 'LEDGER_HOLD_EXPIRED' } as const

type Resolution = { kind: 'post'; amount?: number } | { kind: 'void' } | { kind: 'expire' }

/**
 * Posts, voids or expires a hold: at most one of them ever happens (a unique index). One
 * statement (ledger_resolve) does the reading, locking and writing; the decisions on what
 * it found are made here.
 */
async function resolve(
  deps: LedgerDeps,
  ex: Executor,
  holdIdInput: unknown,
  key: string,
  how: Resolution,
): Promise<TransferResult | { expiry: ExpiryOutcome }> {
  const holdId = typeof holdIdInput === 'number' && Number.isSafeInteger(holdIdInput) && holdIdInput > 0 ? holdIdInput : null
  if (holdId === null) throw new AppError('LEDGER_UNKNOWN_HOLD')
  const requested = how.kind === 'post' && how.amount !== undefined ? checkAmount(how.amount) : null
  const r = await repo.resolveHold(ex, { holdId, kind: how.kind, amount: requested, key, now: deps.clock.now() })
  if (r.status === 'unknown_hold' || !r.hold) throw new AppError('LEDGER_UNKNOWN_HOLD')
  const hold = r.hold
  const amount = how.kind === 'post' ? (requested ?? hold.amount) : hold.amount
  const wanted: TransferRequest = { ...toRequest(hold), kind: how.kind, amount, pendingId: hold.id, timeoutSeconds: null, memo: null }
  switch (r.status) {
    case 'resolved': {
      const done = r.transfer!
      if (how.kind === 'expire') return { expiry: 'already_resolved' }
      if (done.idempotency_key === key) {
        if (!sameRequest(toRequest(done), wanted)) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
        return { transfer: toTransfer(done), replayed: true }
      }
      throw new AppError(RESOLVED_CODES[done.kind as keyof typeof RESOLVED_CODES])
    }
    case 'key_taken':
      if (!sameRequest(toRequest(r.transfer!), wanted)) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
      return { transfer: toTransfer(r.transfer!), replayed: true }
    case 'not_due':
      return { expiry: 'not_due' }
    case 'expired':
      throw new AppError('LEDGER_HOLD_EXPIRED')
    case 'exceeds':
      throw new AppError('LEDGER_POST_EXCEEDS_HOLD')
    case 'conflict':
      throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
    case 'created':
      if (how.kind === 'expire') return { expiry: 'expired' }
      return { transfer: toTransfer(r.transfer!), replayed: false }
  }
}

/** Releases a hold whose deadline has passed; a no-op when it is resolved or not due. */
export async function expireHold(deps: LedgerDeps, ex: Executor, holdId: number): Promise<ExpiryOutcome> {
  const r = await resolve(deps, ex, holdId, expiryKey(holdId), { kind: 'expire' })
  return 'expiry' in r ? r.expiry : 'expired'
}

/** Expires every hold past its deadline (a sweep behind the per-hold jobs); returns how many. */
export async function expireDueHolds(deps: LedgerDeps, db: Db, limit = 500): Promise<number> {
  const ids = await repo.findDueHolds(db, deps.clock.now(), limit)
  let n = 0
  for (const id of ids) if ((await expireHold(deps, db, id)) === 'expired') n++
  return n
}

export interface Ledger {
  openAccount(ex: Executor, type: AccountType, ownerRef?: string | null, shard?: number): Promise<LedgerAccount>
  findAccount(ex: Executor, type: AccountType, ownerRef?: string | null, shard?: number): Promise<LedgerAccount | null>
  balance(ex: Executor, accountId: number): Promise<Balance>
  /** An owner's balance of a type, summed over its shards. */
  ownerBalance(ex: Executor, type: AccountType, ownerRef?: string | null): Promise<Balance | null>
  /** A transfer by id (e.g. a hold, to find the accounts it moved money between). */
  findTransfer(ex: Executor, id: number): Promise<Transfer | null>
  /** Moves money at once. */
  transfer(ex: Executor, input: TransferInput): Promise<TransferResult>
  /** Reserves money: the available balance drops now; post, void or expiry settles it. */
  hold(ex: Executor, input: HoldInput): Promise<TransferResult>
  post(ex: Executor, input: PostInput): Promise<TransferResult>
  void(ex: Executor, input: VoidInput): Promise<TransferResult>
  expire(ex: Executor, holdId: number): Promise<ExpiryOutcome>
  expireDue(db: Db, limit?: number): Promise<number>
}

export function createLedger(deps: LedgerDeps): Ledger {
  const settled = async (p: Promise<TransferResult | { expiry: ExpiryOutcome }>): Promise<TransferResult> => {
    const r = await p
    if ('expiry' in r) throw new Error('ledger: a post or void ended as an expiry')
    return r
  }
  return {
    openAccount: (ex, type, ownerRef = null, shard = 0) => openAccount(ex, type, ownerRef, shard),
    findAccount: (ex, type, ownerRef = null, shard = 0) => findAccount(ex, type, ownerRef, shard),
    balance: getBalance,
    ownerBalance: (ex, type, ownerRef = null) => ownerBalance(ex, type, ownerRef),
    findTransfer: async (ex, id) => {
      const r = await repo.findTransfer(ex, id)
      return r ? toTransfer(r) : null
    },
    transfer: (ex, input) => move(deps, ex, 'single', input),
    hold: (ex, input) => move(deps, ex, 'pending', input),
    post: (ex, input) => settled(resolve(deps, ex, input.holdId, checkKey(input.idempotencyKey), { kind: 'post', amount: input.amount })),
    void: (ex, input) => settled(resolve(deps, ex, input.holdId, checkKey(input.idempotencyKey), { kind: 'void' })),
    expire: (ex, holdId) => expireHold(deps, ex, holdId),
    expireDue: (db, limit) => expireDueHolds(deps, db, limit),
  }
}
