import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { sandboxPaymentsFor, type SandboxPayments } from '../../sandboxes/payments/index.ts'
import { incentivesDeps, type IncentivesDeps } from './deps.ts'
import { confirmLink, startLink } from './linking.service.ts'
import { scheduleAnsweredSurveys, scheduleSurveyIncentive } from './schedule.service.ts'
import { myIncentives } from './views.ts'
import { runPayouts } from './payouts.service.ts'
import { completedCourse, fundProgramme, incentiveWorld, participant, type Person, type World } from './testing.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(BASE)
let t: TestApp
let d: IncentivesDeps
let sandbox: SandboxPayments
let world: World

beforeAll(async () => {
  t = await startTestApp({ clock })
  d = incentivesDeps(t.deps)
  sandbox = sandboxPaymentsFor(t.database.db, { clock, serverSecret: t.deps.config.secret })
  const setup = { db: t.database.db, clock, jobs: t.deps.jobs, identity: t.deps.identity }
  world = await incentiveWorld(setup)
  await fundProgramme(setup, 10_000_000_000)
})
afterAll(async () => t?.close())
beforeEach(() => clock.set(BASE))

const setup = () => ({ db: t.database.db, clock, jobs: t.deps.jobs, identity: t.deps.identity })

async function smsCode(phone: string): Promise<string> {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', phone).where('channel', '=', 'sms').where('template', '=', 'incentives.link-otp').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /Kode Karya: (\d{6})/.exec(row.text_body)![1]!
}

/** Opens the person's wallet at the partner (as they would have themselves) and links it. */
async function linkedWallet(who: Person, partner: 'ovo' | 'dana' = 'ovo', extra: { holderName?: string } = {}) {
  sandbox.partner(partner).openAccount({ number: who.phone, holderName: extra.holderName ?? who.name.toUpperCase(), nik: who.nik, phone: who.phone })
  const s = await startLink(d, who.id, { partner, accountNumber: who.phone })
  await confirmLink(d, who.id, s.linkId, await smsCode(who.phone))
  return s
}

async function eligible(name?: string) {
  const who = await participant(setup(), name ? { name } : {})
  await completedCourse(setup(), world, who)
  return who
}

async function payouts(accountId: string) {
  return t.database.db.selectFrom('incentive_payouts').selectAll().where('account_id', '=', accountId).orderBy('sequence').execute()
}

describe('linking a payout account', () => {
  it('links an e-wallet in the person’s NIK and name (titles forgiven) with the SMS code, and schedules 4 monthly payouts', async () => {
    const who = await eligible('Siti Aminah Lubis')
    const s = await linkedWallet(who, 'ovo', { holderName: 'HJ. SITI AMINAH LUBIS, S.KOM' })
    expect(s.sentTo).not.toContain(who.phone.slice(-8, -3))
    const ps = await payouts(who.id)
    expect(ps.map((p) => [p.sequence, Number(p.amount), p.status])).toEqual([
      [1, 600_000, 'scheduled'],
      [2, 600_000, 'scheduled'],
      [3, 600_000, 'scheduled'],
      [4, 600_000, 'scheduled'],
    ])
    expect(ps[1]!.due_at.toISOString()).toBe('2027-01-01T03:00:00.000Z')
  })

  it('refuses someone else’s account, a closed one, a wallet without KYC and a wallet on another phone', async () => {
    const who = await eligible()
    const other = await participant(setup(), { name: 'Bambang Sutrisno' })
    sandbox.partner('bca').openAccount({ number: '1234500001', holderName: 'BAMBANG SUTRISNO', nik: other.nik, phone: null })
    await expect(startLink(d, who.id, { partner: 'bca', accountNumber: '1234500001' })).rejects.toMatchObject({ code: 'INCENTIVE_ACCOUNT_NOT_YOURS' })
    // Right name, someone else's NIK: still not theirs.
    sandbox.partner('bca').openAccount({ number: '1234500002', holderName: who.name, nik: other.nik, phone: null })
    await expect(startLink(d, who.id, { partner: 'bca', accountNumber: '1234500002' })).rejects.toMatchObject({ code: 'INCENTIVE_ACCOUNT_NOT_YOURS' })
    sandbox.partner('bni').openAccount({ number: '9876500003', holderName: who.name, nik: who.nik, phone: null, closed: true })
    await expect(startLink(d, who.id, { partner: 'bni', accountNumber: '9876500003' })).rejects.toMatchObject({ code: 'INCENTIVE_ACCOUNT_CLOSED' })
    sandbox.partner('gopay').openAccount({ number: who.phone, holderName: who.name, nik: who.nik, phone: who.phone, kycVerified: false })
    await expect(startLink(d, who.id, { partner: 'gopay', accountNumber: who.phone })).rejects.toMatchObject({ code: 'INCENTIVE_WALLET_NOT_KYC' })
    sandbox.partner('dana').openAccount({ number: '+6281299990000', holderName: who.name, nik: who.nik, phone: '+6281299990000' })
    await expect(startLink(d, who.id, { partner: 'dana', accountNumber: '081299990000' })).rejects.toMatchObject({ code: 'INCENTIVE_WALLET_OTHER_PHONE' })
    await expect(startLink(d, who.id, { partner: 'bca', accountNumber: '5550001111' })).rejects.toMatchObject({ code: 'INCENTIVE_ACCOUNT_NOT_FOUND' })
    const linked = await t.database.db.selectFrom('payout_accounts').select('id').where('account_id', '=', who.id).execute()
    expect(linked).toHaveLength(0)
  })

  it('refuses the link after three wrong codes, and the right code after that', async () => {
    const who = await eligible()
    sandbox.partner('linkaja').openAccount({ number: who.phone, holderName: who.name, nik: who.nik, phone: who.phone })
    const s = await startLink(d, who.id, { partner: 'linkaja', accountNumber: who.phone })
    const right = await smsCode(who.phone)
    const wrong = right === '000000' ? '111111' : '000000'
    await expect(confirmLink(d, who.id, s.linkId, wrong)).rejects.toMatchObject({ code: 'INCENTIVE_OTP_INVALID' })
    await expect(confirmLink(d, who.id, s.linkId, wrong)).rejects.toMatchObject({ code: 'INCENTIVE_OTP_INVALID' })
    await expect(confirmLink(d, who.id, s.linkId, wrong)).rejects.toMatchObject({ code: 'INCENTIVE_OTP_REFUSED' })
    await expect(confirmLink(d, who.id, s.linkId, right)).rejects.toMatchObject({ code: 'INCENTIVE_OTP_REFUSED' })
    const row = await t.database.db.selectFrom('payout_accounts').select(['status', 'otp_attempts']).where('id', '=', s.linkId).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'refused', otp_attempts: 3 })
    expect(await payouts(who.id)).toHaveLength(0)
  })

  it('a change of account starts a 72-hour cooling-off, announced by e-mail and SMS, during which nothing is sent', async () => {
    const who = await eligible()
    await linkedWallet(who, 'ovo')
    sandbox.partner('bca').openAccount({ number: '7001234567', holderName: who.name, nik: who.nik, phone: null })
    const s = await startLink(d, who.id, { partner: 'bca', accountNumber: '7001234567' })
    const r = await confirmLink(d, who.id, s.linkId, await smsCode(who.phone))
    expect(r.coolingOffUntil?.toISOString()).toBe('2026-12-04T03:00:00.000Z')
    const notices = await t.database.db.selectFrom('mail_outbox').select('to_address').where('template', '=', 'incentives.account-changed').where('to_address', 'in', [who.email, who.phone]).execute()
    expect(notices.map((n) => n.to_address).sort()).toEqual([who.email, who.phone].sort())
    const sentBefore = sandbox.partner('bca').sent.length
    await runPayouts(d)
    expect((await payouts(who.id))[0]!.status).toBe('scheduled')
    expect(sandbox.partner('bca').sent.length).toBe(sentBefore)
    clock.set(new Date('2026-12-04T03:00:01Z'))
    await runPayouts(d)
    expect((await payouts(who.id))[0]!.status).toBe('sent')
    expect((await payouts(who.id))[0]!.partner).toBe('bca')
  })
})

describe('survey incentives', () => {
  it('scheduleSurveyIncentive takes the wave’s survey amount, is idempotent, and waits for a linked account', async () => {
    const who = await participant(setup())
    await completedCourse(setup(), world, who, { rated: false })
    const a = await scheduleSurveyIncentive(d, t.database.db, { accountId: who.id, surveyId: 'survey-1' })
    const b = await scheduleSurveyIncentive(d, t.database.db, { accountId: who.id, surveyId: 'survey-1' })
    expect(a.created).toBe(true)
    expect(b).toEqual({ payoutId: a.payoutId, created: false })
    const ps = await payouts(who.id)
    expect(ps.map((p) => [p.kind, Number(p.amount), p.status])).toEqual([['survey', 50_000, 'scheduled']])
    // No account linked: the run sends nothing anywhere.
    await runPayouts(d)
    expect((await payouts(who.id))[0]!.status).toBe('scheduled')
    expect((await myIncentives(t.database.db, who.id)).eligibility).toMatchObject({ certificate: true, rating: false, account: false, eligible: false })
  })
  it('the daily sweep pays each answered survey once, up to the scheme’s survey count', async () => {
    const who = await participant(setup())
    await completedCourse(setup(), world, who)
    const purchase = await t.database.db.selectFrom('purchases').select('id').where('account_id', '=', who.id).executeTakeFirstOrThrow()
    for (const [i, surveyId] of ['evaluasi-a', 'evaluasi-b', 'evaluasi-c', 'evaluasi-d'].entries()) {
      await t.database.db.insertInto('survey_responses').values({ survey_id: surveyId, purchase_id: purchase.id, account_id: who.id, answers: JSON.stringify({ q1: 5 }), answered_at: new Date(clock.now().getTime() + i * 60_000) }).execute()
    }
    expect(await scheduleAnsweredSurveys(d)).toBeGreaterThanOrEqual(3)
    const survey = (await payouts(who.id)).filter((p) => p.kind === 'survey')
    // The scheme pays 3 surveys: the fourth answer earns nothing.
    expect(survey.map((p) => [p.source_ref, Number(p.amount)]).sort()).toEqual([['evaluasi-a', 50_000], ['evaluasi-b', 50_000], ['evaluasi-c', 50_000]])
    await scheduleAnsweredSurveys(d)
    expect((await payouts(who.id)).filter((p) => p.kind === 'survey')).toHaveLength(3)
  })
})

describe('pages', () => {
  it('shows the participant what the incentive needs and refuses linking before the profile is complete, with the reason', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const page = await b.request({ method: 'GET', url: '/insentif', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Syarat menerima insentif')
    const csrf = await b.csrfFrom('/insentif')
    const res = await b.request({ method: 'POST', url: '/insentif/tautkan', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, partner: 'dana', accountNumber: '081200000001' }).toString() })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('Lengkapi profil')
  })

  it('lets a PMO admin run the daily job now; the sandbox partners’ callbacks follow', async () => {
    const who = await eligible()
    await linkedWallet(who, 'dana')
    const pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const csrf = await pmo.csrfFrom('/pmo/insentif')
    const res = await pmo.request({ method: 'POST', url: '/pmo/insentif/jalankan', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf }).toString() })
    expect(res.statusCode).toBe(303)
    expect((await payouts(who.id))[0]!.status).toBe('paid')
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'incentives.run-daily').execute()
    expect(audit.length).toBeGreaterThanOrEqual(1)
  })
})
