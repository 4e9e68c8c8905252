/**
 * Test helpers for the completion pages: a participant who bought the offline course through
 * the signed partner API, was redeemed, attended, and (optionally) was reported completed.
 */
import crypto from 'node:crypto'
import type { TestApp } from '../../../test/app.ts'
import type { Clock } from '../../platform/clock.ts'
import { v1Headers } from '../partners/signature.ts'
import { cardWithBalance, PLATFORM, PROVIDER, type Fixture } from '../purchases/testing.ts'

type FixedClock = Clock & { set(d: Date): void }

type Who = { client: string; secret: string }

export async function partnerCall(t: TestApp, clock: FixedClock, who: Who, method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(who.client, who.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

export async function newParticipant(t: TestApp, clock: FixedClock, name: string) {
  const id = crypto.randomUUID()
  const phone = `+62812${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
  await t.database.db
    .insertInto('accounts')
    .values({ id, email: `${id.slice(0, 8)}@uji.test`, phone, display_name: name, password_hash: null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: clock.now(), email_verified_at: clock.now(), phone_verified_at: clock.now(), locked_until: null })
    .execute()
  return { id, phone }
}

async function otpFor(t: TestApp, phone: string) {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', phone).where('channel', '=', 'sms').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /Kode OTP Karya: (\d{6})/.exec(row.text_body)![1]!
}

/** Bought at `buyAt` (before the session), redeemed and attended; the clock ends an hour after the session. */
export async function attended(t: TestApp, clock: FixedClock, f: Fixture, waveId: string, who: { id: string; phone: string }, buyAt: Date) {
  clock.set(buyAt)
  const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, waveId, who.id, 3_500_000)
  const start = await partnerCall(t, clock, PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: `u-${who.id}` })
  if (start.statusCode !== 200) throw new Error(start.body)
  const id = start.json().id as string
  await partnerCall(t, clock, PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: await otpFor(t, who.phone) })
  const voucher = (await partnerCall(t, clock, PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
  const red = await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })
  const s = await t.database.db.selectFrom('course_sessions').select(['starts_at', 'ends_at']).where('id', '=', f.sessionId).executeTakeFirstOrThrow()
  clock.set(new Date(s.starts_at.getTime() + 10 * 60_000))
  const att = await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: red.json().redeemCodes[0].code })
  if (att.statusCode !== 200) throw new Error(att.body)
  clock.set(new Date(s.ends_at.getTime() + 3_600_000))
  return { id, voucher, sessionEnd: s.ends_at }
}

/** The provider reports the completion; returns the certificate number when issued at once. */
export async function reportCompletion(t: TestApp, clock: FixedClock, voucher: string, completedAt: Date, grade = 87) {
  const res = await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: crypto.randomUUID(), type: 'completion', voucherCode: voucher, grade, completedAt: completedAt.toISOString(), certificateNumber: null, certificateUrl: null })
  return res.json() as { result: string; outcome?: string; certificateNumber?: string; brokenRules?: string[]; reviewDueAt?: string }
}
