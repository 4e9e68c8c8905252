/**
 * The daily payout run (issue #8). In-flight payouts from an earlier run are settled first
 * (asked about by their key, re-sent under the same key when the partner never got them);
 * then due payouts are formed into batches per partner, the programme fund is checked, and
 * each payout is credited and held in the ledger and marked `sending` in one transaction
 * BEFORE it is sent. So a process that dies after sending leaves a `sending` row that the
 * next run resolves with the same key: never a second key, never a forgotten payment.
 */
import type { ExpressionBuilder } from 'kysely'
import { transaction, type Executor } from '../../platform/db/database.ts'
import type { DB } from '../../platform/db/schema.ts'
import { AppError } from '../../platform/errors.ts'
import { MAX_HOLD_SECONDS } from '../ledger/amount.ts'
import { maskAccount, PartnerUnavailable, payoutKey, type PartnerCode, type SendAnswer } from './gateway.ts'
import { ledgerOf, programmeAccounts, type IncentivesDeps } from './deps.ts'
import { confirmPaid, markFailed, markSent, payoutEvent, type SettleOutcome } from './settle.service.ts'

export interface RunOptions {
  /** Most due payouts taken in one run. */
  readonly limit?: number
  /** Sends in flight at once. */
  readonly concurrency?: number
  /** Payouts per batch. */
  readonly batchSize?: number
  /**
   * Called after the partner answered, before the answer is recorded. Throwing here is the
   * process dying between the two (tests and the fault benchmark).
   */
  readonly afterSend?: (payoutId: string) => void | Promise<void>
}

export interface RunReport {
  recovered: number
  batches: number
  held: number
  acknowledged: number
  paid: number
  failed: number
  unknown: number
  fundShort: number
  retried: number
}

interface InFlight {
  id: string
  attempt: number
  amount: number
  partner: PartnerCode
  accountNumber: string
  holderName: string
}

const DAY_MS = 86_400_000

/** Held while PMO has frozen the payout account or the person's account (integrity, #11): the payout stays scheduled. */
type Picked = DB & { i: DB['incentive_payouts']; a: DB['payout_accounts'] }
const notFrozen = (eb: ExpressionBuilder<Picked, 'i' | 'a'>) =>
  eb.and([eb('a.frozen_at', 'is', null), eb.not(eb.exists(eb.selectFrom('accounts as frozen').select('frozen.id').whereRef('frozen.id', '=', 'i.account_id').where('frozen.status', '=', 'frozen')))])

/** Runs `fn` over the items, n at a time. A failing worker stops; the others finish their item and the first error is thrown after all stopped, so nothing of this run is still working when it returns. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      await fn(item)
    }
  }
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker))
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

function count(report: RunReport, outcome: SettleOutcome | 'unknown'): void {
  if (outcome === 'acknowledged') report.acknowledged++
  else if (outcome === 'paid') report.paid++
  else if (outcome === 'failed') report.failed++
  else if (outcome === 'unknown') report.unknown++
}

/** Records what the partner answered to a send; null: no answer (timeout or outage). */
async function recordAnswer(deps: IncentivesDeps, p: InFlight, answer: SendAnswer | null): Promise<SettleOutcome | 'unknown'> {
  return transaction(deps.db, async (trx) => {
    if (answer === null) {
      const r = await trx.updateTable('incentive_payouts').set({ status: 'unknown' }).where('id', '=', p.id).where('attempt', '=', p.attempt).where('status', '=', 'sending').executeTakeFirst()
      if (Number(r.numUpdatedRows) > 0) await payoutEvent(trx, p.id, 'no_answer', deps.clock.now())
      return 'unknown' as const
    }
    if (answer.status === 'accepted') return markSent(deps, trx, p.id, p.attempt, answer.partnerRef)
    return markFailed(deps, trx, p.id, p.attempt, answer.reason, 'answer')
  })
}

async function send(deps: IncentivesDeps, p: InFlight, opts: RunOptions): Promise<SettleOutcome | 'unknown'> {
  let answer: SendAnswer | null = null
  try {
    answer = await deps.gateway.partner(p.partner).send({ key: payoutKey(p.id, p.attempt), payoutId: p.id, accountNumber: p.accountNumber, holderName: p.holderName, amount: p.amount })
  } catch (err) {
    if (!(err instanceof PartnerUnavailable)) throw err
  }
  await opts.afterSend?.(p.id)
  return recordAnswer(deps, p, answer)
}

/** Payouts that may be with the partner: asked about by their key, re-sent under it when unknown there. */
async function recover(deps: IncentivesDeps, opts: RunOptions, report: RunReport): Promise<void> {
  const staleSent = new Date(deps.clock.now().getTime() - DAY_MS)
  const rows = await deps.db
    .selectFrom('incentive_payouts as i')
    .innerJoin('payout_accounts as a', 'a.id', 'i.payout_account_id')
    .select(['i.id', 'i.attempt', 'i.amount', 'i.partner', 'i.status', 'a.account_number', 'a.holder_name'])
    .where((eb) => eb.or([eb('i.status', 'in', ['sending', 'unknown']), eb.and([eb('i.status', '=', 'sent'), eb('i.sent_at', '<', staleSent)])]))
    .execute()
  await pool(rows, opts.concurrency ?? 8, async (r) => {
    const p: InFlight = { id: r.id, attempt: r.attempt, amount: Number(r.amount), partner: r.partner as PartnerCode, accountNumber: r.account_number, holderName: r.holder_name }
    const key = payoutKey(p.id, p.attempt)
    let state
    try {
      state = await deps.gateway.partner(p.partner).status(key)
    } catch (err) {
      if (err instanceof PartnerUnavailable) return
      throw err
    }
    report.recovered++
    if (state === null) {
      // The partner never received it: the same key again, so a late arrival of the first cannot pay twice.
      if (r.status !== 'sent') count(report, await send(deps, p, opts))
      return
    }
    const outcome = await transaction(deps.db, async (trx) => {
      if (state.status === 'paid') return confirmPaid(deps, trx, p.id, { attempt: p.attempt, partnerRef: state.partnerRef, amount: state.amount, source: 'status' })
      if (state.status === 'failed') return markFailed(deps, trx, p.id, p.attempt, state.reason ?? 'account_unknown', 'status')
      return markSent(deps, trx, p.id, p.attempt, state.partnerRef)
    })
    count(report, outcome)
  })
}

/** A failure that fixes itself with time (a limit) is tried again the next day. */
async function retryLimitFailures(deps: IncentivesDeps): Promise<number> {
  const r = await deps.db
    .updateTable('incentive_payouts')
    .set((eb) => ({ status: 'scheduled', attempt: eb('attempt', '+', 1), failure: null }))
    .where('status', '=', 'failed')
    .where('failure', '=', 'limit_exceeded')
    .where('failed_at', '<=', new Date(deps.clock.now().getTime() - DAY_MS))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/**
 * Credits the participant, then marks the payout `sending` and holds its amount in one
 * transaction. The credit is its own single statement (idempotent by key, so a crash
 * before the transaction only means the next run replays it): the programme fund's row,
 * which every payout debits, is then locked for one statement, not a whole transaction.
 */
async function prepare(deps: IncentivesDeps, ids: { fund: number; clearing: number }, payoutId: string, batchId: string): Promise<InFlight | 'fund_short' | null> {
  const now = deps.clock.now()
  const ledger = ledgerOf(deps)
  const pick = (ex: Executor) =>
    ex
      .selectFrom('incentive_payouts as i')
      .innerJoin('payout_accounts as a', (j) => j.onRef('a.account_id', '=', 'i.account_id').on('a.status', '=', 'active'))
      .select(['i.id', 'i.account_id', 'i.amount', 'i.attempt', 'i.status', 'a.id as payoutAccountId', 'a.partner', 'a.account_number', 'a.holder_name', 'a.usable_from'])
      .where('i.id', '=', payoutId)
      .where(notFrozen)
  // Taken by another run, or the account changed since the batch was formed.
  const usable = (p: Awaited<ReturnType<ReturnType<typeof pick>['executeTakeFirst']>>) => !!p && p.status === 'scheduled' && !(p.usable_from && p.usable_from > now)
  const first = await pick(deps.db).executeTakeFirst()
  if (!usable(first)) return null
  const amount = Number(first!.amount)
  const reference = { type: 'payout', id: payoutId }
  try {
    const incentive = await ledger.openAccount(deps.db, 'participant_incentive', first!.account_id)
    await ledger.transfer(deps.db, { debitAccountId: ids.fund, creditAccountId: incentive.id, amount, code: 'incentive', reference, idempotencyKey: `payout:${payoutId}:credit` })
    return await transaction(deps.db, async (trx) => {
      const p = await pick(trx).forUpdate().executeTakeFirst()
      if (!usable(p)) return null
      await trx
        .updateTable('incentive_payouts')
        .set({ status: 'sending', payout_account_id: p!.payoutAccountId, partner: p!.partner, masked_account: maskAccount(p!.account_number), batch_id: batchId, sent_at: now })
        .where('id', '=', payoutId)
        .execute()
      await payoutEvent(trx, payoutId, 'held', now, { attempt: p!.attempt, partner: p!.partner })
      // Last, so the clearing account's row is locked only until the commit.
      const hold = await ledger.hold(trx, { debitAccountId: incentive.id, creditAccountId: ids.clearing, amount, code: 'payout', reference, idempotencyKey: `payout:${payoutId}:hold:${p!.attempt}`, timeoutSeconds: MAX_HOLD_SECONDS })
      await trx.updateTable('incentive_payouts').set({ hold_id: hold.transfer.id }).where('id', '=', payoutId).execute()
      return { id: payoutId, attempt: p!.attempt, amount, partner: p!.partner as PartnerCode, accountNumber: p!.account_number, holderName: p!.holder_name }
    })
  } catch (err) {
    if (err instanceof AppError && err.code === 'LEDGER_INSUFFICIENT_FUNDS') return 'fund_short'
    throw err
  }
}

export async function runPayouts(deps: IncentivesDeps, opts: RunOptions = {}): Promise<RunReport> {
  const report: RunReport = { recovered: 0, batches: 0, held: 0, acknowledged: 0, paid: 0, failed: 0, unknown: 0, fundShort: 0, retried: 0 }
  await recover(deps, opts, report)
  report.retried = await retryLimitFailures(deps)
  const now = deps.clock.now()
  const due = await deps.db
    .selectFrom('incentive_payouts as i')
    .innerJoin('payout_accounts as a', (j) => j.onRef('a.account_id', '=', 'i.account_id').on('a.status', '=', 'active'))
    .select(['i.id', 'i.amount', 'a.partner'])
    .where('i.status', '=', 'scheduled')
    .where('i.due_at', '<=', now)
    // During the cooling-off after a change of account nothing goes to the new one.
    .where('a.usable_from', '<=', now)
    .where(notFrozen)
    .orderBy('i.due_at')
    .limit(opts.limit ?? 100_000)
    .execute()
  const byPartner = new Map<string, typeof due>()
  for (const d of due) byPartner.set(d.partner, [...(byPartner.get(d.partner) ?? []), d])
  const ledger = ledgerOf(deps)
  const ids = await programmeAccounts(deps, deps.db)
  const size = opts.batchSize ?? 1000
  for (const [partner, rows] of byPartner) {
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size)
      const total = chunk.reduce((s, r) => s + Number(r.amount), 0)
      // The fund check: a batch the programme fund cannot cover waits whole, rather than paying some at random.
      if ((await ledger.balance(deps.db, ids.fund)).available < total) {
        report.fundShort += chunk.length
        continue
      }
      const batch = await deps.db.insertInto('payout_batches').values({ partner, payouts: chunk.length, total, created_at: now }).returning('id').executeTakeFirstOrThrow()
      report.batches++
      await pool(chunk, opts.concurrency ?? 8, async (r) => {
        const p = await prepare(deps, ids, r.id, batch.id)
        if (p === 'fund_short') report.fundShort++
        if (p === null || p === 'fund_short') return
        report.held++
        count(report, await send(deps, p, opts))
      })
    }
  }
  return report
}
