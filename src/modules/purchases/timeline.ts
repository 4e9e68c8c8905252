/** What the participant sees of their purchases: each one, its codes and its timeline. */
import type { Executor } from '../../platform/db/database.ts'
import { view, type PurchaseView } from './purchases.service.ts'
import type { Text } from '../../platform/i18n/index.ts'
import type { PurchaseStatus } from './purchases.tables.ts'
import { reportTimeline } from '../learning/report-timeline.ts'

export interface TimelineEntry {
  readonly purchaseId: string
  readonly kind: string
  readonly details: Record<string, unknown>
  readonly at: Date
}

export interface MyPurchase extends PurchaseView {
  readonly title: string
  readonly mode: string
  readonly platformName: string
  readonly providerName: string
  readonly sessionStartsAt: Date | null
  readonly redeemCodes: ReadonlyArray<{ code: string; validFrom: Date; validUntil: Date; usedAt: Date | null; cancelledAt: Date | null }>
  readonly events: readonly TimelineEntry[]
}

export async function myPurchases(db: Executor, accountId: string): Promise<MyPurchase[]> {
  const rows = await db
    .selectFrom('purchases as p')
    .innerJoin('courses as c', 'c.id', 'p.course_id')
    .innerJoin('partners as pf', 'pf.code', 'p.platform_code')
    .innerJoin('partners as pv', 'pv.code', 'p.provider_code')
    .leftJoin('course_sessions as s', 's.id', 'p.session_id')
    .selectAll('p')
    .select(['c.title', 'c.mode', 'pf.name as platform_name', 'pv.name as provider_name', 's.starts_at'])
    .where('p.account_id', '=', accountId)
    .orderBy('p.created_at', 'desc')
    .execute()
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const codes = await db.selectFrom('redeem_codes').selectAll().where('purchase_id', 'in', ids).execute()
  const events = await timeline(db, accountId, ids, codes)
  return rows.map((r) => ({
    ...view(r),
    title: r.title,
    mode: r.mode,
    platformName: r.platform_name,
    providerName: r.provider_name,
    sessionStartsAt: r.starts_at ?? null,
    redeemCodes: codes.filter((c) => c.purchase_id === r.id).map((c) => ({ code: c.code, validFrom: c.valid_from, validUntil: c.valid_until, usedAt: c.used_at, cancelledAt: c.cancelled_at })),
    events: events.filter((e) => e.purchaseId === r.id),
  }))
}

/**
 * The purchases' timelines, oldest first: the purchase events (by the account's index) merged
 * with the providers' report rows, which are timeline entries themselves (the learning
 * module's `reportTimeline`); both are placed by the purchase events' sequence.
 */
async function timeline(db: Executor, accountId: string, ids: readonly string[], codes: ReadonlyArray<{ code: string; session_id: string }>): Promise<TimelineEntry[]> {
  const events = await db.selectFrom('purchase_events').select(['id', 'purchase_id', 'kind', 'details', 'at']).where('account_id', '=', accountId).where('purchase_id', 'in', ids).orderBy('id').execute()
  const sessionOf = new Map(codes.map((c) => [c.code, c.session_id]))
  const reports = await reportTimeline(db, ids, (code) => sessionOf.get(code) ?? null)
  const all = [...events.map((e) => ({ seq: BigInt(e.id), purchaseId: e.purchase_id, kind: e.kind, details: e.details, at: e.at })), ...reports]
  all.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
  return all.map(({ purchaseId, kind, details, at }) => ({ purchaseId, kind, details, at }))
}

/** One purchase's timeline, the entries its owner sees for it. */
export async function purchaseTimeline(db: Executor, purchaseId: string): Promise<TimelineEntry[]> {
  const p = await db.selectFrom('purchases').select('account_id').where('id', '=', purchaseId).executeTakeFirst()
  if (!p) return []
  const codes = await db.selectFrom('redeem_codes').select(['code', 'session_id']).where('purchase_id', '=', purchaseId).execute()
  return timeline(db, p.account_id, [purchaseId], codes)
}

/** A purchase's state in the participant's words (the course list, the helpdesk's answers). */
export const PURCHASE_STATUS_TEXT: Record<PurchaseStatus, Text> = {
  otp_sent: { id: 'Menunggu kode OTP', en: 'Waiting for the one-time code' },
  held: { id: 'Saldo ditahan, menunggu konfirmasi platform', en: 'Balance held, waiting for the platform to confirm' },
  paid: { id: 'Terbayar — tukarkan voucher', en: 'Paid — redeem the voucher' },
  redeemed: { id: 'Sedang belajar', en: 'Learning' },
  completed: { id: 'Selesai', en: 'Completed' },
  expired: { id: 'Tidak dikonfirmasi — saldo dan kursi dikembalikan', en: 'Not confirmed — balance and seat released' },
  refunded: { id: 'Dibatalkan — saldo dikembalikan', en: 'Cancelled — balance refunded' },
  cancelled: { id: 'Dibatalkan', en: 'Cancelled' },
}
