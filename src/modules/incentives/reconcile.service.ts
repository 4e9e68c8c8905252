/**
 * What the partners tell us afterwards: signed callbacks, and the statement of each day's
 * payments. A callback is checked (signature, time, a payout we know at this partner) and
 * applied idempotently, so a duplicate or one arriving out of order changes nothing. The
 * statement confirms payouts no callback confirmed, and flags for PMO what does not add
 * up: a payment we do not know, one listed twice, an amount that differs, or a payout we
 * count as paid or sent that the statement lacks.
 */
import crypto from 'node:crypto'
import { sql } from 'kysely'
import { transaction } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { callbackSecret, isPartnerCode, parsePayoutKey, payoutKey, PartnerUnavailable, signCallback, type CallbackBody, type PartnerCode } from './gateway.ts'
import type { FindingKind } from './incentives.tables.ts'
import type { IncentivesDeps } from './deps.ts'
import { confirmPaid, markFailed, markSent, payoutEvent, type SettleOutcome } from './settle.service.ts'

const SKEW_S = 300

function verify(deps: IncentivesDeps, partner: string, headers: Record<string, string | string[] | undefined>, rawBody: string): void {
  const ts = headers['x-payment-timestamp']
  const sig = headers['x-payment-signature']
  if (typeof ts !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(ts)) throw new AppError('PAYMENT_CALLBACK_SIGNATURE')
  if (Math.abs(deps.clock.now().getTime() / 1000 - Number(ts)) > SKEW_S) throw new AppError('PAYMENT_CALLBACK_SIGNATURE')
  const want = Buffer.from(signCallback(callbackSecret(deps.secret, partner), partner, ts, rawBody))
  const got = Buffer.from(sig)
  if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) throw new AppError('PAYMENT_CALLBACK_SIGNATURE')
}

function parseBody(rawBody: string): CallbackBody {
  let b: Partial<CallbackBody>
  try {
    b = JSON.parse(rawBody) as Partial<CallbackBody>
  } catch {
    throw new AppError('MALFORMED_REQUEST')
  }
  if (typeof b.key !== 'string' || !['processing', 'paid', 'failed'].includes(String(b.status)) || typeof b.partnerRef !== 'string' || typeof b.amount !== 'number') {
    throw new AppError('MALFORMED_REQUEST')
  }
  return b as CallbackBody
}

/** A partner's callback: refused unless signed by that partner and about a payout sent there. */
export async function handleCallback(deps: IncentivesDeps, partner: string, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<SettleOutcome> {
  if (!isPartnerCode(partner)) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
  verify(deps, partner, headers, rawBody)
  const body = parseBody(rawBody)
  const key = parsePayoutKey(body.key)
  if (!key) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
  return transaction(deps.db, async (trx) => {
    const p = await trx.selectFrom('incentive_payouts').select(['id', 'partner', 'attempt']).where('id', '=', key.payoutId).executeTakeFirst()
    if (!p) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
    if (p.partner !== partner) {
      // A late report about an earlier attempt that went to this partner (before the participant changed account) is kept, not refused: the partner would only retry it.
      const earlier =
        key.attempt < p.attempt &&
        (await trx
          .selectFrom('payout_events')
          .select('id')
          .where('payout_id', '=', p.id)
          .where('kind', '=', 'held')
          .where(sql<string>`details->>'partner'`, '=', partner)
          .where(sql<string>`details->>'attempt'`, '=', String(key.attempt))
          .executeTakeFirst())
      if (!earlier) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
      await payoutEvent(trx, p.id, 'stale_report', deps.clock.now(), { status: body.status, attempt: key.attempt, partner, source: 'callback' })
      return 'stale'
    }
    if (body.status === 'paid') return confirmPaid(deps, trx, p.id, { attempt: key.attempt, partnerRef: body.partnerRef, amount: body.amount, source: 'callback' })
    if (body.status === 'failed') return markFailed(deps, trx, p.id, key.attempt, body.reason ?? 'account_unknown', 'callback')
    return markSent(deps, trx, p.id, key.attempt, body.partnerRef)
  })
}

/** [start, end) of a WIB day. */
export function wibDayRange(day: string): [Date, Date] {
  const start = new Date(`${day}T00:00:00+07:00`)
  return [start, new Date(start.getTime() + 86_400_000)]
}

export interface ReconcileReport {
  readonly partner: PartnerCode
  readonly day: string
  readonly lines: number
  readonly confirmed: number
  readonly findings: Record<FindingKind, number>
}

export async function reconcile(deps: IncentivesDeps, partner: PartnerCode, day: string): Promise<ReconcileReport> {
  const lines = await deps.gateway.partner(partner).statement(day)
  const now = deps.clock.now()
  const findings: Record<FindingKind, number> = { missing: 0, duplicate: 0, mismatch: 0, unknown: 0, confirmed: 0 }
  const flag = async (kind: FindingKind, partnerKey: string, payoutId: string | null, details: Record<string, unknown>) => {
    const r = await deps.db
      .insertInto('reconciliation_findings')
      .values({ partner, day, kind, partner_key: partnerKey, payout_id: payoutId, details: JSON.stringify(details), created_at: now })
      .onConflict((oc) => oc.constraint('reconciliation_findings_once').doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) findings[kind]++
  }
  const seen = new Map<string, number>()
  for (const l of lines) seen.set(l.key, (seen.get(l.key) ?? 0) + 1)
  let confirmed = 0
  for (const [k, n] of seen) {
    const line = lines.find((l) => l.key === k)!
    if (n > 1) await flag('duplicate', k, parsePayoutKey(k)?.payoutId ?? null, { times: n, amount: line.amount })
    const key = parsePayoutKey(k)
    const p = key ? await deps.db.selectFrom('incentive_payouts').select(['id', 'partner', 'amount', 'status', 'attempt']).where('id', '=', key.payoutId).executeTakeFirst() : undefined
    if (!key || !p || p.partner !== partner) {
      await flag('unknown', k, null, { amount: line.amount, partnerRef: line.partnerRef })
      continue
    }
    if (Number(p.amount) !== line.amount) {
      await flag('mismatch', k, p.id, { ours: Number(p.amount), theirs: line.amount })
      continue
    }
    if (key.attempt !== p.attempt || p.status === 'failed' || p.status === 'cancelled') {
      await flag('mismatch', k, p.id, { ours: p.status, attempt: p.attempt, theirs: 'paid' })
      continue
    }
    if (p.status !== 'paid') {
      const outcome = await transaction(deps.db, (trx) => confirmPaid(deps, trx, p.id, { attempt: key.attempt, partnerRef: line.partnerRef, amount: line.amount, source: 'statement' }))
      if (outcome === 'paid') {
        confirmed++
        await flag('confirmed', k, p.id, { partnerRef: line.partnerRef })
      }
    }
  }
  // Ours and not theirs: paid or sent that day, absent from the statement.
  const [from, to] = wibDayRange(day)
  const ours = await deps.db
    .selectFrom('incentive_payouts')
    .select(['id', 'attempt', 'status', 'amount'])
    .where('partner', '=', partner)
    .where('status', 'in', ['paid', 'sent'])
    .where(sql<boolean>`coalesce(paid_at, sent_at) >= ${from} and coalesce(paid_at, sent_at) < ${to}`)
    .execute()
  for (const p of ours) {
    const k = payoutKey(p.id, p.attempt)
    if (!seen.has(k)) await flag('missing', k, p.id, { ours: p.status, amount: Number(p.amount) })
  }
  const total = lines.reduce((s, l) => s + l.amount, 0)
  await deps.db
    .insertInto('payout_statements')
    .values({ partner, day, lines: lines.length, total, reconciled_at: now })
    .onConflict((oc) => oc.columns(['partner', 'day']).doUpdateSet({ lines: lines.length, total, reconciled_at: now }))
    .execute()
  return { partner, day, lines: lines.length, confirmed, findings }
}

/** Reconciles one day for every partner that answers; a partner that does not is tried on the next run. */
export async function reconcileAll(deps: IncentivesDeps, partners: readonly PartnerCode[], day: string): Promise<ReconcileReport[]> {
  const out: ReconcileReport[] = []
  for (const p of partners) {
    try {
      out.push(await reconcile(deps, p, day))
    } catch (err) {
      if (!(err instanceof PartnerUnavailable)) throw err
    }
  }
  return out
}
