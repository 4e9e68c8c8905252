/**
 * Buying a course with the card (issue #6). A platform starts a purchase with the card
 * number; the participant receives a one-time code and gives it to the platform; the code
 * makes a ledger hold and reserves a seat in one transaction; the platform's confirmation
 * posts the hold and issues the voucher. Every refusal has its own code and leaves no hold
 * or seat behind.
 */
import crypto from 'node:crypto'
import { sql, type RawBuilder, type Selectable } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail, MailMessage } from '../../platform/mail/index.ts'
import { transaction, type Db, type Executor, type Trx } from '../../platform/db/database.ts'
import { AppError, type ErrorCode } from '../../platform/errors.ts'
import { createLedger, formatRupiah, ledgerSql, payableShard, type Ledger } from '../ledger/index.ts'
import { markFirstPurchase } from '../waves/index.ts'
import { giveSeatBack, seatsTaken, takeSeat } from '../catalogue/index.ts'
import { hashCode, newCode, sameHash } from '../accounts/one-time-codes.ts'
import { maskPhone } from '../accounts/contact.ts'
import { newVoucherCode, formatVoucher } from './codes.ts'
import type { PurchaseStatus, PurchasesTable } from './purchases.tables.ts'

export const OTP_TTL_MS = 10 * 60_000
export const OTP_MAX_TRIES = 5
/** How long a platform has to confirm after the participant's code: then the seat and money are released. */
export const HOLD_MS = 15 * 60_000
/** The ledger's own expiry comes later, as a safety net: the purchase's job releases first. */
const LEDGER_HOLD_SECONDS = 30 * 60
export const REDEEM_WINDOW_MS = 60 * 60_000
export const EXPIRE_PURCHASE_JOB = 'purchases.expire-hold'

export interface PurchasesDeps {
  db: Db
  clock: Clock
  jobs: Jobs
  mail: Mail
  /** Keys the one-time codes. */
  secret: string
}

export interface StartInput {
  readonly orderRef: string
  readonly cardNumber: string
  readonly courseId: string
  readonly sessionId?: string | null
  readonly platformUserRef: string
}

export interface PurchaseView {
  readonly id: string
  readonly orderRef: string
  readonly status: PurchaseStatus
  readonly courseId: string
  readonly sessionId: string | null
  readonly price: number
  readonly voucherCode: string | null
  readonly holdExpiresAt: Date | null
  readonly otpExpiresAt: Date | null
  readonly endReason: string | null
  readonly waitsFor: string | null
}

/** A card cannot buy a course again while a purchase of it is in one of these. */
const ACTIVE: readonly PurchaseStatus[] = ['otp_sent', 'held', 'paid', 'redeemed', 'completed']
/** A purchase in one of these makes a new one wait for it. */
const UNFINISHED: readonly PurchaseStatus[] = ['paid', 'redeemed']

/** Shared with redemption.service.ts and timeline.ts. */
export function ledgerOf(deps: PurchasesDeps): Ledger {
  return createLedger({ jobs: deps.jobs, clock: deps.clock })
}

/** Shared with redemption.service.ts and timeline.ts. */
export function view(r: {
  id: string
  order_ref: string
  status: PurchaseStatus
  course_id: string
  session_id: string | null
  price: number
  voucher_code: string | null
  hold_expires_at: Date | null
  otp_expires_at: Date | null
  end_reason: string | null
  after_purchase_id: string | null
}): PurchaseView {
  return {
    id: r.id,
    orderRef: r.order_ref,
    status: r.status,
    courseId: r.course_id,
    sessionId: r.session_id,
    price: Number(r.price),
    voucherCode: r.voucher_code,
    holdExpiresAt: r.hold_expires_at,
    otpExpiresAt: r.status === 'otp_sent' ? r.otp_expires_at : null,
    endReason: r.end_reason,
    waitsFor: r.after_purchase_id,
  }
}

/** Shared with redemption.service.ts and timeline.ts. */
export async function event(trx: Executor, purchaseId: string, accountId: string, kind: string, at: Date, details: Record<string, unknown> = {}) {
  await trx.insertInto('purchase_events').values({ purchase_id: purchaseId, account_id: accountId, kind, details: JSON.stringify(details), at }).execute()
}

/** Shared with redemption.service.ts and timeline.ts. */
export function refuse(code: ErrorCode, detail?: string): never {
  throw new AppError(code, detail ? { detail } : {})
}

async function findForPlatform(ex: Executor, platformCode: string, id: string) {
  const p = await ex.selectFrom('purchases').selectAll().where('id', '=', id).where('platform_code', '=', platformCode).forUpdate().executeTakeFirst()
  if (!p) refuse('NOT_FOUND')
  return p
}

/**
 * Step 1: the platform names the card and the course. Everything that can be checked
 * before the participant's code is checked now, so a person is not asked for a code for
 * a purchase that cannot happen. Repeating the same order returns the same purchase.
 */
export async function startPurchase(deps: PurchasesDeps, platformCode: string, input: StartInput): Promise<PurchaseView & { sentTo: string }> {
  const now = deps.clock.now()
  const cardNumber = input.cardNumber.replace(/[\s-]/g, '')
  const sessionInput = input.sessionId ?? null
  return transaction(deps.db, async (trx) => {
    // Everything the checks need, in one round trip.
    const found = await sql<{
      prior: boolean
      card_id: string | null
      account_id: string | null
      card_status: string | null
      first_purchase_deadline: Date | null
      first_purchase_at: Date | null
      course_id: string | null
      course_status: string | null
      course_platform: string | null
      provider_code: string | null
      price: number | null
      mode: string | null
      title: string | null
      session_id: string | null
      session_course: string | null
      starts_at: Date | null
      seats: number | null
      seats_taken: number | null
      session_status: string | null
      same: boolean
      available: number | null
      bindings: { platform_user_ref: string; card_id: string }[]
      phone: string | null
      phone_verified_at: Date | null
      email: string | null
      account_status: string | null
      platform_name: string | null
    }>`
      select exists (select 1 from purchases where platform_code = ${platformCode} and order_ref = ${input.orderRef}) as prior,
        c.id as card_id, c.account_id, c.status as card_status, c.first_purchase_deadline, c.first_purchase_at,
        co.id as course_id, co.status as course_status, co.platform_code as course_platform, co.provider_code, co.price, co.mode, co.title,
        s.id as session_id, s.course_id as session_course, s.starts_at, s.seats, ${seatsTaken(sql`s.id`)} as seats_taken, s.status as session_status,
        exists (select 1 from purchases x where x.card_id = c.id and x.course_id = co.id and x.status = any(${ACTIVE}::text[])) as same,
        ${ledgerSql.available('participant_training', sql`c.account_id::text`)} as available,
        coalesce((select json_agg(json_build_object('platform_user_ref', b.platform_user_ref, 'card_id', b.card_id)) from platform_card_bindings b
          where b.platform_code = ${platformCode} and (b.platform_user_ref = ${input.platformUserRef} or b.card_id = c.id)), '[]'::json) as bindings,
        a.phone, a.phone_verified_at, a.email, a.status as account_status,
        (select name from partners where code = ${platformCode}) as platform_name
      from (select 1) one
      left join cards c on c.card_number = ${cardNumber}
      left join accounts a on a.id = c.account_id
      left join courses co on co.id = ${input.courseId}::uuid
      left join course_sessions s on s.id = ${sessionInput}::uuid`.execute(trx)
    const f = found.rows[0]!
    if (f.prior) {
      const prior = await trx.selectFrom('purchases').selectAll().where('platform_code', '=', platformCode).where('order_ref', '=', input.orderRef).executeTakeFirstOrThrow()
      const card = await trx.selectFrom('cards').select('card_number').where('id', '=', prior.card_id).executeTakeFirstOrThrow()
      if (card.card_number !== cardNumber || prior.course_id !== input.courseId || (prior.session_id ?? null) !== sessionInput) refuse('PURCHASE_ORDER_REUSED')
      return { ...view(prior), sentTo: '' }
    }
    if (!f.card_id || !f.account_id) refuse('CARD_UNKNOWN')
    if (f.card_status !== 'active') refuse('CARD_NOT_ACTIVE')
    if (f.first_purchase_at === null && now > f.first_purchase_deadline!) refuse('CARD_DEADLINE_PASSED')
    if (!f.course_id || f.course_platform !== platformCode) refuse('COURSE_NOT_SOLD_HERE')
    if (f.course_status !== 'approved') refuse('COURSE_WITHDRAWN')
    const price = Number(f.price)
    let sessionId: string | null = null
    if (f.mode !== 'self_paced') {
      if (!sessionInput) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'sessionId', id: 'Pilih jadwal sesi untuk webinar atau pelatihan luring.', en: 'Choose a session for a webinar or offline course.' }] })
      if (!f.session_id || f.session_course !== f.course_id || f.session_status !== 'scheduled' || f.starts_at! <= now) refuse('SESSION_NOT_AVAILABLE')
      if (f.seats_taken! >= f.seats!) refuse('COURSE_FULL')
      sessionId = f.session_id
    }
    if (f.same) refuse('ALREADY_BOUGHT')
    if (Number(f.available ?? 0) < price) refuse('PURCHASE_INSUFFICIENT_BALANCE')
    // One card per platform account, and one platform account per card on a platform.
    if (f.bindings.some((b) => b.card_id !== f.card_id || b.platform_user_ref !== input.platformUserRef)) refuse('PLATFORM_ACCOUNT_OTHER_CARD')
    // Frozen by PMO on an integrity signal (#11): no purchase until cleared.
    if (f.account_status === 'frozen') refuse('ACCOUNT_FROZEN')
    const id = crypto.randomUUID()
    const code = newCode()
    const started = JSON.stringify({ platform: platformCode, course: f.title, price })
    // The binding (if new), the purchase and its first event: one statement.
    const written = await sql<PurchaseRow>`
      with bound as (
        insert into platform_card_bindings (platform_code, platform_user_ref, card_id, bound_at)
        select ${platformCode}, ${input.platformUserRef}, ${f.card_id}::uuid, ${now}::timestamptz where ${f.bindings.length === 0}
      ), p as (
        insert into purchases (id, platform_code, order_ref, platform_user_ref, card_id, account_id, course_id, provider_code, session_id,
          price, status, otp_hash, otp_expires_at, created_at)
        values (${id}::uuid, ${platformCode}, ${input.orderRef}, ${input.platformUserRef}, ${f.card_id}::uuid, ${f.account_id}::uuid, ${f.course_id}::uuid,
          ${f.provider_code}, ${sessionId}::uuid, ${price}, 'otp_sent', ${hashCode(deps.secret, id, code)}, ${new Date(now.getTime() + OTP_TTL_MS)}::timestamptz, ${now}::timestamptz)
        returning *
      ), e as (
        insert into purchase_events (purchase_id, account_id, kind, details, at)
        select id, account_id, 'started', ${started}::jsonb, ${now}::timestamptz from p
      )
      select * from p`.execute(trx)
    const row = written.rows[0]!
    const platformName = f.platform_name ?? platformCode
    const text =
      `Kode OTP Karya: ${code}. Untuk membeli "${f.title}" seharga ${formatRupiah('id', price)} di ${platformName}. ` +
      `Masukkan hanya di situs ${platformName}; berlaku 10 menit. Bukan Anda? Abaikan pesan ini.`
    const bySms = f.phone !== null && f.phone_verified_at !== null
    const messages: MailMessage[] = []
    if (bySms) messages.push({ accountId: null, to: f.phone!, channel: 'sms', template: 'purchases.otp', subject: 'Kode OTP pembelian', text })
    if (f.email) messages.push({ accountId: f.account_id, to: f.email, template: 'purchases.otp', subject: 'Kode OTP pembelian pelatihan / Course purchase code', text, link: '/pelatihan-saya' })
    await deps.mail.sendMany(trx, messages)
    return { ...view(row), sentTo: bySms ? maskPhone(f.phone!) : f.email ?? '' }
  })
}

/**
 * Step 2: the participant's code. A right code holds the price and takes a seat in one
 * transaction; if either cannot happen, neither does.
 */
export async function authorisePurchase(deps: PurchasesDeps, platformCode: string, purchaseId: string, otp: string): Promise<PurchaseView> {
  const now = deps.clock.now()
  // The platform's payable account this purchase's money goes to: one of its shards, so
  // concurrent buyers on one platform do not queue on one row (decision 0009).
  const shard = payableShard(purchaseId)
  // One transaction. A wrong code is counted and committed, and refused after the commit, so
  // the count survives the refusal.
  const outcome = await transaction(deps.db, async (trx): Promise<PurchaseView | ErrorCode> => {
    const found = await sql<PurchaseRow & { course_status: string; account_status: string; from_account: number | null; to_account: number | null }>`
      select p.*, co.status as course_status, (select a.status from accounts a where a.id = p.account_id) as account_status,
        ${ledgerSql.accountId('participant_training', sql`p.account_id::text`)} as from_account,
        ${ledgerSql.accountId('platform_payable', sql`p.platform_code`, shard)} as to_account
      from purchases p join courses co on co.id = p.course_id
      where p.id = ${purchaseId}::uuid and p.platform_code = ${platformCode}
      for update of p`.execute(trx)
    const p = found.rows[0]
    if (!p) refuse('NOT_FOUND')
    if (p.status === 'held') return view(p)
    if (p.status !== 'otp_sent') refuse('PURCHASE_STATE')
    if (!p.otp_expires_at || now > p.otp_expires_at) return 'PURCHASE_OTP_EXPIRED'
    if (p.otp_attempts >= OTP_MAX_TRIES) return 'PURCHASE_OTP_EXPIRED'
    if (!(p.otp_hash && sameHash(p.otp_hash, hashCode(deps.secret, p.id, otp.trim())))) {
      await trx.updateTable('purchases').set({ otp_attempts: p.otp_attempts + 1 }).where('id', '=', p.id).execute()
      return 'PURCHASE_OTP_INVALID'
    }
    // Nothing is written for a refusal: the code simply lapses.
    if (p.course_status !== 'approved') return refuseAfter(trx, 'COURSE_WITHDRAWN')
    // Frozen by PMO after the purchase started (#11): no money moves until cleared.
    if (p.account_status === 'frozen') return refuseAfter(trx, 'ACCOUNT_FROZEN')
    if (p.from_account === null) return refuseAfter(trx, 'PURCHASE_INSUFFICIENT_BALANCE')
    const ledger = ledgerOf(deps)
    const to = p.to_account ?? (await ledger.openAccount(trx, 'platform_payable', p.platform_code, shard)).id
    const holdExpiresAt = new Date(now.getTime() + HOLD_MS)
    await deps.jobs.enqueue(trx, EXPIRE_PURCHASE_JOB, { purchaseId: p.id }, { startAfter: holdExpiresAt })
    // The two rows every buyer of this session and platform needs (the seat counter, the
    // platform's ledger account) are taken last, so they are held only for the last
    // statements and the commit.
    let seatShard: number | null = null
    if (p.session_id) {
      seatShard = await takeSeat(trx, p.session_id, now, shard)
      if (seatShard === null) return refuseAfter(trx, 'COURSE_FULL')
    }
    let holdId: number
    try {
      const r = await ledger.hold(trx, {
        debitAccountId: p.from_account,
        creditAccountId: to,
        amount: Number(p.price),
        code: 'purchase',
        reference: { type: 'purchase', id: p.id },
        idempotencyKey: `purchase:${p.id}:hold`,
        timeoutSeconds: LEDGER_HOLD_SECONDS,
      })
      holdId = r.transfer.id
    } catch (err) {
      if (err instanceof AppError && err.code === 'LEDGER_INSUFFICIENT_FUNDS') return refuseAfter(trx, 'PURCHASE_INSUFFICIENT_BALANCE')
      throw err
    }
    const row = await updateWithEvent(
      trx,
      p.id,
      sql`status = 'held', hold_id = ${holdId}::bigint, seat_shard = ${seatShard}::smallint, hold_expires_at = ${holdExpiresAt}::timestamptz, held_at = ${now}::timestamptz, otp_hash = null`,
      'held',
      now,
      sql`jsonb_build_object('price', u.price)`,
    )
    return view(row)
  })
  if (typeof outcome === 'string') refuse(outcome)
  return outcome
}

type PurchaseRow = Selectable<PurchasesTable>

/** A purchase's change and its timeline event in one statement. */
async function updateWithEvent(trx: Trx, purchaseId: string, set: RawBuilder<unknown>, kind: string, at: Date, details: RawBuilder<unknown>): Promise<PurchaseRow> {
  const r = await sql<PurchaseRow>`
    with u as (update purchases set ${set} where id = ${purchaseId}::uuid returning *),
    e as (insert into purchase_events (purchase_id, account_id, kind, details, at) select u.id, u.account_id, ${kind}, ${details}, ${at}::timestamptz from u)
    select * from u`.execute(trx)
  return r.rows[0]!
}

/**
 * A refusal inside a transaction must not keep what the transaction did (a seat taken
 * before the hold failed): throwing rolls it all back. Written as a function so each
 * refusal reads as one line.
 */
function refuseAfter(_trx: Trx, code: ErrorCode): never {
  refuse(code)
}

/** Shared with redemption.service.ts and timeline.ts. */
export async function end(trx: Executor, p: { id: string; account_id: string }, status: 'expired' | 'cancelled' | 'refunded', reason: string, now: Date) {
  await trx.updateTable('purchases').set({ status, ended_at: now, end_reason: reason, otp_hash: null }).where('id', '=', p.id).execute()
  await event(trx, p.id, p.account_id, status, now, { reason })
}

/** Gives the seat and the held money back; used when a hold runs out or a purchase is cancelled while held. */
/** Shared with redemption.service.ts and timeline.ts. */
export async function release(deps: PurchasesDeps, trx: Trx, p: { id: string; account_id: string; session_id: string | null; seat_shard: number | null; hold_id: number | null }, status: 'expired' | 'cancelled', reason: string, now: Date) {
  if (p.hold_id !== null) {
    try {
      await ledgerOf(deps).void(trx, { holdId: p.hold_id, idempotencyKey: `purchase:${p.id}:release` })
    } catch (err) {
      // The ledger's own expiry got there first: the money is back already.
      if (!(err instanceof AppError && err.code === 'LEDGER_HOLD_EXPIRED')) throw err
    }
  }
  if (p.session_id) await giveSeatBack(trx, p.session_id, p.seat_shard)
  await end(trx, p, status, reason, now)
}

/**
 * The voucher message of a paid purchase: by e-mail (with the inbox copy) and by SMS to a
 * verified phone. Sent once at confirmation, and again, word for word, when the helpdesk
 * resends it; the voucher itself is never replaced.
 */
interface VoucherFacts {
  account_id: string
  title: string
  provider: string
  price: number
  voucher_code: string
  after_purchase_id: string | null
  email: string | null
  phone: string | null
  phone_verified_at: Date | null
}

/** The voucher message by e-mail and (a verified phone) SMS: the same words at confirmation and on a helpdesk resend. */
function voucherMessages(p: VoucherFacts): { messages: MailMessage[]; sentTo: string[] } {
  const wait = p.after_purchase_id ? ' Pelatihan ini dimulai setelah pelatihan Anda sebelumnya selesai.' : ''
  const text =
    `Pembelian berhasil: "${p.title}" (${formatRupiah('id', p.price)}). Kode voucher: ${formatVoucher(p.voucher_code)}. ` +
    `Tukarkan di ${p.provider} untuk mulai belajar.${wait} Lihat di Karya: Pelatihan saya.`
  const messages: MailMessage[] = []
  const sentTo: string[] = []
  if (p.email) {
    messages.push({ accountId: p.account_id, to: p.email, template: 'purchases.paid', subject: 'Voucher pelatihan Anda / Your course voucher', text, link: '/pelatihan-saya' })
    sentTo.push('email')
  }
  if (p.phone && p.phone_verified_at) {
    messages.push({ accountId: p.email ? null : p.account_id, to: p.phone, channel: 'sms', template: 'purchases.paid', subject: 'Voucher pelatihan', text })
    sentTo.push('sms')
  }
  return { messages, sentTo }
}

async function sendVoucherMessage(deps: Pick<PurchasesDeps, 'mail'>, trx: Executor, p: { account_id: string; course_id: string; price: number; voucher_code: string; after_purchase_id: string | null }): Promise<string[]> {
  const course = await trx
    .selectFrom('courses as c')
    .innerJoin('partners as pv', 'pv.code', 'c.provider_code')
    .select(['c.title', 'pv.name as provider'])
    .where('c.id', '=', p.course_id)
    .executeTakeFirstOrThrow()
  const person = await trx.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at']).where('id', '=', p.account_id).executeTakeFirstOrThrow()
  const { messages, sentTo } = voucherMessages({ ...p, ...course, ...person })
  await deps.mail.sendMany(trx, messages)
  return sentTo
}

/**
 * Sends the existing voucher of a paid (not yet redeemed) purchase again, for the helpdesk:
 * the same message as at confirmation, the same code. Recorded on the purchase's timeline.
 * Refused for a purchase of another person or one without a usable voucher.
 */
export async function resendVoucher(deps: Pick<PurchasesDeps, 'mail' | 'clock'>, trx: Executor, accountId: string, purchaseId: string): Promise<{ voucherCode: string; sentTo: string[] }> {
  const p = await trx.selectFrom('purchases').selectAll().where('id', '=', purchaseId).where('account_id', '=', accountId).forUpdate().executeTakeFirst()
  if (!p) refuse('NOT_FOUND')
  if (p.status !== 'paid' || !p.voucher_code) refuse('PURCHASE_STATE', `voucher resend from ${p.status}`)
  const sentTo = await sendVoucherMessage(deps, trx, { account_id: p.account_id, course_id: p.course_id, price: Number(p.price), voucher_code: p.voucher_code, after_purchase_id: p.after_purchase_id })
  await event(trx, p.id, p.account_id, 'voucher_resent', deps.clock.now(), { sentTo })
  return { voucherCode: p.voucher_code, sentTo }
}

/** Step 3: the platform confirms. Posts the hold, issues the voucher and tells the participant. */
export async function confirmPurchase(deps: PurchasesDeps, platformCode: string, purchaseId: string): Promise<PurchaseView> {
  const now = deps.clock.now()
  // One transaction. A hold found expired is released and committed, and refused after the commit.
  const outcome = await transaction(deps.db, async (trx): Promise<PurchaseView | ErrorCode> => {
    const found = await sql<PurchaseRow & { earlier_id: string | null; title: string; provider: string; email: string | null; phone: string | null; phone_verified_at: Date | null }>`
      select p.*, e.id as earlier_id, co.title, pv.name as provider, a.email, a.phone, a.phone_verified_at
      from purchases p
      join courses co on co.id = p.course_id
      join partners pv on pv.code = co.provider_code
      join accounts a on a.id = p.account_id
      left join lateral (
        select x.id from purchases x where x.card_id = p.card_id and x.id <> p.id and x.status = any(${UNFINISHED}::text[]) order by x.paid_at desc limit 1
      ) e on true
      where p.id = ${purchaseId}::uuid and p.platform_code = ${platformCode}
      for update of p`.execute(trx)
    const p = found.rows[0]
    if (!p) refuse('NOT_FOUND')
    if (p.status === 'held' && p.hold_expires_at && now > p.hold_expires_at) {
      await release(deps, trx, p, 'expired', 'hold_expired', now)
      return 'PURCHASE_HOLD_EXPIRED'
    }
    if (p.status === 'paid' || p.status === 'redeemed' || p.status === 'completed') refuse('PURCHASE_ALREADY_CONFIRMED')
    if (p.status === 'expired') refuse('PURCHASE_HOLD_EXPIRED')
    if (p.status !== 'held' || p.hold_id === null) refuse('PURCHASE_STATE')
    const earlier = p.earlier_id
    // The first of a few fresh codes that no purchase has (the column is unique as well).
    const candidates = Array.from({ length: 6 }, () => newVoucherCode())
    const row = await updateWithEvent(
      trx,
      p.id,
      sql`status = 'paid', paid_at = ${now}::timestamptz, after_purchase_id = ${earlier}::uuid,
        voucher_code = (select v from unnest(${candidates}::text[]) with ordinality as c(v, i)
          where not exists (select 1 from purchases x where x.voucher_code = c.v) order by i limit 1)`,
      'paid',
      now,
      sql`jsonb_build_object('voucher', u.voucher_code, 'waitsFor', ${earlier}::text)`,
    )
    if (!row.voucher_code) throw new Error('confirmPurchase: no free voucher code among the candidates')
    const voucher = row.voucher_code
    // The first purchase keeps the card: the deadline job revokes cards without one.
    await markFirstPurchase(trx, p.account_id, now)
    await deps.mail.sendMany(trx, voucherMessages({ account_id: p.account_id, title: p.title, provider: p.provider, price: Number(p.price), voucher_code: voucher, after_purchase_id: earlier, email: p.email, phone: p.phone, phone_verified_at: p.phone_verified_at }).messages)
    // Last, for the same reason as in authorise: the platform's ledger account is shared by every buyer.
    await ledgerOf(deps).post(trx, { holdId: p.hold_id, idempotencyKey: `purchase:${p.id}:post` })
    return view(row)
  })
  if (typeof outcome === 'string') refuse(outcome)
  return outcome
}

/** The hold ran out without a confirmation: the seat and the money go back. */
export async function expireHeldPurchase(deps: PurchasesDeps, purchaseId: string): Promise<boolean> {
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    const p = await trx.selectFrom('purchases').selectAll().where('id', '=', purchaseId).forUpdate().executeTakeFirst()
    if (!p || p.status !== 'held' || !p.hold_expires_at || p.hold_expires_at > now) return false
    await release(deps, trx, p, 'expired', 'hold_expired', now)
    return true
  })
}

export async function getPurchase(db: Executor, platformCode: string, id: string): Promise<PurchaseView> {
  const p = await db.selectFrom('purchases').selectAll().where('id', '=', id).where('platform_code', '=', platformCode).executeTakeFirst()
  if (!p) refuse('NOT_FOUND')
  return view(p)
}

export function definePurchaseJobs(jobs: Jobs, deps: Omit<PurchasesDeps, 'jobs'>): void {
  jobs.define<{ purchaseId: string }>(EXPIRE_PURCHASE_JOB, async (data) => {
    await expireHeldPurchase({ ...deps, jobs }, data.purchaseId)
  })
}
