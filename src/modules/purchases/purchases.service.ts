/**
 * Buying a course with the card (issue #6). A platform starts a purchase with the card
 * number; the participant receives a one-time code and gives it to the platform; the code
 * makes a ledger hold and reserves a seat in one transaction; the platform's confirmation
 * posts the hold and issues the voucher. Every refusal has its own code and leaves no hold
 * or seat behind.
 */
import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { transaction, type Db, type Executor, type Trx } from '../../platform/db/database.ts'
import { AppError, type ErrorCode } from '../../platform/errors.ts'
import { createLedger, formatRupiah, type Ledger } from '../ledger/index.ts'
import { markFirstPurchase } from '../waves/index.ts'
import { hashCode, newCode, sameHash } from '../accounts/one-time-codes.ts'
import { maskPhone } from '../accounts/contact.ts'
import { newVoucherCode, formatVoucher } from './codes.ts'
import type { PurchaseStatus } from './purchases.tables.ts'

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

const ACTIVE: readonly PurchaseStatus[] = ['otp_sent', 'held', 'paid', 'redeemed']
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
  return transaction(deps.db, async (trx) => {
    const prior = await trx.selectFrom('purchases').selectAll().where('platform_code', '=', platformCode).where('order_ref', '=', input.orderRef).executeTakeFirst()
    if (prior) {
      const card = await trx.selectFrom('cards').select('card_number').where('id', '=', prior.card_id).executeTakeFirstOrThrow()
      if (card.card_number !== cardNumber || prior.course_id !== input.courseId || (prior.session_id ?? null) !== (input.sessionId ?? null)) refuse('PURCHASE_ORDER_REUSED')
      return { ...view(prior), sentTo: '' }
    }
    const card = await trx.selectFrom('cards').select(['id', 'account_id', 'status', 'first_purchase_deadline', 'first_purchase_at']).where('card_number', '=', cardNumber).executeTakeFirst()
    if (!card) refuse('CARD_UNKNOWN')
    if (card.status !== 'active') refuse('CARD_NOT_ACTIVE')
    if (card.first_purchase_at === null && now > card.first_purchase_deadline) refuse('CARD_DEADLINE_PASSED')
    const course = await trx
      .selectFrom('courses')
      .select(['id', 'status', 'platform_code', 'provider_code', 'price', 'mode', 'title'])
      .where('id', '=', input.courseId)
      .executeTakeFirst()
    if (!course || course.platform_code !== platformCode) refuse('COURSE_NOT_SOLD_HERE')
    if (course.status !== 'approved') refuse('COURSE_WITHDRAWN')
    let sessionId: string | null = null
    if (course.mode !== 'self_paced') {
      if (!input.sessionId) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'sessionId', id: 'Pilih jadwal sesi untuk webinar atau pelatihan luring.', en: 'Choose a session for a webinar or offline course.' }] })
      const s = await trx.selectFrom('course_sessions').select(['id', 'course_id', 'starts_at', 'seats', 'seats_taken', 'status']).where('id', '=', input.sessionId).executeTakeFirst()
      if (!s || s.course_id !== course.id || s.status !== 'scheduled' || s.starts_at <= now) refuse('SESSION_NOT_AVAILABLE')
      if (s.seats_taken >= s.seats) refuse('COURSE_FULL')
      sessionId = s.id
    }
    const same = await trx.selectFrom('purchases').select('id').where('card_id', '=', card.id).where('course_id', '=', course.id).where('status', 'in', [...ACTIVE, 'completed']).executeTakeFirst()
    if (same) refuse('ALREADY_BOUGHT')
    const ledger = ledgerOf(deps)
    const account = await ledger.findAccount(trx, 'participant_training', card.account_id)
    const available = account ? (await ledger.balance(trx, account.id)).available : 0
    if (available < Number(course.price)) refuse('PURCHASE_INSUFFICIENT_BALANCE')
    // One card per platform account, and one platform account per card on a platform.
    const binding = await trx
      .selectFrom('platform_card_bindings')
      .select(['platform_user_ref', 'card_id'])
      .where('platform_code', '=', platformCode)
      .where((eb) => eb.or([eb('platform_user_ref', '=', input.platformUserRef), eb('card_id', '=', card.id)]))
      .execute()
    if (binding.some((b) => b.card_id !== card.id || b.platform_user_ref !== input.platformUserRef)) refuse('PLATFORM_ACCOUNT_OTHER_CARD')
    if (binding.length === 0) {
      await trx.insertInto('platform_card_bindings').values({ platform_code: platformCode, platform_user_ref: input.platformUserRef, card_id: card.id, bound_at: now }).execute()
    }
    const person = await trx.selectFrom('accounts').select(['phone', 'phone_verified_at', 'email', 'display_name']).where('id', '=', card.account_id).executeTakeFirstOrThrow()
    const platform = await trx.selectFrom('partners').select('name').where('code', '=', platformCode).executeTakeFirstOrThrow()
    const id = crypto.randomUUID()
    const code = newCode()
    const row = await trx
      .insertInto('purchases')
      .values({
        id,
        platform_code: platformCode,
        order_ref: input.orderRef,
        platform_user_ref: input.platformUserRef,
        card_id: card.id,
        account_id: card.account_id,
        course_id: course.id,
        provider_code: course.provider_code,
        session_id: sessionId,
        price: Number(course.price),
        status: 'otp_sent',
        otp_hash: hashCode(deps.secret, id, code),
        otp_expires_at: new Date(now.getTime() + OTP_TTL_MS),
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await event(trx, id, card.account_id, 'started', now, { platform: platformCode, course: course.title, price: Number(course.price) })
    const text =
      `Kode OTP Karya: ${code}. Untuk membeli "${course.title}" seharga ${formatRupiah('id', Number(course.price))} di ${platform.name}. ` +
      `Masukkan hanya di situs ${platform.name}; berlaku 10 menit. Bukan Anda? Abaikan pesan ini.`
    const bySms = person.phone !== null && person.phone_verified_at !== null
    if (bySms) await deps.mail.send(trx, { accountId: null, to: person.phone!, channel: 'sms', template: 'purchases.otp', subject: 'Kode OTP pembelian', text })
    if (person.email) await deps.mail.send(trx, { accountId: card.account_id, to: person.email, template: 'purchases.otp', subject: 'Kode OTP pembelian pelatihan / Course purchase code', text, link: '/pelatihan-saya' })
    return { ...view(row), sentTo: bySms ? maskPhone(person.phone!) : person.email ?? '' }
  })
}

/**
 * Step 2: the participant's code. A right code holds the price and takes a seat in one
 * transaction; if either cannot happen, neither does.
 */
export async function authorisePurchase(deps: PurchasesDeps, platformCode: string, purchaseId: string, otp: string): Promise<PurchaseView> {
  const now = deps.clock.now()
  // A wrong code is counted in its own transaction, so the count survives the refusal.
  const wrong = await transaction(deps.db, async (trx) => {
    const p = await findForPlatform(trx, platformCode, purchaseId)
    if (p.status !== 'otp_sent') return null
    if (!p.otp_expires_at || now > p.otp_expires_at) return 'PURCHASE_OTP_EXPIRED' as const
    if (p.otp_attempts >= OTP_MAX_TRIES) return 'PURCHASE_OTP_EXPIRED' as const
    if (p.otp_hash && sameHash(p.otp_hash, hashCode(deps.secret, p.id, otp.trim()))) return null
    await trx.updateTable('purchases').set({ otp_attempts: p.otp_attempts + 1 }).where('id', '=', p.id).execute()
    return 'PURCHASE_OTP_INVALID' as const
  })
  if (wrong) refuse(wrong)
  return transaction(deps.db, async (trx) => {
    const p = await findForPlatform(trx, platformCode, purchaseId)
    if (p.status === 'held') return view(p)
    if (p.status !== 'otp_sent') refuse('PURCHASE_STATE')
    const course = await trx.selectFrom('courses').select(['status', 'title']).where('id', '=', p.course_id).executeTakeFirstOrThrow()
    // Nothing is written for a refusal: the code simply lapses.
    if (course.status !== 'approved') return refuseAfter(trx, 'COURSE_WITHDRAWN')
    // Everything that touches no shared row comes first; the two rows every buyer of this
    // session and platform needs (the seat counter, the platform's ledger account) are taken
    // last, so they are held only for the last statements and the commit.
    const ledger = ledgerOf(deps)
    const from = await ledger.findAccount(trx, 'participant_training', p.account_id)
    const to = (await ledger.findAccount(trx, 'platform_payable', p.platform_code)) ?? (await ledger.openAccount(trx, 'platform_payable', p.platform_code))
    if (!from) return refuseAfter(trx, 'PURCHASE_INSUFFICIENT_BALANCE')
    const holdExpiresAt = new Date(now.getTime() + HOLD_MS)
    await event(trx, p.id, p.account_id, 'held', now, { price: Number(p.price) })
    await deps.jobs.enqueue(trx, EXPIRE_PURCHASE_JOB, { purchaseId: p.id }, { startAfter: holdExpiresAt })
    if (p.session_id) {
      const took = await trx
        .updateTable('course_sessions')
        .set({ seats_taken: sql`seats_taken + 1` })
        .where('id', '=', p.session_id)
        .where('status', '=', 'scheduled')
        .where(sql<boolean>`seats_taken < seats`)
        .where('starts_at', '>', now)
        .executeTakeFirst()
      if (Number(took.numUpdatedRows) === 0) return refuseAfter(trx, 'COURSE_FULL')
    }
    let holdId: number
    try {
      const r = await ledger.hold(trx, {
        debitAccountId: from.id,
        creditAccountId: to.id,
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
    const row = await trx
      .updateTable('purchases')
      .set({ status: 'held', hold_id: holdId, hold_expires_at: holdExpiresAt, held_at: now, otp_hash: null })
      .where('id', '=', p.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return view(row)
  })
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
export async function release(deps: PurchasesDeps, trx: Trx, p: { id: string; account_id: string; session_id: string | null; hold_id: number | null }, status: 'expired' | 'cancelled', reason: string, now: Date) {
  if (p.hold_id !== null) {
    try {
      await ledgerOf(deps).void(trx, { holdId: p.hold_id, idempotencyKey: `purchase:${p.id}:release` })
    } catch (err) {
      // The ledger's own expiry got there first: the money is back already.
      if (!(err instanceof AppError && err.code === 'LEDGER_HOLD_EXPIRED')) throw err
    }
  }
  if (p.session_id) await trx.updateTable('course_sessions').set({ seats_taken: sql`seats_taken - 1` }).where('id', '=', p.session_id).execute()
  await end(trx, p, status, reason, now)
}

/**
 * The voucher message of a paid purchase: by e-mail (with the inbox copy) and by SMS to a
 * verified phone. Sent once at confirmation, and again, word for word, when the helpdesk
 * resends it; the voucher itself is never replaced.
 */
async function sendVoucherMessage(deps: Pick<PurchasesDeps, 'mail'>, trx: Executor, p: { account_id: string; course_id: string; price: number; voucher_code: string; after_purchase_id: string | null }): Promise<string[]> {
  const course = await trx
    .selectFrom('courses as c')
    .innerJoin('partners as pv', 'pv.code', 'c.provider_code')
    .select(['c.title', 'pv.name as provider'])
    .where('c.id', '=', p.course_id)
    .executeTakeFirstOrThrow()
  const person = await trx.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at']).where('id', '=', p.account_id).executeTakeFirstOrThrow()
  const wait = p.after_purchase_id ? ' Pelatihan ini dimulai setelah pelatihan Anda sebelumnya selesai.' : ''
  const text =
    `Pembelian berhasil: "${course.title}" (${formatRupiah('id', p.price)}). Kode voucher: ${formatVoucher(p.voucher_code)}. ` +
    `Tukarkan di ${course.provider} untuk mulai belajar.${wait} Lihat di Karya: Pelatihan saya.`
  const sentTo: string[] = []
  if (person.email) {
    await deps.mail.send(trx, { accountId: p.account_id, to: person.email, template: 'purchases.paid', subject: 'Voucher pelatihan Anda / Your course voucher', text, link: '/pelatihan-saya' })
    sentTo.push('email')
  }
  if (person.phone && person.phone_verified_at) {
    await deps.mail.send(trx, { accountId: person.email ? null : p.account_id, to: person.phone, channel: 'sms', template: 'purchases.paid', subject: 'Voucher pelatihan', text })
    sentTo.push('sms')
  }
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
  const expired = await transaction(deps.db, async (trx) => {
    const p = await findForPlatform(trx, platformCode, purchaseId)
    if (p.status === 'held' && p.hold_expires_at && now > p.hold_expires_at) {
      await release(deps, trx, p, 'expired', 'hold_expired', now)
      return true
    }
    return false
  })
  if (expired) refuse('PURCHASE_HOLD_EXPIRED')
  return transaction(deps.db, async (trx) => {
    const p = await findForPlatform(trx, platformCode, purchaseId)
    if (p.status === 'paid' || p.status === 'redeemed' || p.status === 'completed') refuse('PURCHASE_ALREADY_CONFIRMED')
    if (p.status === 'expired') refuse('PURCHASE_HOLD_EXPIRED')
    if (p.status !== 'held' || p.hold_id === null) refuse('PURCHASE_STATE')
    const earlier = await trx
      .selectFrom('purchases')
      .select('id')
      .where('card_id', '=', p.card_id)
      .where('id', '<>', p.id)
      .where('status', 'in', [...UNFINISHED])
      .orderBy('paid_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    let voucher = newVoucherCode()
    for (let i = 0; (await trx.selectFrom('purchases').select('id').where('voucher_code', '=', voucher).executeTakeFirst()) && i < 5; i++) voucher = newVoucherCode()
    const row = await trx
      .updateTable('purchases')
      .set({ status: 'paid', paid_at: now, voucher_code: voucher, after_purchase_id: earlier?.id ?? null })
      .where('id', '=', p.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // The first purchase keeps the card: the deadline job revokes cards without one.
    await markFirstPurchase(trx, p.account_id, now)
    await event(trx, p.id, p.account_id, 'paid', now, { voucher, waitsFor: earlier?.id ?? null })
    await sendVoucherMessage(deps, trx, { account_id: p.account_id, course_id: p.course_id, price: Number(p.price), voucher_code: voucher, after_purchase_id: earlier?.id ?? null })
    // Last, for the same reason as in authorise: the platform's ledger account is shared by every buyer.
    await ledgerOf(deps).post(trx, { holdId: p.hold_id!, idempotencyKey: `purchase:${p.id}:post` })
    return view(row)
  })
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
