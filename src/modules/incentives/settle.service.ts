/**
 * The end of a payout attempt, from whichever source tells it first — the partner's
 * callback, a status query, the daily statement: paid (the hold is posted and the money
 * leaves to the partner's settlement account) or failed (the hold is voided, the money
 * stays the participant's, and they are told what to fix). Each runs under the payout's
 * row lock and is idempotent: a second report of the same end changes nothing, and a
 * report for an older attempt is kept as an event only.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { MailMessage } from '../../platform/mail/index.ts'
import { AppError } from '../../platform/errors.ts'
import { createBatchLedger, formatRupiah } from '../ledger/index.ts'
import { PARTNERS, type FailureReason, type PartnerCode } from './gateway.ts'
import { ledgerOf, programmeAccounts, type IncentivesDeps } from './deps.ts'
import { FAILURE_HELP } from './incentives.texts.ts'

export type SettleOutcome = 'paid' | 'failed' | 'duplicate' | 'stale' | 'mismatch' | 'acknowledged'
const IN_FLIGHT = ['sending', 'sent', 'unknown'] as const

export async function payoutEvent(ex: Executor, payoutId: string, kind: string, at: Date, details: Record<string, unknown> = {}): Promise<void> {
  await ex.insertInto('payout_events').values({ payout_id: payoutId, kind, details: JSON.stringify(details), at }).execute()
}

async function lockPayout(ex: Executor, payoutId: string) {
  const p = await ex.selectFrom('incentive_payouts').selectAll().where('id', '=', payoutId).forUpdate().executeTakeFirst()
  if (!p) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
  return p
}

async function tell(deps: IncentivesDeps, ex: Executor, accountId: string, subject: string, text: string): Promise<void> {
  const a = await ex.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at']).where('id', '=', accountId).executeTakeFirstOrThrow()
  if (a.email) await deps.mail.send(ex, { accountId, to: a.email, template: 'incentives.payout', subject, text, link: '/insentif' })
  else if (a.phone && a.phone_verified_at) await deps.mail.send(ex, { accountId, to: a.phone, channel: 'sms', template: 'incentives.payout', subject, text })
}

export interface PaidReport {
  readonly attempt: number
  readonly partnerRef: string
  readonly amount: number
  readonly source: 'callback' | 'status' | 'statement'
}

/** Locks the payouts in id order: every path that changes several payouts in one transaction takes them so, and none waits on another in a circle. */
async function lockPayouts(ex: Executor, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, Awaited<ReturnType<typeof lockPayout>>>()
  const rows = await ex.selectFrom('incentive_payouts').selectAll().where('id', 'in', [...new Set(ids)]).orderBy('id').forUpdate().execute()
  return new Map(rows.map((r) => [r.id, r]))
}

export async function confirmPaid(deps: IncentivesDeps, trx: Executor, payoutId: string, r: PaidReport): Promise<SettleOutcome> {
  return (await confirmPaidMany(deps, trx, [{ payoutId, ...r }]))[0]!
}

/**
 * Paid reports, many at once (a batch of callbacks, the status answers of a run, a day's
 * statement): each payout still in flight for that attempt is marked paid and its hold
 * posted; the money then leaves the clearing account for the partners' settlement account
 * in one transfer per batch (decision 0010), and each participant is told. Duplicates,
 * reports about an older attempt and differing amounts are recorded as events only.
 */
export async function confirmPaidMany(deps: IncentivesDeps, trx: Executor, reports: readonly (PaidReport & { payoutId: string })[]): Promise<SettleOutcome[]> {
  const now = deps.clock.now()
  const rows = await lockPayouts(trx, reports.map((r) => r.payoutId))
  const events: { payout_id: string; kind: string; details: string; at: Date }[] = []
  const event = (payoutId: string, kind: string, details: Record<string, unknown>) => events.push({ payout_id: payoutId, kind, details: JSON.stringify(details), at: now })
  const outcomes: SettleOutcome[] = []
  const paying = new Map<string, { index: number; report: PaidReport; p: NonNullable<ReturnType<typeof rows.get>> }>()
  for (const [index, r] of reports.entries()) {
    const p = rows.get(r.payoutId)
    if (!p) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
    if (r.attempt !== p.attempt) {
      event(p.id, 'stale_report', { status: 'paid', attempt: r.attempt, source: r.source })
      outcomes.push('stale')
    } else if (p.status === 'paid' || paying.has(p.id)) {
      outcomes.push('duplicate')
    } else if (!(IN_FLIGHT as readonly string[]).includes(p.status) || p.hold_id === null) {
      event(p.id, 'paid_report_unexpected', { status: p.status, source: r.source, partnerRef: r.partnerRef })
      outcomes.push('stale')
    } else if (r.amount !== Number(p.amount)) {
      event(p.id, 'amount_mismatch', { reported: r.amount, source: r.source })
      outcomes.push('mismatch')
    } else {
      paying.set(p.id, { index, report: r, p })
      outcomes.push('paid')
    }
  }
  const list = [...paying.values()]
  const ledger = createBatchLedger({ jobs: deps.jobs, clock: deps.clock })
  // A hold past the ledger's deadline is as good as released: the report is kept for PMO, the payout is not marked paid.
  const expired = list.length === 0 ? new Set<number>() : await ledger.pastDeadline(trx, list.map(({ p }) => Number(p.hold_id)))
  const done = list.filter((x) => {
    if (!expired.has(Number(x.p.hold_id))) return true
    event(x.p.id, 'paid_report_hold_expired', { source: x.report.source, partnerRef: x.report.partnerRef })
    outcomes[x.index] = 'stale'
    return false
  })
  if (done.length > 0) {
    // One settlement transfer for the batch, keyed by its first payout (paid once, so the key is the batch's alone).
    const first = done.map((x) => x.p.id).sort()[0]!
    const settlementKey = `payout:${first}:settled-with:${done.length}`
    // Our own rows first; the ledger last, so the clearing and settlement rows every batch shares stay locked only until the commit.
    await sql`
      update incentive_payouts i set status = 'paid', paid_at = ${now}, partner_ref = v.ref
      from (values ${sql.join(done.map((x) => sql`(${x.p.id}::uuid, ${x.report.partnerRef}::text)`))}) as v(id, ref)
      where i.id = v.id`.execute(trx)
    for (const x of done) event(x.p.id, 'paid', { source: x.report.source, partnerRef: x.report.partnerRef, settlementKey })
    await trx.insertInto('payout_events').values(events.splice(0)).execute()
    await tellMany(
      deps,
      trx,
      done.map(({ p }) => {
        const where = `${PARTNERS[p.partner as PartnerCode]?.name ?? p.partner} ${p.masked_account ?? ''}`
        return {
          accountId: p.account_id,
          subject: 'Insentif dibayarkan / Incentive paid',
          text: `Insentif Karya ${formatRupiah('id', Number(p.amount))} sudah masuk ke ${where}. / Your Karya incentive of ${formatRupiah('en', Number(p.amount))} was paid to ${where}.`,
        }
      }),
    )
    const ids = await programmeAccounts(deps, trx)
    const posted = await ledger.postMany(
      trx,
      done.map(({ p }) => ({ holdId: Number(p.hold_id), idempotencyKey: `payout:${p.id}:post:${p.attempt}` })),
    )
    // Reached its deadline in the moment since it was read: nothing of this batch is kept; the partner sends it again.
    if (posted.includes(null)) throw new Error('confirmPaidMany: a hold reached its deadline during the confirmation')
    await ledgerOf(deps).transfer(trx, {
      debitAccountId: ids.clearing,
      creditAccountId: ids.settlement,
      amount: done.reduce((s, x) => s + Number(x.p.amount), 0),
      code: 'payout_settled',
      reference: { type: 'payout_settlement', id: first },
      idempotencyKey: settlementKey,
    })
  }
  if (events.length > 0) await trx.insertInto('payout_events').values(events).execute()
  return outcomes
}

/** The same as `tell`, for many participants in a few statements. */
async function tellMany(deps: IncentivesDeps, ex: Executor, msgs: readonly { accountId: string; subject: string; text: string }[]): Promise<void> {
  const accounts = new Map(
    (await ex.selectFrom('accounts').select(['id', 'email', 'phone', 'phone_verified_at']).where('id', 'in', [...new Set(msgs.map((m) => m.accountId))]).execute()).map((a) => [a.id, a]),
  )
  const out: MailMessage[] = []
  for (const m of msgs) {
    const a = accounts.get(m.accountId)
    if (a?.email) out.push({ accountId: m.accountId, to: a.email, template: 'incentives.payout', subject: m.subject, text: m.text, link: '/insentif' })
    else if (a?.phone && a.phone_verified_at) out.push({ accountId: m.accountId, to: a.phone, channel: 'sms', template: 'incentives.payout', subject: m.subject, text: m.text })
  }
  await deps.mail.sendMany(ex, out)
}

export async function markFailed(deps: IncentivesDeps, trx: Executor, payoutId: string, attempt: number, reason: FailureReason, source: 'answer' | 'callback' | 'status'): Promise<SettleOutcome> {
  const now = deps.clock.now()
  const p = await lockPayout(trx, payoutId)
  if (attempt !== p.attempt) {
    await payoutEvent(trx, p.id, 'stale_report', now, { status: 'failed', attempt, source })
    return 'stale'
  }
  if (p.status === 'failed') return 'duplicate'
  if (!(IN_FLIGHT as readonly string[]).includes(p.status) || p.hold_id === null) {
    // A failure reported after the money was confirmed paid is the partner's contradiction: kept for PMO.
    await payoutEvent(trx, p.id, 'failed_report_unexpected', now, { status: p.status, reason, source })
    return 'stale'
  }
  await trx.updateTable('incentive_payouts').set({ status: 'failed', failure: reason, failed_at: now }).where('id', '=', p.id).execute()
  await payoutEvent(trx, p.id, 'failed', now, { reason, source })
  const help = FAILURE_HELP[reason]
  await tell(deps, trx, p.account_id, 'Insentif belum terkirim / Incentive not paid yet', `${help.id} / ${help.en}`)
  await ledgerOf(deps).void(trx, { holdId: Number(p.hold_id), idempotencyKey: `payout:${p.id}:void:${p.attempt}` })
  return 'failed'
}

/** The partner acknowledged or reported "processing": the payout is with them. */
export async function markSent(deps: IncentivesDeps, trx: Executor, payoutId: string, attempt: number, partnerRef: string): Promise<SettleOutcome> {
  const now = deps.clock.now()
  const r = await trx
    .updateTable('incentive_payouts')
    .set({ status: 'sent', partner_ref: partnerRef })
    .where('id', '=', payoutId)
    .where('attempt', '=', attempt)
    .where('status', 'in', ['sending', 'unknown'])
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return 'duplicate'
  await payoutEvent(trx, payoutId, 'acknowledged', now, { partnerRef })
  return 'acknowledged'
}

/** Acknowledgements (answers or "processing" reports), many at once; the payouts are already locked by the caller or changed by one statement each. */
export async function markSentMany(deps: IncentivesDeps, trx: Executor, items: readonly { payoutId: string; attempt: number; partnerRef: string }[]): Promise<SettleOutcome[]> {
  if (items.length === 0) return []
  const now = deps.clock.now()
  const changed = await sql<{ id: string }>`
    update incentive_payouts i set status = 'sent', partner_ref = v.ref
    from (values ${sql.join(items.map((x) => sql`(${x.payoutId}::uuid, ${x.attempt}::integer, ${x.partnerRef}::text)`))}) as v(id, attempt, ref)
    where i.id = v.id and i.attempt = v.attempt and i.status in ('sending', 'unknown')
    returning i.id`.execute(trx)
  const ids = new Set(changed.rows.map((r) => r.id))
  const seen = new Set<string>()
  const out: SettleOutcome[] = []
  const events: { payout_id: string; kind: string; details: string; at: Date }[] = []
  for (const x of items) {
    if (ids.has(x.payoutId) && !seen.has(x.payoutId)) {
      seen.add(x.payoutId)
      events.push({ payout_id: x.payoutId, kind: 'acknowledged', details: JSON.stringify({ partnerRef: x.partnerRef }), at: now })
      out.push('acknowledged')
    } else out.push('duplicate')
  }
  if (events.length > 0) await trx.insertInto('payout_events').values(events).execute()
  return out
}
