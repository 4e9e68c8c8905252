/**
 * Many movements of one kind in a few statements, for bulk paths (a payout run, a batch of
 * partner callbacks): the same rules as one transfer — accounts locked in id order, the
 * code's routes, no overdraft of a non-negative account, one result per idempotency key,
 * a hold resolved once — applied to the whole set at once. All or nothing: one refused
 * movement refuses the batch (the caller's transaction rolls back), except a hold past its
 * deadline, which `postMany` leaves unposted and reports as null.
 */
import { AppError } from '../../platform/errors.ts'
import type { Executor, Trx } from '../../platform/db/database.ts'
import { checkAmount, checkCurrency, checkTimeout } from './amount.ts'
import { balanceChanges } from './balance.ts'
import { allowedRoutes, isAccountType, isTransferCode, mayGoNegative, PARTICIPANT_TYPES, PLATFORM_TYPES, type AccountType } from './codes.ts'
import { sameRequest, type TransferRequest } from './idempotency.ts'
import * as repo from './ledger.repository.ts'
import {
  checkAccountId,
  checkKey,
  EXPIRE_HOLD_JOB,
  inTransaction,
  RESOLVED_CODES,
  text,
  toRequest,
  toTransfer,
  type HoldInput,
  type LedgerDeps,
  type TransferInput,
  type TransferResult,
} from './ledger.service.ts'

export interface BatchLedger {
  /** Finds or opens one account of `type` per owner; answers owner → account id. */
  openAccounts(ex: Executor, type: AccountType, ownerRefs: readonly string[]): Promise<Map<string, number>>
  /** Row locks on the accounts in id order: a caller about to move money through several statements takes them all first. */
  lockAccounts(trx: Trx, ids: readonly number[]): Promise<void>
  transferMany(ex: Executor, inputs: readonly TransferInput[]): Promise<TransferResult[]>
  holdMany(ex: Executor, inputs: readonly HoldInput[]): Promise<TransferResult[]>
  /** Posts each hold in full; null for a hold past its deadline (left for the expiry). */
  postMany(ex: Executor, items: readonly { holdId: number; idempotencyKey: string }[]): Promise<(TransferResult | null)[]>
  /** The holds among these whose deadline has passed (a plain read: a caller decides before it locks anything). */
  pastDeadline(ex: Executor, holdIds: readonly number[]): Promise<Set<number>>
}

type Change = repo.BalanceChange

function addChange(into: Map<number, Change>, c: Change): void {
  const x = into.get(c.accountId) ?? { accountId: c.accountId, debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 }
  x.debitsPosted += c.debitsPosted
  x.creditsPosted += c.creditsPosted
  x.debitsPending += c.debitsPending
  x.creditsPending += c.creditsPending
  into.set(c.accountId, x)
}

function uniqueKeys(keys: readonly string[]): void {
  if (new Set(keys).size !== keys.length) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
}

async function openAccounts(ex: Executor, type: AccountType, ownerRefs: readonly string[]): Promise<Map<string, number>> {
  if (!isAccountType(type) || !(PARTICIPANT_TYPES.includes(type) || PLATFORM_TYPES.includes(type))) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'type', id: 'hanya rekening peserta atau platform', en: 'only participant or platform accounts' }] })
  }
  const owners = [...new Set(ownerRefs)]
  const out = new Map<string, number>()
  if (owners.length === 0) return out
  const find = async (refs: string[]) => {
    const rows = await ex.selectFrom('ledger_accounts').select(['id', 'owner_ref']).where('type', '=', type).where('owner_ref', 'in', refs).execute()
    for (const r of rows) out.set(r.owner_ref!, r.id)
  }
  // A plain read first: an insert … on conflict against a row some transaction is updating waits for it.
  await find(owners)
  const missing = owners.filter((o) => !out.has(o))
  if (missing.length > 0) {
    await ex
      .insertInto('ledger_accounts')
      .values(missing.map((o) => ({ type, owner_ref: o, may_go_negative: mayGoNegative(type) })))
      .onConflict((oc) => oc.doNothing())
      .execute()
    await find(missing)
  }
  return out
}

async function moveMany(deps: LedgerDeps, ex: Executor, kind: 'single' | 'pending', inputs: readonly (TransferInput | HoldInput)[]): Promise<TransferResult[]> {
  if (inputs.length === 0) return []
  const now = deps.clock.now()
  const items = inputs.map((input) => {
    const amount = checkAmount(input.amount)
    checkCurrency(input.currency)
    const debitId = checkAccountId(input.debitAccountId)
    const creditId = checkAccountId(input.creditAccountId)
    if (debitId === creditId) throw new AppError('LEDGER_SAME_ACCOUNT')
    if (!isTransferCode(input.code)) throw new AppError('LEDGER_CODE_NOT_ALLOWED')
    const timeoutSeconds = kind === 'pending' ? checkTimeout((input as HoldInput).timeoutSeconds) : null
    const wanted: TransferRequest = {
      kind,
      debitAccountId: debitId,
      creditAccountId: creditId,
      amount,
      code: input.code,
      referenceType: text('reference.type', input.reference?.type),
      referenceId: text('reference.id', input.reference?.id),
      pendingId: null,
      timeoutSeconds,
      memo: input.memo === undefined ? null : text('memo', input.memo, 500),
    }
    return { key: checkKey(input.idempotencyKey), wanted, routes: allowedRoutes(input.code), expiresAt: timeoutSeconds === null ? null : new Date(now.getTime() + timeoutSeconds * 1000) }
  })
  uniqueKeys(items.map((i) => i.key))
  return inTransaction(ex, async (trx) => {
    const ids = [...new Set(items.flatMap((i) => [i.wanted.debitAccountId, i.wanted.creditAccountId]))]
    const accounts = new Map((await repo.lockAccounts(trx, ids)).map((a) => [a.id, a]))
    for (const i of items) {
      const d = accounts.get(i.wanted.debitAccountId)
      const c = accounts.get(i.wanted.creditAccountId)
      if (!d || !c) throw new AppError('LEDGER_UNKNOWN_ACCOUNT')
      if (i.routes !== null && !i.routes.includes(`${d.type}>${c.type}`)) throw new AppError('LEDGER_CODE_NOT_ALLOWED')
    }
    const results = new Map<string, TransferResult>()
    const existing = await trx.selectFrom('ledger_transfers').selectAll().where('idempotency_key', 'in', items.map((i) => i.key)).execute()
    const byKey = new Map(items.map((i) => [i.key, i]))
    for (const row of existing) {
      if (!sameRequest(toRequest(row), byKey.get(row.idempotency_key)!.wanted)) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
      results.set(row.idempotency_key, { transfer: toTransfer(row), replayed: true })
    }
    const fresh = items.filter((i) => !results.has(i.key))
    if (fresh.length > 0) {
      // The overdraft rule over the whole batch: what leaves each account at most what it has.
      const leaving = new Map<number, number>()
      for (const i of fresh) leaving.set(i.wanted.debitAccountId, (leaving.get(i.wanted.debitAccountId) ?? 0) + i.wanted.amount)
      for (const [id, total] of leaving) {
        const a = accounts.get(id)!
        if (!a.may_go_negative && a.credits_posted - a.debits_posted - a.debits_pending < total) throw new AppError('LEDGER_INSUFFICIENT_FUNDS')
      }
      const rows = await trx
        .insertInto('ledger_transfers')
        .values(
          fresh.map((i) => ({
            kind,
            debit_account_id: i.wanted.debitAccountId,
            credit_account_id: i.wanted.creditAccountId,
            amount: i.wanted.amount,
            code: i.wanted.code as TransferInput['code'],
            reference_type: i.wanted.referenceType,
            reference_id: i.wanted.referenceId,
            idempotency_key: i.key,
            pending_id: null,
            timeout_seconds: i.wanted.timeoutSeconds,
            expires_at: i.expiresAt,
            memo: i.wanted.memo,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .execute()
      // A key taken meanwhile by another transaction: refused whole, the caller may try again.
      if (rows.length !== fresh.length) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
      const changes = new Map<number, Change>()
      for (const r of rows) {
        results.set(r.idempotency_key, { transfer: toTransfer(r), replayed: false })
        for (const c of balanceChanges(kind, r.debit_account_id, r.credit_account_id, r.amount, null)) addChange(changes, c)
      }
      await repo.applyBalanceChanges(trx, [...changes.values()].sort((a, b) => a.accountId - b.accountId))
      // Each hold's expiry, queued with it (they share one deadline: made at the same moment with the same timeout, or not).
      const byDeadline = new Map<number, number[]>()
      for (const r of rows) if (r.expires_at) byDeadline.set(r.expires_at.getTime(), [...(byDeadline.get(r.expires_at.getTime()) ?? []), r.id])
      for (const [at, holdIds] of byDeadline) {
        await deps.jobs.enqueueMany(trx, EXPIRE_HOLD_JOB, holdIds.map((holdId) => ({ holdId })), { startAfter: new Date(at) })
      }
    }
    return items.map((i) => results.get(i.key)!)
  })
}

async function postMany(deps: LedgerDeps, ex: Executor, input: readonly { holdId: number; idempotencyKey: string }[]): Promise<(TransferResult | null)[]> {
  if (input.length === 0) return []
  const items = input.map((i) => {
    if (!(typeof i.holdId === 'number' && Number.isSafeInteger(i.holdId) && i.holdId > 0)) throw new AppError('LEDGER_UNKNOWN_HOLD')
    return { holdId: i.holdId, key: checkKey(i.idempotencyKey) }
  })
  uniqueKeys(items.map((i) => i.key))
  if (new Set(items.map((i) => i.holdId)).size !== items.length) throw new AppError('LEDGER_HOLD_POSTED')
  return inTransaction(ex, async (trx) => {
    const holds = new Map((await trx.selectFrom('ledger_transfers').selectAll().where('id', 'in', items.map((i) => i.holdId)).execute()).map((h) => [h.id, h]))
    for (const i of items) if (holds.get(i.holdId)?.kind !== 'pending') throw new AppError('LEDGER_UNKNOWN_HOLD')
    await repo.lockAccounts(trx, [...new Set([...holds.values()].flatMap((h) => [h.debit_account_id, h.credit_account_id]))])
    const wantedOf = (h: repo.TransferRow): TransferRequest => ({ ...toRequest(h), kind: 'post', amount: h.amount, pendingId: h.id, timeoutSeconds: null, memo: null })
    const results = new Map<number, TransferResult | null>()
    const resolutions = await trx.selectFrom('ledger_transfers').selectAll().where('pending_id', 'in', items.map((i) => i.holdId)).execute()
    const keyOf = new Map(items.map((i) => [i.holdId, i.key]))
    for (const done of resolutions) {
      const hold = holds.get(done.pending_id!)!
      if (done.idempotency_key !== keyOf.get(hold.id)) throw new AppError(RESOLVED_CODES[done.kind as keyof typeof RESOLVED_CODES])
      if (!sameRequest(toRequest(done), wantedOf(hold))) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
      results.set(hold.id, { transfer: toTransfer(done), replayed: true })
    }
    const open = items.filter((i) => !results.has(i.holdId))
    if (open.length > 0) {
      // A key already used for something other than this hold's resolution.
      const taken = await trx.selectFrom('ledger_transfers').select('id').where('idempotency_key', 'in', open.map((i) => i.key)).limit(1).execute()
      if (taken.length > 0) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
      const now = deps.clock.now()
      // Past its deadline the hold is as good as expired: not posted; the expiry job writes it down.
      const due = open.filter((i) => {
        const expires = holds.get(i.holdId)!.expires_at
        return expires === null || now.getTime() < expires.getTime()
      })
      for (const i of open) if (!due.includes(i)) results.set(i.holdId, null)
      if (due.length > 0) {
        const rows = await trx
          .insertInto('ledger_transfers')
          .values(
            due.map((i) => {
              const h = holds.get(i.holdId)!
              return {
                kind: 'post' as const,
                debit_account_id: h.debit_account_id,
                credit_account_id: h.credit_account_id,
                amount: h.amount,
                code: h.code,
                reference_type: h.reference_type,
                reference_id: h.reference_id,
                idempotency_key: i.key,
                pending_id: h.id,
                timeout_seconds: null,
                expires_at: null,
                memo: null,
                created_at: now,
              }
            }),
          )
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .execute()
        if (rows.length !== due.length) throw new AppError('LEDGER_IDEMPOTENCY_CONFLICT')
        const changes = new Map<number, Change>()
        for (const r of rows) {
          results.set(r.pending_id!, { transfer: toTransfer(r), replayed: false })
          for (const c of balanceChanges('post', r.debit_account_id, r.credit_account_id, r.amount, holds.get(r.pending_id!)!.amount)) addChange(changes, c)
        }
        await repo.applyBalanceChanges(trx, [...changes.values()].sort((a, b) => a.accountId - b.accountId))
      }
    }
    return items.map((i) => results.get(i.holdId)!)
  })
}

export function createBatchLedger(deps: LedgerDeps): BatchLedger {
  return {
    openAccounts,
    lockAccounts: async (trx, ids) => {
      if (ids.length > 0) await repo.lockAccounts(trx, [...new Set(ids)])
    },
    transferMany: (ex, inputs) => moveMany(deps, ex, 'single', inputs),
    holdMany: (ex, inputs) => moveMany(deps, ex, 'pending', inputs),
    postMany: (ex, items) => postMany(deps, ex, items),
    pastDeadline: async (ex, holdIds) => {
      if (holdIds.length === 0) return new Set()
      const rows = await ex
        .selectFrom('ledger_transfers')
        .select('id')
        .where('id', 'in', [...holdIds])
        .where('kind', '=', 'pending')
        .where('expires_at', '<=', deps.clock.now())
        .execute()
      return new Set(rows.map((r) => r.id))
    },
  }
}
