/**
 * The end of a payout attempt, from whichever source tells it first — the partner's
 * callback, a status query, the daily statement: paid (the hold is posted and the money
 * leaves to the partner's settlement account) or failed (the hold is voided, the money
 * stays the participant's, and they are told what to fix). Each runs under the payout's
 * row lock and is idempotent: a second report of the same end changes nothing, and a
 * report for an older attempt is kept as an event only.
 */
import type { Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { formatRupiah } from '../ledger/index.ts'
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

export async function confirmPaid(deps: IncentivesDeps, trx: Executor, payoutId: string, r: PaidReport): Promise<SettleOutcome> {
  const now = deps.clock.now()
  const p = await lockPayout(trx, payoutId)
  if (r.attempt !== p.attempt) {
    await payoutEvent(trx, p.id, 'stale_report', now, { status: 'paid', attempt: r.attempt, source: r.source })
    return 'stale'
  }
  if (p.status === 'paid') return 'duplicate'
  if (!(IN_FLIGHT as readonly string[]).includes(p.status) || p.hold_id === null) {
    await payoutEvent(trx, p.id, 'paid_report_unexpected', now, { status: p.status, source: r.source, partnerRef: r.partnerRef })
    return 'stale'
  }
  if (r.amount !== Number(p.amount)) {
    await payoutEvent(trx, p.id, 'amount_mismatch', now, { reported: r.amount, source: r.source })
    return 'mismatch'
  }
  await trx.updateTable('incentive_payouts').set({ status: 'paid', paid_at: now, partner_ref: r.partnerRef }).where('id', '=', p.id).execute()
  await payoutEvent(trx, p.id, 'paid', now, { source: r.source, partnerRef: r.partnerRef })
  const where = `${PARTNERS[p.partner as PartnerCode]?.name ?? p.partner} ${p.masked_account ?? ''}`
  await tell(deps, trx, p.account_id, 'Insentif dibayarkan / Incentive paid', `Insentif Karya ${formatRupiah('id', Number(p.amount))} sudah masuk ke ${where}. / Your Karya incentive of ${formatRupiah('en', Number(p.amount))} was paid to ${where}.`)
  // The money moves last: the clearing and settlement rows every payout shares stay locked only until the commit.
  const ledger = ledgerOf(deps)
  const ids = await programmeAccounts(deps, trx)
  await ledger.post(trx, { holdId: Number(p.hold_id), idempotencyKey: `payout:${p.id}:post:${p.attempt}` })
  await ledger.transfer(trx, {
    debitAccountId: ids.clearing,
    creditAccountId: ids.settlement,
    amount: Number(p.amount),
    code: 'payout_settled',
    reference: { type: 'payout', id: p.id },
    idempotencyKey: `payout:${p.id}:settle`,
  })
  return 'paid'
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
