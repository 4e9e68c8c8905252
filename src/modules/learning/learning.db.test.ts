import crypto from 'node:crypto'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { legacyHeaders, v1Headers } from '../partners/signature.ts'
import { purchaseTimeline } from '../purchases/timeline.ts'
import { myLearning } from './learning.service.ts'
import { cardWithBalance, partnersAndCourses, testWave, PLATFORM, PROVIDER, OTHER_PROVIDER, type Fixture } from '../purchases/testing.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR
const clock = fixedClock(BASE)
let t: TestApp
let f: Fixture
let waveId: string
let sessionStart: Date
let sessionEnd: Date

beforeAll(async () => {
  t = await startTestApp({ clock })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity }, { seats: 50 })
  waveId = await testWave(t.database.db, clock)
  const s = await t.database.db.selectFrom('course_sessions').select(['starts_at', 'ends_at']).where('id', '=', f.sessionId).executeTakeFirstOrThrow()
  sessionStart = s.starts_at
  sessionEnd = s.ends_at
})
afterAll(async () => t?.close())
beforeEach(() => clock.set(BASE))

type Who = { client: string; secret: string }
async function call(who: Who, method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(who.client, who.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

async function person(name = 'Peserta Uji Coba') {
  const id = crypto.randomUUID()
  const phone = `+62812${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
  await t.database.db
    .insertInto('accounts')
    .values({ id, email: `${id.slice(0, 8)}@uji.test`, phone, display_name: name, password_hash: null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: clock.now(), email_verified_at: clock.now(), phone_verified_at: clock.now(), locked_until: null })
    .execute()
  return { id, phone }
}

async function otpFor(phone: string) {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', phone).where('channel', '=', 'sms').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /Kode OTP Karya: (\d{6})/.exec(row.text_body)![1]!
}

/** Buys the offline course's session; `upTo` says how far: paid (voucher), redeemed, attended. */
async function bought(who: { id: string; phone: string }, upTo: 'started' | 'paid' | 'redeemed' | 'attended') {
  clock.set(BASE)
  const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, waveId, who.id, 3_500_000)
  const start = await call(PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: `u-${who.id}` })
  expect(start.statusCode, start.body).toBe(200)
  const id = start.json().id as string
  if (upTo === 'started') return { id, voucher: '' }
  await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: await otpFor(who.phone) })
  const voucher = (await call(PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
  if (upTo === 'paid') return { id, voucher }
  const red = await call(PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })
  expect(red.statusCode, red.body).toBe(200)
  if (upTo === 'redeemed') return { id, voucher }
  clock.set(new Date(sessionStart.getTime() + 10 * 60_000))
  const att = await call(PROVIDER, 'POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: red.json().redeemCodes[0].code })
  expect(att.statusCode, att.body).toBe(200)
  return { id, voucher }
}

const after = () => new Date(sessionEnd.getTime() + HOUR)
function completion(voucher: string, extra: Record<string, unknown> = {}) {
  return { reportId: crypto.randomUUID(), type: 'completion', voucherCode: voucher, grade: 87, completedAt: after().toISOString(), certificateNumber: 'LP-CERT-1', certificateUrl: 'https://lp.example/cert/1.pdf', ...extra }
}

describe('a completion that meets the rules', () => {
  it('completes the purchase, issues a certificate, tells the participant, and is idempotent', async () => {
    const who = await person('Siti Aminah Lubis')
    const { id, voucher } = await bought(who, 'attended')
    clock.set(new Date(after().getTime() + HOUR))
    const a = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: 'A-1', type: 'assignment', voucherCode: voucher, assignmentRef: 'tugas-1', status: 'success' })
    expect(a.json()).toMatchObject({ result: 'accepted', outcome: 'recorded', purchaseId: id })
    const row = completion(voucher, { reportId: 'C-1' })
    const res = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', row)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ result: 'accepted', outcome: 'completed', purchaseId: id })
    const number = res.json().certificateNumber as string
    expect(number).toMatch(/^KRY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const p = await t.database.db.selectFrom('purchases').select(['status', 'completed_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(p.status).toBe('completed')
    expect(p.completed_at).not.toBeNull()
    const kinds = (await purchaseTimeline(t.database.db, id)).map((e) => e.kind)
    expect(kinds).toEqual(['started', 'held', 'paid', 'redeemed', 'attended', 'assignment', 'reported', 'completed'])
    const inbox = await t.database.db.selectFrom('inbox_messages').select('subject').where('account_id', '=', who.id).execute()
    expect(inbox.map((m) => m.subject)).toContain('Sertifikat Anda sudah terbit / Your certificate is issued')
    // The same report again, and a later one with the same id: duplicates, nothing changes.
    const again = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', row)
    expect(again.json()).toMatchObject({ result: 'duplicate', purchaseId: id, reason: { code: 'DUPLICATE' } })
    const certs = await t.database.db.selectFrom('certificates').select('number').where('purchase_id', '=', id).execute()
    expect(certs.map((c) => c.number)).toEqual([number])
    // A second completion with a new id for a completed course is a correction: an event, the certificate unchanged.
    const late = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(voucher, { grade: 91 }))
    expect(late.statusCode).toBe(200)
    expect(late.json()).toMatchObject({ result: 'accepted', outcome: 'correction', certificateNumber: number })
    expect((await t.database.db.selectFrom('certificates').select('grade').where('purchase_id', '=', id).executeTakeFirstOrThrow()).grade).toBe(87)
    const last = (await purchaseTimeline(t.database.db, id)).at(-1)
    expect(last).toMatchObject({ kind: 'correction', details: { grade: 91, certificateNumber: 'LP-CERT-1', certificateUrl: 'https://lp.example/cert/1.pdf' } })

    // The public page: title, provider, date, initials only.
    const pub = await t.app.inject({ method: 'GET', url: `/sertifikat/${number.toLowerCase()}`, headers: { accept: 'text/html' } })
    expect(pub.statusCode).toBe(200)
    expect(pub.body).toContain('Sertifikat sah / valid')
    expect(pub.body).toContain('Beternak ayam kampung')
    expect(pub.body).toContain('LP Ternak Jaya')
    expect(pub.body).toContain('S. A. L.')
    expect(pub.body).not.toContain('Siti Aminah')
    const tampered = number.slice(0, -1) + (number.endsWith('0') ? '1' : '0')
    for (const n of [tampered, 'KRY-0000-0000-0000', 'bukan-nomor']) {
      const bad = await t.app.inject({ method: 'GET', url: `/sertifikat/${n}`, headers: { accept: 'text/html' } })
      expect(bad.statusCode, n).toBe(404)
      expect(bad.body).toContain('tidak valid / not valid')
      expect(bad.body).not.toContain('Beternak ayam kampung')
    }
    // With consent, the full name is shown.
    await t.database.db.updateTable('certificates').set({ show_full_name: true }).where('number', '=', number).execute()
    const named = await t.app.inject({ method: 'GET', url: `/sertifikat?nomor=${number}`, headers: { accept: 'text/html' } })
    expect(named.statusCode).toBe(303)
    expect((await t.app.inject({ method: 'GET', url: named.headers.location as string, headers: { accept: 'text/html' } })).body).toContain('Siti Aminah Lubis')
  })
})

describe('bulk reports: a result per row, bad rows never stop the rest', () => {
  it('applies the good rows and refuses each bad one with its reason', async () => {
    const good = await person()
    const g = await bought(good, 'attended')
    const unpaid = await bought(await person(), 'started')
    clock.set(new Date(after().getTime() + HOUR))
    const reports = [
      { reportId: 'B-ok-assign', type: 'assignment', voucherCode: g.voucher, assignmentRef: 'kuis', status: 'success' },
      completion('VZZZZZZZZZZZ', { reportId: 'B-unknown' }),
      completion(g.voucher, { reportId: 'B-grade', grade: 101 }),
      completion(g.voucher, { reportId: 'B-http', certificateUrl: 'http://lp.example/cert.pdf' }),
      completion(g.voucher, { reportId: 'B-before', completedAt: new Date(sessionStart.getTime() - DAY).toISOString() }),
      completion(g.voucher, { reportId: 'B-future', completedAt: new Date(clock.now().getTime() + DAY).toISOString() }),
      { reportId: 'B-notbought', type: 'completion', purchaseId: unpaid.id, grade: 80, completedAt: after().toISOString() },
      'not an object',
      { type: 'completion', voucherCode: g.voucher, grade: 80, completedAt: after().toISOString() },
      { reportId: 'B-status', type: 'assignment', voucherCode: g.voucher, assignmentRef: 'kuis-2', status: 'done' },
      completion(g.voucher, { reportId: 'B-ok-complete', certificateUrl: null }),
      { reportId: 'B-ok-assign', type: 'assignment', voucherCode: g.voucher, assignmentRef: 'kuis', status: 'failed' },
    ]
    const res = await call(PROVIDER, 'POST', '/api/v1/partner/learning/reports', { reports })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 9 })
    const r = body.results as Array<{ index: number; result: string; outcome?: string; reason?: { code: string; id: string; en: string } }>
    expect(r.map((x) => x.index)).toEqual(reports.map((_, i) => i))
    expect(r.map((x) => x.result === 'rejected' ? x.reason!.code : x.result)).toEqual([
      'accepted',
      'PURCHASE_NOT_FOUND',
      'GRADE_OUT_OF_RANGE',
      'CERT_URL_NOT_HTTPS',
      'COMPLETION_BEFORE_SESSION',
      'DATE_IN_FUTURE',
      'NOT_BOUGHT',
      'ROW_NOT_OBJECT',
      'REPORT_ID_INVALID',
      'ASSIGNMENT_STATUS_UNKNOWN',
      'accepted',
      'duplicate',
    ])
    expect(r[10]!.outcome).toBe('completed')
    for (const x of r.filter((y) => y.result === 'rejected')) expect(x.reason!.id.length).toBeGreaterThan(10)
    // Refused rows wrote nothing: only the two accepted reports are stored, and the duplicate did not overwrite the assignment.
    const stored = await t.database.db.selectFrom('learning_reports').select('report_id').where('purchase_id', 'in', [g.id, unpaid.id]).orderBy('id').execute()
    expect(stored.map((s) => s.report_id)).toEqual(['B-ok-assign', 'B-ok-complete'])
    const owner = (await t.database.db.selectFrom('purchases').select('account_id').where('id', '=', g.id).executeTakeFirstOrThrow()).account_id
    expect((await myLearning(t.database.db, owner)).get(g.id)?.assignments).toEqual([{ ref: 'kuis', status: 'success' }])
  })

  it('takes CSV: a malformed line is refused on its own, the others applied', async () => {
    const who = await person()
    const g = await bought(who, 'attended')
    clock.set(new Date(after().getTime() + HOUR))
    const csv = [
      'reportId,type,voucherCode,assignmentRef,status,grade,completedAt,certificateUrl',
      `CSV-1,assignment,${g.voucher},kuis,success,,,`,
      `CSV-2,completion,"${g.voucher},90,${after().toISOString()},`,
      `CSV-3,completion,${g.voucher},,,150,${after().toISOString()},`,
      `CSV-4,completion,${g.voucher},,,90,${after().toISOString()},"https://lp.example/c,1.pdf"`,
    ].join('\r\n')
    const headers = v1Headers(PROVIDER.client, PROVIDER.secret, { method: 'POST', path: '/api/v1/partner/learning/reports.csv', rawBody: csv }, clock.now())
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/partner/learning/reports.csv', headers: { ...headers, accept: 'application/json', 'content-type': 'text/csv' }, payload: csv })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 2 })
    expect(res.json().results.map((r: { result: string; outcome?: string; reason?: { code: string } }) => r.reason?.code ?? r.outcome)).toEqual(['recorded', 'CSV_ROW_MALFORMED', 'GRADE_OUT_OF_RANGE', 'completed'])
    const cert = await t.database.db.selectFrom('certificates').select('provider_url').where('purchase_id', '=', g.id).executeTakeFirstOrThrow()
    expect(cert.provider_url).toBe('https://lp.example/c,1.pdf')
    const badHeader = 'id,kind\n1,2'
    const h2 = v1Headers(PROVIDER.client, PROVIDER.secret, { method: 'POST', path: '/api/v1/partner/learning/reports.csv', rawBody: badHeader }, clock.now())
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/partner/learning/reports.csv', headers: { ...h2, accept: 'application/json', 'content-type': 'text/csv' }, payload: badHeader })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.fields[0].en).toContain('Unknown columns')
  })

  it('streams CSV with attendance rows, signed with the legacy scheme too', async () => {
    const who = await person()
    const g = await bought(who, 'redeemed')
    const code = (await t.database.db.selectFrom('redeem_codes').select('code').where('purchase_id', '=', g.id).executeTakeFirstOrThrow()).code
    clock.set(new Date(after().getTime() + HOUR))
    const csv = ['reportId,type,voucherCode,redeemCode,grade,completedAt', `L-1,attendance,${g.voucher},RZZZZZZZ,,`, `L-2,attendance,${g.voucher},${code},,`, `L-3,completion,${g.voucher},,88,${after().toISOString()}`, ''].join('\n')
    const path = '/api/v1/partner/learning/reports.csv'
    const headers = legacyHeaders(PROVIDER.client, PROVIDER.secret, { method: 'POST', path, rawBody: csv }, clock.now())
    const res = await t.app.inject({ method: 'POST', url: path, headers: { ...headers, accept: 'application/json', 'content-type': 'text/csv' }, payload: csv })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results.map((r: { outcome?: string; reason?: { code: string } }) => r.reason?.code ?? r.outcome)).toEqual(['REDEEM_CODE_UNKNOWN', 'recorded', 'completed'])
    // A changed body no longer matches its signature, whichever scheme.
    const tampered = await t.app.inject({ method: 'POST', url: path, headers: { ...legacyHeaders(PROVIDER.client, PROVIDER.secret, { method: 'POST', path, rawBody: csv }, clock.now()), accept: 'application/json', 'content-type': 'text/csv' }, payload: csv.replace('88', '99') })
    expect(tampered.statusCode).toBe(401)
    const v1 = await t.app.inject({ method: 'POST', url: path, headers: { ...v1Headers(PROVIDER.client, PROVIDER.secret, { method: 'POST', path, rawBody: csv }, clock.now()), accept: 'application/json', 'content-type': 'text/csv' }, payload: csv.replace('88', '99') })
    expect(v1.statusCode).toBe(401)
  })

  it('refuses another provider’s participant, an empty batch, and a body over the limit', async () => {
    const who = await person()
    const { voucher } = await bought(who, 'attended')
    clock.set(new Date(after().getTime() + HOUR))
    const other = await call(OTHER_PROVIDER, 'POST', '/api/v1/partner/learning/reports', { reports: [completion(voucher)] })
    expect(other.json().results[0].reason.code).toBe('OTHER_PROVIDER')
    expect(await t.database.db.selectFrom('certificates').select('number').innerJoin('purchases', 'purchases.id', 'certificates.purchase_id').where('purchases.voucher_code', '=', voucher).execute()).toEqual([])
    const empty = await call(PROVIDER, 'POST', '/api/v1/partner/learning/reports', { reports: [] })
    expect(empty.statusCode).toBe(400)
    // A signed body that is not {"reports": [...]} is refused as malformed (after the signature check).
    const cut = '{"reports": [{"reportId": "X"}, '
    const cutHeaders = v1Headers(PROVIDER.client, PROVIDER.secret, { method: 'POST', path: '/api/v1/partner/learning/reports', rawBody: cut }, clock.now())
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/partner/learning/reports', headers: { ...cutHeaders, 'content-type': 'application/json', accept: 'application/json' }, payload: cut })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('MALFORMED_REQUEST')
    // A 200 MB upload is refused from its declared size, before the body is read (the stream sends a few bytes only).
    for (const [url, type] of [['/api/v1/partner/learning/reports', 'application/json'], ['/api/v1/partner/learning/reports.csv', 'text/csv']] as const) {
      const body = Readable.from([Buffer.from(type === 'text/csv' ? 'reportId,type\n' : '{"reports":[')])
      const big = await t.app.inject({ method: 'POST', url, headers: { 'content-type': type, 'content-length': String(200 * 1024 * 1024), accept: 'application/json' }, payload: body })
      expect(big.statusCode, url).toBe(413)
      expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE')
      expect(big.json().error.fields[0].en).toContain('Split the reports into several requests of at most 100000 rows')
    }
  })
})

describe('a completion that breaks a rule waits for a reviewer', () => {
  let pmo: Browser
  it('no attendance: review with a due date the participant sees; the reviewer approves with a reason, audited', async () => {
    const me = await t.database.db.selectFrom('accounts').select(['id', 'phone']).where('email', '=', 'peserta@karya.test').executeTakeFirstOrThrow()
    const { id, voucher } = await bought({ id: me.id, phone: me.phone! }, 'redeemed')
    clock.set(new Date(after().getTime() + HOUR))
    const res = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(voucher))
    expect(res.json()).toMatchObject({ result: 'accepted', outcome: 'review', brokenRules: ['attendance'] })
    expect(new Date(res.json().reviewDueAt).getTime()).toBe(clock.now().getTime() + 3 * DAY)
    expect((await t.database.db.selectFrom('purchases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('redeemed')
    // A second completion while one is under review is refused, not queued twice.
    expect((await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(voucher))).json().reason.code).toBe('UNDER_REVIEW')

    const participant = await loggedIn(t.app, 'participant', t.database.db)
    const mine = await participant.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })
    expect(mine.body).toContain('Laporan kelulusan sedang ditinjau, perkiraan selesai')
    // Rating before completion is refused.
    const early = await participant.request({ method: 'POST', url: `/pelatihan-saya/${id}/ulasan`, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: await participant.csrfFrom('/pelatihan-saya'), stars: '5', review: 'Sangat bermanfaat untuk kandang saya.' }).toString() })
    expect(early.json().error.code).toBe('COURSE_NOT_COMPLETED')

    pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const queue = await pmo.request({ method: 'GET', url: '/pmo/penyelesaian', headers: { accept: 'text/html' } })
    expect(queue.body).toContain('Tidak ada presensi untuk sesi yang dibeli')
    const reviewId = (await t.database.db.selectFrom('completion_reviews').select('id').where('purchase_id', '=', id).executeTakeFirstOrThrow()).id
    const csrf = await pmo.csrfFrom('/pmo/penyelesaian')
    const post = (body: Record<string, string>) => pmo.request({ method: 'POST', url: `/pmo/penyelesaian/${reviewId}`, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...body }).toString() })
    const noReason = await post({ decision: 'approve', reason: '' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('Tulis alasan keputusan')
    const ok = await post({ decision: 'approve', reason: 'Daftar hadir kertas dari LP sudah diperiksa.' })
    expect(ok.statusCode).toBe(303)
    expect((await t.database.db.selectFrom('purchases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('completed')
    const review = await t.database.db.selectFrom('completion_reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow()
    expect(review).toMatchObject({ status: 'approved', reason: 'Daftar hadir kertas dari LP sudah diperiksa.' })
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'learning.review.approve').execute()
    expect(audit.map((x) => x.subject_id)).toContain(id)
    const twice = await pmo.request({ method: 'POST', url: `/pmo/penyelesaian/${reviewId}`, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, decision: 'reject', reason: 'Berubah pikiran, tolak.' }).toString() })
    expect(twice.json().error.code).toBe('COMPLETION_REVIEW_DECIDED')

    // The participant sees the certificate, rates the course once, and may show the full name.
    const page = await participant.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })
    const number = (await t.database.db.selectFrom('certificates').select('number').where('purchase_id', '=', id).executeTakeFirstOrThrow()).number
    expect(page.body).toContain(number)
    expect(page.body).not.toContain('sedang ditinjau')
    const token = await participant.csrfFrom('/pelatihan-saya')
    const rate = (stars: string, review: string) => participant.request({ method: 'POST', url: `/pelatihan-saya/${id}/ulasan`, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, stars, review }).toString() })
    expect((await rate('6', 'Sangat bermanfaat untuk kandang saya.')).json().error.code).toBe('VALIDATION_FAILED')
    expect((await rate('5', 'Sangat bermanfaat untuk kandang saya.')).statusCode).toBe(303)
    expect((await rate('4', 'Saya ingin mengubah ulasan saya.')).json().error.code).toBe('COURSE_ALREADY_RATED')
    const stored = await t.database.db.selectFrom('course_ratings').selectAll().where('purchase_id', '=', id).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ stars: 5, review: 'Sangat bermanfaat untuk kandang saya.' })
    expect((await participant.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })).body).toContain('Ulasan Anda: 5 dari 5 bintang')
    const consent = await participant.request({ method: 'POST', url: `/pelatihan-saya/${id}/nama`, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, show: '1' }).toString() })
    expect(consent.statusCode).toBe(303)
    expect((await t.database.db.selectFrom('certificates').select('show_full_name').where('number', '=', number).executeTakeFirstOrThrow()).show_full_name).toBe(true)
  })

  it('failed assignment or unredeemed voucher: review; a rejection keeps the purchase open and tells the participant', async () => {
    const a = await person()
    const pa = await bought(a, 'attended')
    const b = await person()
    const pb = await bought(b, 'paid')
    clock.set(new Date(after().getTime() + HOUR))
    await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: crypto.randomUUID(), type: 'assignment', voucherCode: pa.voucher, assignmentRef: 'proyek', status: 'failed' })
    const ra = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(pa.voucher, { completedAt: new Date(sessionEnd.getTime() - HOUR).toISOString() }))
    expect(ra.json()).toMatchObject({ outcome: 'review', brokenRules: ['after_session_end', 'assignments_passed'] })
    const rb = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(pb.voucher))
    expect(rb.json()).toMatchObject({ outcome: 'review', brokenRules: ['voucher_redeemed', 'attendance'] })
    if (!pmo) pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const reviewId = (await t.database.db.selectFrom('completion_reviews').select('id').where('purchase_id', '=', pa.id).executeTakeFirstOrThrow()).id
    const res = await pmo.request({ method: 'POST', url: `/pmo/penyelesaian/${reviewId}`, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: await pmo.csrfFrom('/pmo/penyelesaian'), decision: 'reject', reason: 'Proyek akhir tidak lulus.' }).toString() })
    expect(res.statusCode).toBe(303)
    expect((await t.database.db.selectFrom('purchases').select('status').where('id', '=', pa.id).executeTakeFirstOrThrow()).status).toBe('redeemed')
    expect(await t.database.db.selectFrom('certificates').select('number').where('purchase_id', '=', pa.id).execute()).toEqual([])
    const kinds = (await t.database.db.selectFrom('purchase_events').select('kind').where('purchase_id', '=', pa.id).execute()).map((e) => e.kind)
    expect(kinds).toContain('completion_rejected')
    const inbox = await t.database.db.selectFrom('inbox_messages').select('subject').where('account_id', '=', a.id).execute()
    expect(inbox.map((m) => m.subject)).toContain('Laporan kelulusan ditolak / Completion not accepted')
    // After the rejection the provider may report again (a correction adds to the history).
    await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: crypto.randomUUID(), type: 'assignment', voucherCode: pa.voucher, assignmentRef: 'proyek', status: 'success' })
    const again = await call(PROVIDER, 'POST', '/api/v1/partner/learning/report', completion(pa.voucher))
    expect(again.json()).toMatchObject({ result: 'accepted', outcome: 'completed' })
  })
})
