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
import { callbackSecret, isPartnerCode, parsePayoutKey, payoutKey, PartnerUnavailable, signCallback, type CallbackBody, type FailureReason, type PartnerCode, type StatementLine } from './gateway.ts'
import type { FindingKind } from './incentives.tables.ts'
import type { IncentivesDeps } from './deps.ts'
import { confirmPaidMany, markFailed, markSentMany, payoutEvent, type SettleOutcome } from './settle.service.ts'

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

function parseReport(b: Partial<CallbackBody>): CallbackBody {
  if (typeof b !== 'object' || b === null || typeof b.key !== 'string' || !['processing', 'paid', 'failed'].includes(String(b.status)) || typeof b.partnerRef !== 'string' || typeof b.amount !== 'number') {
    throw new AppError('MALFORMED_REQUEST')
  }
  return b as CallbackBody
}

/** Most reports one batched callback may carry. */
export const MAX_REPORTS = 1000

/** One report (`{ key, status, … }`) or a batch of them (`{ reports: [ … ] }`). */
function parseBody(rawBody: string): { batch: boolean; reports: CallbackBody[] } {
  let b: Partial<CallbackBody> & { reports?: unknown }
  try {
    b = JSON.parse(rawBody) as Partial<CallbackBody> & { reports?: unknown }
  } catch {
    throw new AppError('MALFORMED_REQUEST')
  }
  if (b && typeof b === 'object' && 'reports' in b) {
    if (!Array.isArray(b.reports) || b.reports.length === 0 || b.reports.length > MAX_REPORTS) throw new AppError('MALFORMED_REQUEST')
    return { batch: true, reports: (b.reports as Partial<CallbackBody>[]).map(parseReport) }
  }
  return { batch: false, reports: [parseReport(b)] }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** What became of one report of a callback; 'unknown': a key for no payout of ours at this partner. */
export type ReportOutcome = SettleOutcome | 'unknown'

/**
 * A partner's callback: refused unless signed by that partner. A single report about a
 * payout not sent there is refused (404); in a batch it is answered 'unknown' and the
 * others are applied, so one bad line does not make the partner resend the rest forever.
 */
export async function handleCallback(deps: IncentivesDeps, partner: string, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<{ batch: boolean; outcomes: ReportOutcome[] }> {
  if (!isPartnerCode(partner)) throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
  verify(deps, partner, headers, rawBody)
  const { batch, reports } = parseBody(rawBody)
  const outcomes = await applyReports(deps, partner, reports)
  if (!batch && outcomes[0] === 'unknown') throw new AppError('PAYMENT_CALLBACK_UNKNOWN')
  return { batch, outcomes }
}

/**
 * Applies a partner's reports in one transaction: the payouts locked in id order, then
 * "processing" (acknowledged), "paid" (confirmed in one batch) and "failed" (hold returned)
 * reports. Each is idempotent, so a duplicate in the batch or a batch sent again changes nothing.
 */
export async function applyReports(deps: IncentivesDeps, partner: PartnerCode, reports: readonly CallbackBody[]): Promise<ReportOutcome[]> {
  const keys = reports.map((r) => {
    const k = parsePayoutKey(r.key)
    return k && UUID.test(k.payoutId) ? k : null
  })
  return transaction(deps.db, async (trx) => {
    const ids = [...new Set(keys.flatMap((k) => (k ? [k.payoutId] : [])))]
    const rows = ids.length === 0 ? [] : await trx.selectFrom('incentive_payouts').select(['id', 'partner', 'attempt']).where('id', 'in', ids).orderBy('id').forUpdate().execute()
    const known = new Map(rows.map((r) => [r.id, r]))
    const outcomes: ReportOutcome[] = reports.map(() => 'unknown')
    const sent: { index: number; payoutId: string; attempt: number; partnerRef: string }[] = []
    const paid: { index: number; payoutId: string; attempt: number; partnerRef: string; amount: number; source: 'callback' }[] = []
    const failed: { index: number; payoutId: string; attempt: number; reason: FailureReason }[] = []
    for (const [index, body] of reports.entries()) {
      const key = keys[index]
      const p = key ? known.get(key.payoutId) : undefined
      if (!key || !p) continue
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
        if (!earlier) continue
        await payoutEvent(trx, p.id, 'stale_report', deps.clock.now(), { status: body.status, attempt: key.attempt, partner, source: 'callback' })
        outcomes[index] = 'stale'
        continue
      }
      if (body.status === 'paid') paid.push({ index, payoutId: p.id, attempt: key.attempt, partnerRef: body.partnerRef, amount: body.amount, source: 'callback' })
      else if (body.status === 'failed') failed.push({ index, payoutId: p.id, attempt: key.attempt, reason: body.reason ?? 'account_unknown' })
      else sent.push({ index, payoutId: p.id, attempt: key.attempt, partnerRef: body.partnerRef })
    }
    const sentOutcomes = await markSentMany(deps, trx, sent)
    for (const [i, x] of sent.entries()) outcomes[x.index] = sentOutcomes[i]!
    const paidOutcomes = await confirmPaidMany(deps, trx, paid)
    for (const [i, x] of paid.entries()) outcomes[x.index] = paidOutcomes[i]!
    for (const x of failed) outcomes[x.index] = await markFailed(deps, trx, x.payoutId, x.attempt, x.reason, 'callback')
    return outcomes
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
  const firstLine = new Map<string, StatementLine>()
  for (const l of lines) if (!firstLine.has(l.key)) firstLine.set(l.key, l)
  let confirmed = 0
  // A thousand keys at a time: one read of our payouts, one transaction confirming those no callback confirmed.
  const allKeys = [...seen.keys()]
  for (let i = 0; i < allKeys.length; i += 1000) {
    const chunk = allKeys.slice(i, i + 1000)
    const parsed = new Map(chunk.map((k) => [k, parsePayoutKey(k)] as const))
    const ids = [...new Set([...parsed.values()].flatMap((k) => (k && UUID.test(k.payoutId) ? [k.payoutId] : [])))]
    const ourRows = ids.length === 0 ? [] : await deps.db.selectFrom('incentive_payouts').select(['id', 'partner', 'amount', 'status', 'attempt']).where('id', 'in', ids).execute()
    const ourById = new Map(ourRows.map((r) => [r.id, r]))
    const toConfirm: { key: string; line: StatementLine; payoutId: string; attempt: number }[] = []
    for (const k of chunk) {
      const line = firstLine.get(k)!
      const key = parsed.get(k) ?? null
      if (seen.get(k)! > 1) await flag('duplicate', k, key?.payoutId ?? null, { times: seen.get(k), amount: line.amount })
      const p = key ? ourById.get(key.payoutId) : undefined
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
      if (p.status !== 'paid') toConfirm.push({ key: k, line, payoutId: p.id, attempt: key.attempt })
    }
    if (toConfirm.length === 0) continue
    const outcomes = await transaction(deps.db, (trx) =>
      confirmPaidMany(
        deps,
        trx,
        toConfirm.map((c) => ({ payoutId: c.payoutId, attempt: c.attempt, partnerRef: c.line.partnerRef, amount: c.line.amount, source: 'statement' as const })),
      ),
    )
    const newly = toConfirm.filter((_, j) => outcomes[j] === 'paid')
    confirmed += newly.length
    if (newly.length > 0) {
      const r = await deps.db
        .insertInto('reconciliation_findings')
        .values(newly.map((c) => ({ partner, day, kind: 'confirmed' as const, partner_key: c.key, payout_id: c.payoutId, details: JSON.stringify({ partnerRef: c.line.partnerRef }), created_at: now })))
        .onConflict((oc) => oc.constraint('reconciliation_findings_once').doNothing())
        .executeTakeFirst()
      findings.confirmed += Number(r.numInsertedOrUpdatedRows ?? 0)
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
