/**
 * The daily payout run (issue #8). In-flight payouts from an earlier run are settled first
 * (asked about by their key, re-sent under the same key when the partner never got them);
 * then due payouts are formed into batches per partner, the programme fund is checked, and
 * each payout is credited and held in the ledger and marked `sending` in one transaction
 * BEFORE it is sent. So a process that dies after sending leaves a `sending` row that the
 * next run resolves with the same key: never a second key, never a forgotten payment.
 */
import { sql, type ExpressionBuilder } from 'kysely'
import { transaction, type Executor } from '../../platform/db/database.ts'
import type { DB } from '../../platform/db/schema.ts'
import { AppError } from '../../platform/errors.ts'
import { MAX_HOLD_SECONDS } from '../ledger/amount.ts'
import { createBatchLedger } from '../ledger/index.ts'
import { maskAccount, PartnerUnavailable, payoutKey, type PartnerCode, type SendAnswer, type TransferState } from './gateway.ts'
import { ledgerOf, programmeAccounts, type IncentivesDeps } from './deps.ts'
import { confirmPaidMany, markFailed, markSentMany, type SettleOutcome } from './settle.service.ts'

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

/** Asks the partner; null: no answer (timeout or outage). */
async function ask(deps: IncentivesDeps, p: InFlight): Promise<SendAnswer | null> {
  try {
    return await deps.gateway.partner(p.partner).send({ key: payoutKey(p.id, p.attempt), payoutId: p.id, accountNumber: p.accountNumber, holderName: p.holderName, amount: p.amount })
  } catch (err) {
    if (!(err instanceof PartnerUnavailable)) throw err
    return null
  }
}

/**
 * Sends the payouts (n at a time), then records the answers together in one transaction.
 * `afterSend` throwing is the process dying after a send: nothing of this set is recorded,
 * and the payouts stay `sending`, which the next run resolves by their keys.
 */
async function sendAll(deps: IncentivesDeps, list: readonly InFlight[], opts: RunOptions, report: RunReport): Promise<void> {
  const answers: { p: InFlight; answer: SendAnswer | null }[] = []
  await pool(list, opts.concurrency ?? 8, async (p) => {
    const answer = await ask(deps, p)
    await opts.afterSend?.(p.id)
    answers.push({ p, answer })
  })
  for (const o of await recordAnswers(deps, answers)) count(report, o)
}

/** Records what the partners answered: acknowledged → sent, no answer → unknown, refused → failed (hold returned). */
async function recordAnswers(deps: IncentivesDeps, answers: readonly { p: InFlight; answer: SendAnswer | null }[]): Promise<(SettleOutcome | 'unknown')[]> {
  if (answers.length === 0) return []
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    // Locked in id order first, as every path changing several payouts does.
    await trx.selectFrom('incentive_payouts').select('id').where('id', 'in', answers.map((a) => a.p.id)).orderBy('id').forUpdate().execute()
    const out: (SettleOutcome | 'unknown')[] = answers.map(() => 'unknown')
    const accepted = answers.flatMap((a, index) => (a.answer?.status === 'accepted' ? [{ index, payoutId: a.p.id, attempt: a.p.attempt, partnerRef: a.answer.partnerRef }] : []))
    const sent = await markSentMany(deps, trx, accepted)
    for (const [i, x] of accepted.entries()) out[x.index] = sent[i]!
    const silent = answers.filter((a) => a.answer === null)
    if (silent.length > 0) {
      const changed = await sql<{ id: string }>`
        update incentive_payouts i set status = 'unknown'
        from (values ${sql.join(silent.map((a) => sql`(${a.p.id}::uuid, ${a.p.attempt}::integer)`))}) as v(id, attempt)
        where i.id = v.id and i.attempt = v.attempt and i.status = 'sending'
        returning i.id`.execute(trx)
      if (changed.rows.length > 0) await trx.insertInto('payout_events').values(changed.rows.map((r) => ({ payout_id: r.id, kind: 'no_answer', details: '{}', at: now }))).execute()
    }
    for (const [index, a] of answers.entries()) {
      if (a.answer?.status === 'rejected') out[index] = await markFailed(deps, trx, a.p.id, a.p.attempt, a.answer.reason, 'answer')
    }
    return out
  })
}

/** Payouts that may be with the partner: asked about by their key, re-sent under it when unknown there. */
async function recover(deps: IncentivesDeps, opts: RunOptions, report: RunReport): Promise<void> {
  const staleSent = new Date(deps.clock.now().getTime() - DAY_MS)
  const rows = await deps.db
    .selectFrom('incentive_payouts as i')
    .innerJoin('payout_accounts as a', 'a.id', 'i.payout_account_id')
    .select(['i.id', 'i.attempt', 'i.amount', 'i.partner', 'i.status', 'a.account_number', 'a.holder_name'])
    .where((eb) => eb.or([eb('i.status', 'in', ['sending', 'unknown']), eb.and([eb('i.status', '=', 'sent'), eb('i.sent_at', '<', staleSent)])]))
    .orderBy('i.id')
    .execute()
  const size = opts.batchSize ?? 500
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size)
    const states: { p: InFlight; status: string; state: TransferState | null }[] = []
    await pool(chunk, opts.concurrency ?? 8, async (r) => {
      const p: InFlight = { id: r.id, attempt: r.attempt, amount: Number(r.amount), partner: r.partner as PartnerCode, accountNumber: r.account_number, holderName: r.holder_name }
      try {
        states.push({ p, status: r.status, state: await deps.gateway.partner(p.partner).status(payoutKey(p.id, p.attempt)) })
      } catch (err) {
        if (err instanceof PartnerUnavailable) return
        throw err
      }
    })
    report.recovered += states.length
    // What the partners know, applied in one transaction.
    const known = states.filter((s) => s.state !== null)
    if (known.length > 0) {
      const outcomes = await transaction(deps.db, async (trx) => {
        await trx.selectFrom('incentive_payouts').select('id').where('id', 'in', known.map((s) => s.p.id)).orderBy('id').forUpdate().execute()
        const paid = known.filter((s) => s.state!.status === 'paid')
        const processing = known.filter((s) => s.state!.status === 'processing')
        const out: (SettleOutcome | 'unknown')[] = [
          ...(await confirmPaidMany(deps, trx, paid.map((s) => ({ payoutId: s.p.id, attempt: s.p.attempt, partnerRef: s.state!.partnerRef, amount: s.state!.amount, source: 'status' as const })))),
          ...(await markSentMany(deps, trx, processing.map((s) => ({ payoutId: s.p.id, attempt: s.p.attempt, partnerRef: s.state!.partnerRef })))),
        ]
        for (const s of known) if (s.state!.status === 'failed') out.push(await markFailed(deps, trx, s.p.id, s.p.attempt, s.state!.reason ?? 'account_unknown', 'status'))
        return out
      })
      for (const o of outcomes) count(report, o)
    }
    // The partner never received these: the same key again, so a late arrival of the first cannot pay twice.
    await sendAll(
      deps,
      states.filter((s) => s.state === null && s.status !== 'sent').map((s) => s.p),
      opts,
      report,
    )
  }
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
 * Writes a batch ahead of its sending. First each usable payout is credited to the
 * participant from the programme fund (key `payout:<id>:credit`, once per payout) in its own
 * short transaction: the fund's row, which every batch debits, is locked only for it, and a
 * crash after it only means the next run replays the credits. Then in one transaction the
 * payouts still `scheduled` (and whose account is usable) are locked, marked `sending`, and
 * their amounts held (participant_incentive → payout_clearing, key
 * `payout:<id>:hold:<attempt>`), the ledger last so the clearing row is locked only until the
 * commit. A fund that cannot cover the batch refuses it whole.
 */
async function prepareBatch(deps: IncentivesDeps, ids: { fund: number; clearing: number }, payoutIds: readonly string[], batchId: string): Promise<InFlight[] | 'fund_short'> {
  const now = deps.clock.now()
  const ledger = createBatchLedger({ jobs: deps.jobs, clock: deps.clock })
  // Taken by another run, or the account changed since the batch was formed.
  const usable = (ex: Executor, idList: readonly string[]) =>
    ex
      .selectFrom('incentive_payouts as i')
      .innerJoin('payout_accounts as a', (j) => j.onRef('a.account_id', '=', 'i.account_id').on('a.status', '=', 'active'))
      .select(['i.id', 'i.account_id', 'i.amount', 'i.attempt', 'a.id as payoutAccountId', 'a.partner', 'a.account_number', 'a.holder_name'])
      .where('i.id', 'in', [...idList])
      .where('i.status', '=', 'scheduled')
      .where(notFrozen)
      .where((eb) => eb.or([eb('a.usable_from', 'is', null), eb('a.usable_from', '<=', now)]))
      .orderBy('i.id')
      .execute()
  const reference = (id: string) => ({ type: 'payout', id })
  const candidates = await usable(deps.db, payoutIds)
  if (candidates.length === 0) return []
  const incentive = await ledger.openAccounts(deps.db, 'participant_incentive', candidates.map((r) => r.account_id))
  try {
    await ledger.transferMany(
      deps.db,
      candidates.map((r) => ({ debitAccountId: ids.fund, creditAccountId: incentive.get(r.account_id)!, amount: Number(r.amount), code: 'incentive' as const, reference: reference(r.id), idempotencyKey: `payout:${r.id}:credit` })),
    )
  } catch (err) {
    if (err instanceof AppError && err.code === 'LEDGER_INSUFFICIENT_FUNDS') return 'fund_short'
    throw err
  }
  return transaction(deps.db, async (trx) => {
    const locked = await trx.selectFrom('incentive_payouts').select('id').where('id', 'in', candidates.map((r) => r.id)).where('status', '=', 'scheduled').orderBy('id').forUpdate().execute()
    if (locked.length === 0) return []
    const rows = await usable(trx, locked.map((r) => r.id))
    if (rows.length === 0) return []
    await sql`
      update incentive_payouts i set status = 'sending', payout_account_id = v.account, partner = v.partner, masked_account = v.masked,
        batch_id = ${batchId}::uuid, sent_at = ${now}
      from (values ${sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.payoutAccountId}::uuid, ${r.partner}::text, ${maskAccount(r.account_number)}::text)`))})
        as v(id, account, partner, masked)
      where i.id = v.id`.execute(trx)
    await trx
      .insertInto('payout_events')
      .values(rows.map((r) => ({ payout_id: r.id, kind: 'held', details: JSON.stringify({ attempt: r.attempt, partner: r.partner }), at: now })))
      .execute()
    const holds = await ledger.holdMany(
      trx,
      rows.map((r) => ({
        debitAccountId: incentive.get(r.account_id)!,
        creditAccountId: ids.clearing,
        amount: Number(r.amount),
        code: 'payout' as const,
        reference: reference(r.id),
        idempotencyKey: `payout:${r.id}:hold:${r.attempt}`,
        timeoutSeconds: MAX_HOLD_SECONDS,
      })),
    )
    await sql`
      update incentive_payouts i set hold_id = v.hold
      from (values ${sql.join(rows.map((r, k) => sql`(${r.id}::uuid, ${holds[k]!.transfer.id}::bigint)`))}) as v(id, hold)
      where i.id = v.id`.execute(trx)
    return rows.map((r) => ({ id: r.id, attempt: r.attempt, amount: Number(r.amount), partner: r.partner as PartnerCode, accountNumber: r.account_number, holderName: r.holder_name }))
  })
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
  for (const d of due) {
    const list = byPartner.get(d.partner)
    if (list) list.push(d)
    else byPartner.set(d.partner, [d])
  }
  const ledger = ledgerOf(deps)
  const ids = await programmeAccounts(deps, deps.db)
  const size = opts.batchSize ?? 500
  // The partners' batches go side by side, one lane per partner (they share only the fund and
  // clearing rows, locked for the write-ahead statement of each batch). A lane that fails (the
  // process "dies") stops the others after their current batch, and the first error is thrown.
  let stopped = false
  await pool([...byPartner], byPartner.size, async ([partner, rows]) => {
    try {
      for (let i = 0; i < rows.length && !stopped; i += size) {
        const chunk = rows.slice(i, i + size)
        const total = chunk.reduce((s, r) => s + Number(r.amount), 0)
        // The fund check: a batch the programme fund cannot cover waits whole, rather than paying some at random.
        if ((await ledger.balance(deps.db, ids.fund)).available < total) {
          report.fundShort += chunk.length
          continue
        }
        const batch = await deps.db.insertInto('payout_batches').values({ partner, payouts: chunk.length, total, created_at: now }).returning('id').executeTakeFirstOrThrow()
        report.batches++
        const prepared = await prepareBatch(deps, ids, chunk.map((r) => r.id), batch.id)
        if (prepared === 'fund_short') {
          report.fundShort += chunk.length
          continue
        }
        report.held += prepared.length
        await sendAll(deps, prepared, opts, report)
      }
    } catch (err) {
      stopped = true
      throw err
    }
  })
  return report
}
