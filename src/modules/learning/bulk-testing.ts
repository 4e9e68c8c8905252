/**
 * Set-up shared by the bulk-ingest tests and bench/completions: many bought purchases of the
 * purchases fixture's courses, written with a few set-based statements instead of the HTTP
 * flow (which the purchase tests already cover).
 */
import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.ts'
import { PLATFORM, PROVIDER, type Fixture } from '../purchases/testing.ts'

export interface SeedOptions {
  /** Makes voucher codes, e-mails and card numbers unique across calls: 1–2 digits. */
  readonly batch: number
  readonly count: number
  /** paid: voucher not yet taken; redeemed: taken at the provider (offline: a redeem code). */
  readonly status: 'paid' | 'redeemed'
  /** offline: the fixture's first session; self_paced: no session. */
  readonly course: 'offline' | 'self_paced'
  /** offline + redeemed: the redeem code was committed (attendance). */
  readonly attended: boolean
  readonly at: Date
}

export interface SeededPurchase {
  readonly purchaseId: string
  readonly accountId: string
  readonly voucher: string
  readonly redeemCode: string | null
}

export async function seedPurchases(db: Db, f: Fixture, waveId: string, o: SeedOptions): Promise<SeededPurchase[]> {
  const b = String(o.batch).padStart(2, '0')
  const at = o.at.toISOString()
  const session = o.course === 'offline' ? f.sessionId : null
  const course = o.course === 'offline' ? f.courseId : f.selfPacedId
  await sql`
    with g as (select n, gen_random_uuid() as acc, gen_random_uuid() as card from generate_series(1, ${o.count}::int) n),
    a as (
      insert into accounts (id, email, display_name, role, status, created_at, email_verified_at)
      select acc, 'seed' || ${b} || '-' || n || '@example.id', 'Peserta ' || ${b} || ' ' || n, 'participant', 'active', ${at}::timestamptz, ${at}::timestamptz from g),
    c as (
      insert into cards (id, card_number, account_id, nik_hash, kk_hash, wave_id, status, issued_at, first_purchase_deadline)
      select card, '97' || ${b} || lpad(n::text, 12, '0'), acc, 'seed-nik-' || acc, 'seed-kk-' || acc, ${waveId}::uuid, 'active', ${at}::timestamptz, ${at}::timestamptz + interval '30 days' from g)
    insert into purchases (platform_code, order_ref, platform_user_ref, card_id, account_id, course_id, provider_code, session_id, price, status, voucher_code, created_at, paid_at, redeemed_at)
    select ${PLATFORM.code}, 'seed-' || ${b} || '-' || n, 'u-' || acc, card, acc, ${course}::uuid, ${PROVIDER.code}, ${session}::uuid, 1000000, ${o.status},
      'V' || ${b} || lpad(n::text, 9, '0'), ${at}::timestamptz, ${at}::timestamptz, ${o.status === 'redeemed' ? at : null}::timestamptz
    from g`.execute(db)
  if (session && o.status === 'redeemed') {
    await sql`
      insert into redeem_codes (code, purchase_id, session_id, valid_from, valid_until, used_at)
      select 'R' || ${b} || substr(p.voucher_code, 4), p.id, s.id, s.starts_at - interval '1 hour', s.starts_at + interval '1 hour', case when ${o.attended} then s.starts_at else null end
      from purchases p join course_sessions s on s.id = p.session_id
      where p.order_ref like ${`seed-${b}-%`}`.execute(db)
  }
  const rows = await db
    .selectFrom('purchases as p')
    .leftJoin('redeem_codes as r', 'r.purchase_id', 'p.id')
    .select(['p.id', 'p.account_id', 'p.voucher_code', 'r.code'])
    .where('p.order_ref', 'like', `seed-${b}-%`)
    .orderBy('p.voucher_code')
    .execute()
  return rows.map((r) => ({ purchaseId: r.id, accountId: r.account_id, voucher: r.voucher_code!, redeemCode: r.code }))
}
