/** What the participant sees of their purchases: each one, its codes and its timeline. */
import type { Executor } from '../../platform/db/database.ts'
import { view, type PurchaseView } from './purchases.service.ts'
import type { Text } from '../../platform/i18n/index.ts'
import type { PurchaseStatus } from './purchases.tables.ts'

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
  const events = await db.selectFrom('purchase_events').select(['purchase_id', 'kind', 'details', 'at']).where('purchase_id', 'in', ids).orderBy('id').execute()
  const codes = await db.selectFrom('redeem_codes').selectAll().where('purchase_id', 'in', ids).execute()
  return rows.map((r) => ({
    ...view(r),
    title: r.title,
    mode: r.mode,
    platformName: r.platform_name,
    providerName: r.provider_name,
    sessionStartsAt: r.starts_at ?? null,
    redeemCodes: codes.filter((c) => c.purchase_id === r.id).map((c) => ({ code: c.code, validFrom: c.valid_from, validUntil: c.valid_until, usedAt: c.used_at, cancelledAt: c.cancelled_at })),
    events: events.filter((e) => e.purchase_id === r.id).map((e) => ({ purchaseId: e.purchase_id, kind: e.kind, details: e.details, at: e.at })),
  }))
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
