import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { legacyHeaders, v1Headers } from '../partners/signature.ts'
import { checkLedger, findAccount, getBalance, ownerBalance, PAYABLE_SHARDS } from '../ledger/index.ts'
import { cardWithBalance, partnersAndCourses, testWave, PLATFORM, PROVIDER, OTHER_PROVIDER, type Fixture } from './testing.ts'
import { expireHeldPurchase, HOLD_MS } from './purchases.service.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let f: Fixture
let waveId: string

beforeAll(async () => {
  t = await startTestApp({ clock })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity })
  waveId = await testWave(t.database.db, clock)
})
afterAll(async () => t?.close())

type Who = { client: string; secret: string }
async function call(who: Who, method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(who.client, who.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

/** A participant account with a verified phone and a card with balance. */
async function person(balance = 3_500_000) {
  const id = crypto.randomUUID()
  const phone = `+62812${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
  await t.database.db
    .insertInto('accounts')
    .values({ id, email: `${id.slice(0, 8)}@uji.test`, phone, display_name: 'Peserta Uji', password_hash: null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: clock.now(), email_verified_at: clock.now(), phone_verified_at: clock.now(), locked_until: null })
    .execute()
  const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, waveId, id, balance)
  return { id, phone, card, user: `user-${id.slice(0, 8)}` }
}

async function otpFor(phone: string) {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', phone).where('channel', '=', 'sms').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /Kode OTP Karya: (\d{6})/.exec(row.text_body)![1]!
}

async function available(accountId: string) {
  const a = await findAccount(t.database.db, 'participant_training', accountId)
  return (await getBalance(t.database.db, a!.id)).available
}

async function seatsTaken(sessionId: string) {
  // The session's seats are split into shards (decision 0009): taken = their sum.
  const r = await t.database.db.selectFrom('course_session_seats').select((eb) => eb.fn.sum<number>('seats_taken').as('n')).where('session_id', '=', sessionId).executeTakeFirstOrThrow()
  return Number(r.n)
}

async function buy(p: { card: string; phone: string; user: string }, courseId: string, sessionId: string | null, orderRef: string = crypto.randomUUID()) {
  const start = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef, cardNumber: p.card, courseId, sessionId, platformUserRef: p.user })
  if (start.statusCode !== 200) return { start, id: '' }
  const id = start.json().id as string
  const auth = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: await otpFor(p.phone) })
  return { start, auth, id }
}

describe('a purchase, start to voucher', () => {
  it('holds the price and the seat together on the code, posts and issues a voucher on confirmation', async () => {
    const p = await person()
    const { start, auth, id } = await buy(p, f.courseId, f.sessionId, 'ORD-1')
    expect(start.json()).toMatchObject({ status: 'otp_sent', price: 1_000_000 })
    expect(start.json().sentTo).toMatch(/^0812-\*\*\*\*-\d{4}$/)
    expect(auth!.statusCode, auth!.body).toBe(200)
    expect(auth!.json().status).toBe('held')
    expect(await available(p.id)).toBe(2_500_000)
    expect(await seatsTaken(f.sessionId)).toBe(1)
    const confirm = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)
    expect(confirm.json()).toMatchObject({ status: 'paid' })
    expect(confirm.json().voucherCode).toMatch(/^V[0-9A-Z]{11}$/)
    expect(await available(p.id)).toBe(2_500_000)
    const card = await t.database.db.selectFrom('cards').select('first_purchase_at').where('card_number', '=', p.card).executeTakeFirstOrThrow()
    expect(card.first_purchase_at).not.toBeNull()
    // The same order again returns the same purchase; a duplicate confirmation is refused and charges nothing.
    const again = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: 'ORD-1', cardNumber: p.card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: p.user })
    expect(again.json().id).toBe(id)
    const dup = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)
    expect(dup.json().error.code).toBe('PURCHASE_ALREADY_CONFIRMED')
    expect(await available(p.id)).toBe(2_500_000)
    const reused = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: 'ORD-1', cardNumber: p.card, courseId: f.selfPacedId, platformUserRef: p.user })
    expect(reused.json().error.code).toBe('PURCHASE_ORDER_REUSED')
  })
})

describe('refusals leave no hold and no seat behind', () => {
  it('unknown card, course of another platform, insufficient balance, wrong OTP', async () => {
    const p = await person(500_000)
    const unknown = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: 'X1', cardNumber: '9999999999999999', courseId: f.courseId, sessionId: f.sessionId, platformUserRef: p.user })
    expect(unknown.json().error.code).toBe('CARD_UNKNOWN')
    const poor = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: 'X2', cardNumber: p.card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: p.user })
    expect(poor.json().error.code).toBe('PURCHASE_INSUFFICIENT_BALANCE')
    const rich = await person()
    const start = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: 'X3', cardNumber: rich.card, courseId: f.selfPacedId, platformUserRef: rich.user })
    const wrong = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${start.json().id}/authorise`, { otp: (Number(await otpFor(rich.phone)) ^ 1).toString().padStart(6, '0') })
    expect(wrong.json().error.code).toBe('PURCHASE_OTP_INVALID')
    expect(await available(rich.id)).toBe(3_500_000)
    const early = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${start.json().id}/confirm`)
    expect(early.json().error.code).toBe('PURCHASE_STATE')
    for (let i = 0; i < 4; i++) await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${start.json().id}/authorise`, { otp: '000000' })
    const locked = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${start.json().id}/authorise`, { otp: await otpFor(rich.phone) })
    expect(locked.json().error.code).toBe('PURCHASE_OTP_EXPIRED')
  })

  it('a platform account uses one card only', async () => {
    const a = await person()
    const b = await person()
    await buy(a, f.selfPacedId, null)
    const other = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: b.card, courseId: f.selfPacedId, platformUserRef: a.user })
    expect(other.json().error.code).toBe('PLATFORM_ACCOUNT_OTHER_CARD')
  })

  it('course full: two buyers reach the code step for the last seat; one gets it, the other is refused with the money untouched', async () => {
    const one = await t.database.db
      .insertInto('course_sessions')
      .values({ course_id: f.courseId, provider_ref: 'ONE', starts_at: new Date(clock.now().getTime() + 5 * 86_400_000), ends_at: new Date(clock.now().getTime() + 5 * 86_400_000 + 3_600_000), seats: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const b = await person()
    const c = await person()
    const sb = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: b.card, courseId: f.courseId, sessionId: one.id, platformUserRef: b.user })
    const sc = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: c.card, courseId: f.courseId, sessionId: one.id, platformUserRef: c.user })
    expect([sb.statusCode, sc.statusCode]).toEqual([200, 200])
    const [rb, rc] = await Promise.all([
      call(PLATFORM, 'POST', `/api/v1/partner/purchases/${sb.json().id}/authorise`, { otp: await otpFor(b.phone) }),
      call(PLATFORM, 'POST', `/api/v1/partner/purchases/${sc.json().id}/authorise`, { otp: await otpFor(c.phone) }),
    ])
    const outcomes = [rb, rc].map((r) => (r.statusCode === 200 ? 'held' : r.json().error.code)).sort()
    expect(outcomes).toEqual(['COURSE_FULL', 'held'])
    expect(await seatsTaken(one.id)).toBe(1)
    const loser = rb.statusCode === 200 ? c : b
    expect(await available(loser.id)).toBe(3_500_000)
    // A third buyer is told at the start, before any code is sent.
    const d = await person()
    const sd = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: d.card, courseId: f.courseId, sessionId: one.id, platformUserRef: d.user })
    expect(sd.json().error.code).toBe('COURSE_FULL')
  })

  it('many buyers of the last seats at once (seats and the platform account in shards): never oversold, the ledger balances, the platform sees the sum', async () => {
    const seats = 5
    const few = await t.database.db
      .insertInto('course_sessions')
      .values({ course_id: f.courseId, provider_ref: 'FEW', starts_at: new Date(clock.now().getTime() + 6 * 86_400_000), ends_at: new Date(clock.now().getTime() + 6 * 86_400_000 + 3_600_000), seats })
      .returning('id')
      .executeTakeFirstOrThrow()
    const shards = await t.database.db.selectFrom('course_session_seats').selectAll().where('session_id', '=', few.id).orderBy('shard').execute()
    expect(shards.map((z) => z.seats)).toEqual([1, 1, 1, 1, 1])
    const payableBefore = (await ownerBalance(t.database.db, 'platform_payable', PLATFORM.code))?.incoming ?? 0
    const buyers = await Promise.all(Array.from({ length: 12 }, () => person()))
    const started = []
    for (const b of buyers) {
      const r = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: b.card, courseId: f.courseId, sessionId: few.id, platformUserRef: b.user })
      expect(r.statusCode).toBe(200)
      started.push({ b, id: r.json().id as string, otp: await otpFor(b.phone) })
    }
    const results = await Promise.all(started.map((s) => call(PLATFORM, 'POST', `/api/v1/partner/purchases/${s.id}/authorise`, { otp: s.otp })))
    const outcomes = results.map((r) => (r.statusCode === 200 ? 'held' : r.json().error.code))
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(seats)
    expect(outcomes.filter((o) => o === 'COURSE_FULL')).toHaveLength(12 - seats)
    expect(await seatsTaken(few.id)).toBe(seats)
    const after = await t.database.db.selectFrom('course_session_seats').selectAll().where('session_id', '=', few.id).execute()
    for (const z of after) expect(z.seats_taken).toBeLessThanOrEqual(z.seats)
    // Each held purchase remembers its seat's shard; the refused ones hold no money.
    const held = await t.database.db.selectFrom('purchases').select(['seat_shard', 'hold_id']).where('session_id', '=', few.id).where('status', '=', 'held').execute()
    expect(held.map((h) => h.seat_shard).sort()).toEqual([0, 1, 2, 3, 4])
    for (const [i, r] of results.entries()) if (r.statusCode !== 200) expect(await available(started[i]!.b.id)).toBe(3_500_000)
    // The holds went to several payable shards of the one platform; its balance is their sum.
    const credited = await t.database.db.selectFrom('ledger_transfers as h').innerJoin('ledger_accounts as a', 'a.id', 'h.credit_account_id').select(['a.shard', 'a.owner_ref', 'a.type']).where('h.id', 'in', held.map((h) => h.hold_id!)).execute()
    expect(credited.every((c) => c.type === 'platform_payable' && c.owner_ref === PLATFORM.code && c.shard >= 0 && c.shard < PAYABLE_SHARDS)).toBe(true)
    const payable = await ownerBalance(t.database.db, 'platform_payable', PLATFORM.code)
    expect(payable!.incoming - payableBefore).toBe(seats * 1_000_000)
    const shardRows = await t.database.db.selectFrom('ledger_accounts').select(['credits_pending']).where('type', '=', 'platform_payable').where('owner_ref', '=', PLATFORM.code).execute()
    expect(shardRows.reduce((a, r) => a + Number(r.credits_pending), 0)).toBe(payable!.incoming)
    // Confirm them all: posted to the same shards, and the ledger's invariants hold.
    for (const s of started) {
      const r = results[started.indexOf(s)]!
      if (r.statusCode === 200) expect((await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${s.id}/confirm`)).statusCode).toBe(200)
    }
    const report = await checkLedger(t.database.db, clock)
    expect(report.ok).toBe(true)
  })

  it("a session's seats change: the free seats are spread again over its shards, never below what is taken", async () => {
    const s = await t.database.db
      .insertInto('course_sessions')
      .values({ course_id: f.courseId, provider_ref: 'GROW', starts_at: new Date(clock.now().getTime() + 7 * 86_400_000), ends_at: new Date(clock.now().getTime() + 7 * 86_400_000 + 3_600_000), seats: 20 })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const p of [await person(), await person()]) expect((await buy(p, f.courseId, s.id)).auth?.statusCode).toBe(200)
    expect(await seatsTaken(s.id)).toBe(2)
    await t.database.db.updateTable('course_sessions').set({ seats: 3 }).where('id', '=', s.id).execute()
    const shrunk = await t.database.db.selectFrom('course_session_seats').selectAll().where('session_id', '=', s.id).execute()
    expect(shrunk).toHaveLength(8)
    expect(shrunk.reduce((a, z) => a + z.seats, 0)).toBe(3)
    expect(shrunk.reduce((a, z) => a + z.seats_taken, 0)).toBe(2)
    // Fewer seats than are taken: the database refuses.
    await expect(t.database.db.updateTable('course_sessions').set({ seats: 1 }).where('id', '=', s.id).execute()).rejects.toThrow()
    await t.database.db.updateTable('course_sessions').set({ seats: 40 }).where('id', '=', s.id).execute()
    const grown = await t.database.db.selectFrom('course_session_seats').selectAll().where('session_id', '=', s.id).execute()
    expect(grown.reduce((a, z) => a + z.seats, 0)).toBe(40)
    expect(Math.max(...grown.map((z) => z.seats - z.seats_taken)) - Math.min(...grown.map((z) => z.seats - z.seats_taken))).toBeLessThanOrEqual(1)
  })

  it('a hold that is never confirmed is released: the money and the seat come back', async () => {
    const p = await person()
    const { id } = await buy(p, f.courseId, f.laterSessionId)
    expect(await available(p.id)).toBe(2_500_000)
    const seats = await seatsTaken(f.laterSessionId)
    clock.advance(HOLD_MS + 1000)
    const late = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)
    expect(late.json().error.code).toBe('PURCHASE_HOLD_EXPIRED')
    expect(await available(p.id)).toBe(3_500_000)
    expect(await seatsTaken(f.laterSessionId)).toBe(seats - 1)
    // The expiry job finds nothing left to do.
    expect(await expireHeldPurchase({ db: t.database.db, clock, jobs: t.deps.jobs, mail: t.deps.mail, secret: t.deps.config.secret }, id)).toBe(false)
  })

  it('a course withdrawn between start and code is refused and nothing is held', async () => {
    const p = await person()
    const start = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: p.card, courseId: f.selfPacedId, platformUserRef: p.user })
    await t.database.db.updateTable('courses').set({ status: 'withdrawn' }).where('id', '=', f.selfPacedId).execute()
    const auth = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${start.json().id}/authorise`, { otp: await otpFor(p.phone) })
    expect(auth.json().error.code).toBe('COURSE_WITHDRAWN')
    expect(await available(p.id)).toBe(3_500_000)
    await t.database.db.updateTable('courses').set({ status: 'approved' }).where('id', '=', f.selfPacedId).execute()
  })
})

describe('at the provider', () => {
  it('voucher, then the session code inside its window; every wrong use has its own code', async () => {
    const p = await person()
    const { id } = await buy(p, f.courseId, f.laterSessionId)
    const voucher = (await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
    const elsewhere = await call(OTHER_PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })
    expect(elsewhere.json().error.code).toBe('REDEEM_OTHER_PROVIDER')
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: 'VZZZZZZZZZZZ' })).json().error.code).toBe('REDEEM_NOT_FOUND')
    const red = await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher.toLowerCase().replace(/^(.{4})/, '$1-') })
    expect(red.statusCode, red.body).toBe(200)
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })).json().error.code).toBe('REDEEM_ALREADY_USED')
    const code = red.json().redeemCodes[0].code as string
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: voucher })).json().error.code).toBe('REDEEM_WRONG_COURSE_TYPE')
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: code })).json().error.code).toBe('REDEEM_OUTSIDE_WINDOW')
    const starts = new Date(red.json().redeemCodes[0].validFrom).getTime() + 3_600_000
    clock.set(new Date(starts - 30 * 60_000))
    // The legacy path, signed the programme's old way, as an existing provider calls it.
    const rawBody = JSON.stringify({ redeem_code: code })
    const legacy = await t.app.inject({ method: 'POST', url: '/api/v1/integration/payment/redeem-code/commit', headers: { ...legacyHeaders(PROVIDER.client, PROVIDER.secret, { method: 'POST', path: '/api/v1/integration/payment/redeem-code/commit', rawBody }, clock.now()), 'content-type': 'application/json' }, payload: rawBody })
    expect(legacy.statusCode, legacy.body).toBe(200)
    expect(legacy.json()).toMatchObject({ success: true, data: { purchaseId: id } })
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: code })).json().error.code).toBe('REDEEM_ALREADY_USED')
    // The participant's timeline tells the whole story.
    const events = await t.database.db.selectFrom('purchase_events').select('kind').where('purchase_id', '=', id).orderBy('id').execute()
    expect(events.map((e) => e.kind)).toEqual(['started', 'held', 'paid', 'redeemed', 'attended'])
  })

  it('a cancelled session refunds everyone who paid and kills their codes', async () => {
    clock.set(new Date('2026-12-01T04:00:00Z'))
    const p = await person()
    const { id } = await buy(p, f.courseId, f.laterSessionId)
    const voucher = (await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
    const code = (await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })).json().redeemCodes[0].code
    expect(await available(p.id)).toBe(2_500_000)
    const other = await call(OTHER_PROVIDER, 'POST', `/api/v1/partner/sessions/${f.laterSessionId}/cancel`, { reason: 'bukan milik saya' })
    expect(other.statusCode).toBe(404)
    const cancel = await call(PROVIDER, 'POST', `/api/v1/partner/sessions/${f.laterSessionId}/cancel`, { reason: 'Pelatih sakit' })
    expect(cancel.statusCode, cancel.body).toBe(200)
    expect(cancel.json().refunded).toBeGreaterThanOrEqual(1)
    expect(await available(p.id)).toBe(3_500_000)
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: code })).json().error.code).toBe('REDEEM_CANCELLED')
    const again = await call(PROVIDER, 'POST', `/api/v1/partner/sessions/${f.laterSessionId}/cancel`, { reason: 'Pelatih sakit' })
    expect(again.json()).toEqual({ refunded: 0, released: 0 })
    expect(await available(p.id)).toBe(3_500_000)
  })
})

describe('the programme cancels a session', () => {
  it('PMO cancels with a reason: everyone who paid is refunded, and it is audited', async () => {
    const session = await t.database.db
      .insertInto('course_sessions')
      .values({ course_id: f.courseId, provider_ref: `PMO-${crypto.randomUUID().slice(0, 6)}`, starts_at: new Date(clock.now().getTime() + 20 * 86_400_000), ends_at: new Date(clock.now().getTime() + 20 * 86_400_000 + 3_600_000), seats: 10 })
      .returning('id')
      .executeTakeFirstOrThrow()
    const p = await person()
    const { id } = await buy(p, f.courseId, session.id)
    await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)
    expect(await available(p.id)).toBe(2_500_000)
    const pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const token = await pmo.csrfFrom(`/pmo/kursus/${f.courseId}`)
    const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
    const url = `/pmo/kursus/${f.courseId}/sesi/${session.id}/batal`
    const short = await pmo.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, reason: 'x' }).toString() })
    expect(short.statusCode).toBe(400)
    expect(await available(p.id)).toBe(2_500_000)
    const ok = await pmo.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, reason: 'Tempat pelatihan ditutup banjir' }).toString() })
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    expect(await available(p.id)).toBe(3_500_000)
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'course_session.cancelled').execute()
    expect(audit).toEqual([{ action: 'course_session.cancelled', subject_id: session.id }])
    const status = await t.database.db.selectFrom('purchases').select(['status', 'end_reason']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(status).toEqual({ status: 'refunded', end_reason: 'session_cancelled' })
  })
})

describe('one course after another', () => {
  it('a second course can be bought but starts only after the first is finished', async () => {
    const p = await person()
    const a = await buy(p, f.selfPacedId, null)
    const va = (await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${a.id}/confirm`)).json().voucherCode
    await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: va })
    const course2 = await t.database.db.insertInto('courses').values({ provider_code: PROVIDER.code, platform_code: PLATFORM.code, provider_ref: `LANJUT-${crypto.randomUUID().slice(0, 6)}`, title: 'Pemasaran telur', description: 'Menjual telur ke warung dan pasar dengan harga yang adil.', category: 'entrepreneurship', mode: 'self_paced', hours: 15, price: 500_000, market_price: 500_000, status: 'approved', submitted_at: clock.now() }).returning('id').executeTakeFirstOrThrow()
    const b = await buy(p, course2.id, null)
    const confirmed = await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${b.id}/confirm`)
    expect(confirmed.json().waitsFor).toBe(a.id)
    const early = await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: confirmed.json().voucherCode })
    expect(early.json().error.code).toBe('PURCHASE_WAITING_FOR_PREVIOUS')
    await t.database.db.updateTable('purchases').set({ status: 'completed', completed_at: clock.now() }).where('id', '=', a.id).execute()
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: confirmed.json().voucherCode })).statusCode).toBe(200)
    // The same course cannot be bought twice.
    const twice = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: p.card, courseId: course2.id, platformUserRef: p.user })
    expect(twice.json().error.code).toBe('ALREADY_BOUGHT')
  })
})

describe('the participant sees it all', () => {
  it('"Pelatihan saya" shows the voucher and the timeline', async () => {
    const me = await loggedIn(t.app, 'participant', t.database.db)
    const account = await t.database.db.selectFrom('accounts').select('id').where('email', '=', 'peserta@karya.test').executeTakeFirstOrThrow()
    const phone = '+6281200000001'
    const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, waveId, account.id, 3_500_000)
    const { id } = await buy({ card, phone, user: 'siti' }, f.selfPacedId, null)
    const voucher = (await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
    const page = await me.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })
    expect(page.body).toContain('Pembukuan usaha ternak')
    expect(page.body).toContain(voucher.replace(/^(.{4})(.{4})(.{4})$/, '$1-$2-$3'))
    expect(page.body).toContain('Pembayaran dikonfirmasi, voucher terbit')
    const inbox = await t.database.db.selectFrom('inbox_messages').select('subject').where('account_id', '=', account.id).execute()
    expect(inbox.map((m) => m.subject)).toContain('Voucher pelatihan Anda / Your course voucher')
  })
})
