/**
 * A freeze on an integrity signal really freezes its subject, and "clear" gives it back:
 * an account (no log-in, no signed-in page, no purchase, no payout), a partner (its signed
 * API calls refused), a payout account (payouts held, not sent). Each decision audited.
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmail, loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NO_FAULTS, sandboxPaymentsFor, type SandboxPayments } from '../../sandboxes/payments/index.ts'
import { incentivesDeps, runPayouts, type IncentivesDeps } from '../incentives/index.ts'
import { confirmLink, startLink } from '../incentives/linking.service.ts'
import { completedCourse, fundProgramme, incentiveWorld, participant, type World } from '../incentives/testing.ts'
import { v1Headers } from '../partners/signature.ts'
import { cardWithBalance, PLATFORM, PROVIDER } from '../purchases/testing.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let pmo: Browser
let d: IncentivesDeps
let sandbox: SandboxPayments
let world: World
const html = { accept: 'text/html' }
const form = { 'content-type': 'application/x-www-form-urlencoded' }

beforeAll(async () => {
  t = await startTestApp({ clock })
  d = incentivesDeps(t.deps)
  sandbox = sandboxPaymentsFor(t.database.db, { clock, serverSecret: t.deps.config.secret })
  for (const p of sandbox.all()) Object.assign(p.faults, NO_FAULTS)
  const s = setup()
  world = await incentiveWorld(s, { incentiveCount: 1 })
  await fundProgramme(s, 10_000_000_000)
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
})
afterAll(async () => t?.close())

const setup = () => ({ db: t.database.db, clock, jobs: t.deps.jobs, identity: t.deps.identity })

async function decideVia(kind: string, subject: string, action: 'freeze' | 'clear' | 'refer', note: string) {
  const url = `/pmo/integritas/${kind}/${encodeURIComponent(subject)}`
  const token = await pmo.csrfFrom(url)
  return pmo.request({ method: 'POST', url, headers: { ...html, ...form }, payload: new URLSearchParams({ _csrf: token, action, note }).toString() })
}

async function partnerCall(method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(PLATFORM.client, PLATFORM.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

const audits = (action: string) => t.database.db.selectFrom('audit_log').select(['subject_id', 'details']).where('action', '=', action).orderBy('seq').execute()
const accountStatus = async (id: string) => (await t.database.db.selectFrom('accounts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

describe('freezing an account', () => {
  it('refuses its session and its log-in while frozen, and lets it back in once cleared', async () => {
    const person = await loggedIn(t.app, 'participant', t.database.db)
    expect((await person.request({ method: 'GET', url: '/beranda', headers: html })).statusCode).toBe(200)
    const id = (await t.database.db.selectFrom('accounts').select('id').where('email', '=', demoEmail('participant')).executeTakeFirstOrThrow()).id

    expect((await decideVia('nik_registry', id, 'freeze', 'NIK ditolak Dukcapil berulang kali')).statusCode).toBe(303)
    expect(await accountStatus(id)).toBe('frozen')
    const page = await pmo.request({ method: 'GET', url: `/pmo/integritas/nik_registry/${id}`, headers: html })
    expect(page.body).toContain('Sedang dibekukan oleh sinyal ini')
    // Its sessions ended; a new log-in is refused with the reason.
    expect((await person.request({ method: 'GET', url: '/beranda', headers: html })).statusCode).not.toBe(200)
    const again = await new (person.constructor as typeof Browser)(t.app).login(demoEmail('participant'))
    expect(again.statusCode).toBe(403)
    expect(again.body).toContain('dibekukan')

    expect((await decideVia('nik_registry', id, 'clear', 'Dukcapil: data sudah diperbaiki')).statusCode).toBe(303)
    expect(await accountStatus(id)).toBe('active')
    const back = await loggedIn(t.app, 'participant', t.database.db)
    expect((await back.request({ method: 'GET', url: '/beranda', headers: html })).statusCode).toBe(200)
    expect((await audits('integrity.freeze')).at(-1)).toMatchObject({ subject_id: `nik_registry:${id}`, details: { note: 'NIK ditolak Dukcapil berulang kali', frozen: [`account:${id}`] } })
    expect((await audits('integrity.clear')).at(-1)).toMatchObject({ details: { cleared: [`account:${id}`] } })
  })

  it('refuses a purchase with the frozen account’s card, and takes it after clearing', async () => {
    const who = await participant(setup())
    const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, world.waveId, who.id, 3_500_000)
    const order = (ref: string) => ({ orderRef: ref, cardNumber: card, courseId: world.courseId, sessionId: null, platformUserRef: `u-${who.id}` })
    await decideVia('nik_registry', who.id, 'freeze', 'Pemeriksaan')
    const refused = await partnerCall('POST', '/api/v1/partner/purchases', order('order-frozen'))
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('ACCOUNT_FROZEN')
    await decideVia('nik_registry', who.id, 'clear', 'Selesai diperiksa')
    expect((await partnerCall('POST', '/api/v1/partner/purchases', order('order-cleared'))).statusCode).toBe(200)
  })

  it('refuses to authorise a purchase started before the freeze, and authorises it once cleared', async () => {
    const who = await participant(setup())
    const card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, world.waveId, who.id, 3_500_000)
    const started = await partnerCall('POST', '/api/v1/partner/purchases', { orderRef: 'order-before-freeze', cardNumber: card, courseId: world.courseId, sessionId: null, platformUserRef: `u-${who.id}` })
    expect(started.statusCode).toBe(200)
    const person = await t.database.db.selectFrom('accounts').select(['email', 'phone']).where('id', '=', who.id).executeTakeFirstOrThrow()
    const sent = await t.database.db
      .selectFrom('mail_outbox')
      .select('text_body')
      .where('template', '=', 'purchases.otp')
      .where('to_address', 'in', [person.email, person.phone].filter((a): a is string => a !== null))
      .executeTakeFirstOrThrow()
    const otp = /Kode OTP Karya: (\d{6})/.exec(sent.text_body)![1]!
    const authorise = () => partnerCall('POST', `/api/v1/partner/purchases/${started.json().id}/authorise`, { otp })
    await decideVia('nik_registry', who.id, 'freeze', 'Pemeriksaan di tengah pembelian')
    const refused = await authorise()
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('ACCOUNT_FROZEN')
    await decideVia('nik_registry', who.id, 'clear', 'Selesai diperiksa')
    expect((await authorise()).statusCode).toBe(200)
  })

  it('says so when a signal names nothing to freeze, and needs a reason for every decision', async () => {
    const none = await decideVia('ip_range', '10.9.8.0/24', 'freeze', 'Warnet')
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('tidak menunjuk akun, mitra atau rekening')
    expect((await decideVia('nik_registry', crypto.randomUUID(), 'refer', ' ')).statusCode).toBe(400)
    expect((await decideVia('ip_range', '10.9.8.0/24', 'refer', 'Dirujuk ke APIP')).statusCode).toBe(303)
    expect((await audits('integrity.refer')).at(-1)).toMatchObject({ subject_id: 'ip_range:10.9.8.0/24', details: { note: 'Dirujuk ke APIP' } })
  })
})

describe('freezing partners', () => {
  it('refuses the platform’s signed calls while frozen, and accepts them after clearing', async () => {
    await t.database.db.insertInto('partner_affiliations').values({ platform_code: PLATFORM.code, provider_code: PROVIDER.code, note: 'pemilik sama', created_at: clock.now() }).execute()
    const subject = `${PLATFORM.code} / ${PROVIDER.code}`
    const before = await partnerCall('GET', '/api/v1/partner/helpdesk/handoffs')
    expect(before.statusCode).toBe(200)
    expect((await decideVia('conflict', subject, 'freeze', 'Konflik kepentingan')).statusCode).toBe(303)
    const refused = await partnerCall('GET', '/api/v1/partner/helpdesk/handoffs')
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('PARTNER_SUSPENDED')
    await decideVia('conflict', subject, 'clear', 'Afiliasi sudah diputus')
    expect((await partnerCall('GET', '/api/v1/partner/helpdesk/handoffs')).statusCode).toBe(200)
    const statuses = await t.database.db.selectFrom('partners').select(['code', 'status']).where('code', 'in', [PLATFORM.code, PROVIDER.code]).orderBy('code').execute()
    expect(statuses.map((s) => s.status)).toEqual(['active', 'active'])
  })
})

describe('freezing a payout account', () => {
  it('holds its payouts (not sent) while frozen, and sends them after clearing', async () => {
    const who = await participant(setup())
    await completedCourse(setup(), world, who)
    sandbox.partner('ovo').openAccount({ number: who.phone, holderName: who.name.toUpperCase(), nik: who.nik, phone: who.phone })
    const link = await startLink(d, who.id, { partner: 'ovo', accountNumber: who.phone })
    const sms = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', who.phone).where('template', '=', 'incentives.link-otp').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    await confirmLink(d, who.id, link.linkId, /Kode Karya: (\d{6})/.exec(sms.text_body)![1]!)
    const account = await t.database.db.selectFrom('payout_accounts').select('id').where('account_id', '=', who.id).where('status', '=', 'active').executeTakeFirstOrThrow()
    const payout = () => t.database.db.selectFrom('incentive_payouts').select(['id', 'status']).where('account_id', '=', who.id).executeTakeFirstOrThrow()
    const payoutId = (await payout()).id
    const sent = () => sandbox.all().flatMap((p) => p.sent).filter((s) => s.payoutId === payoutId).length

    expect((await decideVia('payout_changed', account.id, 'freeze', 'Rekening baru sehari sebelum pembayaran')).statusCode).toBe(303)
    await runPayouts(d)
    expect((await payout()).status).toBe('scheduled')
    expect(sent()).toBe(0)

    await decideVia('payout_changed', account.id, 'clear', 'Pemilik rekening dikonfirmasi lewat telepon')
    await runPayouts(d)
    expect((await payout()).status).not.toBe('scheduled')
    expect(sent()).toBe(1)
  })
})
