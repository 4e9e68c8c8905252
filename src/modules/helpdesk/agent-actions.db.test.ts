import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { v1Headers } from '../partners/signature.ts'
import { cardWithBalance, partnersAndCourses, testWave, PLATFORM, type Fixture } from '../purchases/testing.ts'
import { appendCheck } from '../registration/checks.repository.ts'
import { helpdeskDeps } from './deps.ts'
import { raiseTicket } from './tickets.service.ts'

// 10:00 WIB, Tuesday 1 December 2026.
const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let f: Fixture
let waveId: string
let agent: Browser
let supervisor: Browser

beforeAll(async () => {
  t = await startTestApp({ clock })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity })
  waveId = await testWave(t.database.db, clock)
  agent = await loggedIn(t.app, 'agent')
  supervisor = await loggedIn(t.app, 'supervisor')
})
afterAll(async () => t?.close())

const db = () => t.database.db
const form = (b: Browser, url: string, fields: Record<string, string>, from: string) =>
  b.csrfFrom(from).then((token) => b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() }))
const audits = (action: string, subjectId: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subjectId).execute()
const notes = (ticketId: string) => db().selectFrom('helpdesk_messages').selectAll().where('ticket_id', '=', ticketId).where('internal', '=', true).execute()

async function call(method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(PLATFORM.client, PLATFORM.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

async function person() {
  const id = crypto.randomUUID()
  const phone = `+62812${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
  const email = `${id.slice(0, 8)}@uji.test`
  await db()
    .insertInto('accounts')
    .values({ id, email, phone, display_name: 'Sri Rahayu', password_hash: null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: clock.now(), email_verified_at: clock.now(), phone_verified_at: clock.now(), locked_until: null })
    .execute()
  return { id, phone, email }
}

/** A paid purchase through the platform API, as a real one is made. */
async function paidPurchase(p: { id: string; phone: string }) {
  const card = await cardWithBalance({ db: db(), clock, jobs: t.deps.jobs }, waveId, p.id, 3_500_000)
  const start = await call('POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: card, courseId: f.selfPacedId, sessionId: null, platformUserRef: `u-${p.id.slice(0, 8)}` })
  const id = start.json().id as string
  const sms = await db().selectFrom('mail_outbox').select('text_body').where('to_address', '=', p.phone).where('channel', '=', 'sms').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  const otp = /Kode OTP Karya: (\d{6})/.exec(sms.text_body)![1]!
  expect((await call('POST', `/api/v1/partner/purchases/${id}/authorise`, { otp })).statusCode).toBe(200)
  const confirmed = await call('POST', `/api/v1/partner/purchases/${id}/confirm`)
  return { id, voucher: confirmed.json().voucherCode as string }
}

async function ticketFor(accountId: string, category: 'purchase' | 'registration' | 'incentive' = 'purchase') {
  return raiseTicket(helpdeskDeps(t.deps), { channel: 'web', category, body: 'Tolong bantu saya', accountId })
}

describe('resending a voucher from the 360° view', () => {
  it('sends the same voucher again through the purchases module, notes it, and audits it with the ticket number', async () => {
    const p = await person()
    const bought = await paidPurchase(p)
    const tk = await ticketFor(p.id)
    const page = await agent.request({ method: 'GET', url: `/bantuan/tiket/${tk.id}`, headers: { accept: 'text/html' } })
    expect(page.body).toContain('Kirim ulang voucher')
    const before = await db().selectFrom('mail_outbox').select('text_body').where('template', '=', 'purchases.paid').where('to_address', '=', p.email).execute()
    expect(before).toHaveLength(1)

    const res = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'resend_voucher', purchaseId: bought.id }, `/bantuan/tiket/${tk.id}`)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    const after = await db().selectFrom('mail_outbox').select('text_body').where('template', '=', 'purchases.paid').where('to_address', '=', p.email).execute()
    expect(after).toHaveLength(2)
    expect(after[1]!.text_body).toBe(before[0]!.text_body)
    // Never a new voucher: the purchase keeps its code.
    expect((await db().selectFrom('purchases').select('voucher_code').where('id', '=', bought.id).executeTakeFirstOrThrow()).voucher_code).toBe(bought.voucher)
    const events = await db().selectFrom('purchase_events').select('kind').where('purchase_id', '=', bought.id).execute()
    expect(events.map((e) => e.kind)).toContain('voucher_resent')
    const a = await audits('helpdesk.voucher.resend', tk.id)
    expect(a).toHaveLength(1)
    expect(a[0]!.details).toMatchObject({ tracking: tk.tracking, purchaseId: bought.id, accountId: p.id })
    expect((await notes(tk.id)).some((m) => m.body.includes('Voucher dikirim ulang'))).toBe(true)
  })

  it('refuses a purchase of someone else, with a message that says which purchases qualify', async () => {
    const owner = await person()
    const bought = await paidPurchase(owner)
    const other = await person()
    const tk = await ticketFor(other.id)
    const res = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'resend_voucher', purchaseId: bought.id }, `/bantuan/tiket/${tk.id}`)
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('sudah dibayar dan belum ditukar')
    expect(await audits('helpdesk.voucher.resend', tk.id)).toHaveLength(0)
  })
})

describe('approving an identity-verified contact change from the ticket', () => {
  it('uses the re-verification queue’s own decision, and records the ticket in both audit records', async () => {
    const p = await person()
    const tk = await ticketFor(p.id, 'registration')
    const req = await db()
      .insertInto('reverification_requests')
      .values({ token_hash: crypto.randomUUID(), status: 'queued', account_id: p.id, nik_matched: true, kk_matched: true, dob_matched: true, new_email: `baru-${p.id.slice(0, 6)}@contoh.test`, new_phone: null, email_code_hash: null, phone_code_hash: null, code_expires_at: clock.now(), selfie_key: 'x.jpg', selfie_format: 'jpeg', selfie_checks: '{}', face_score: null, ip: null, created_at: clock.now(), proven_at: clock.now(), decided_at: null, decided_by: null, decision_reason: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const page = await agent.request({ method: 'GET', url: `/bantuan/tiket/${tk.id}`, headers: { accept: 'text/html' } })
    expect(page.body).toContain(`/bantuan/verifikasi-ulang/${req.id}`)
    const tooShort = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'approve_contact_change', requestId: req.id, reason: 'ok' }, `/bantuan/tiket/${tk.id}`)
    expect(tooShort.statusCode).toBe(400)
    const ok = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'approve_contact_change', requestId: req.id, reason: 'NIK, KK dan wajah cocok dengan berkas' }, `/bantuan/tiket/${tk.id}`)
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    const decided = await db().selectFrom('reverification_requests').select(['status', 'decided_by']).where('id', '=', req.id).executeTakeFirstOrThrow()
    expect(decided.status).toBe('approved')
    expect((await audits('reverification.approve', req.id))[0]!.details).toMatchObject({ ticket: tk.tracking })
    expect((await audits('helpdesk.contact_change.approve', tk.id))[0]!.details).toMatchObject({ tracking: tk.tracking, requestId: req.id })
    // Decided once: a second approval is refused by the queue's own rule.
    const again = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'approve_contact_change', requestId: req.id, reason: 'sekali lagi dong' }, `/bantuan/tiket/${tk.id}`)
    expect(again.statusCode).toBe(409)
  })

  it('refuses a request of another person', async () => {
    const p = await person()
    const other = await person()
    const tk = await ticketFor(p.id, 'registration')
    const req = await db()
      .insertInto('reverification_requests')
      .values({ token_hash: crypto.randomUUID(), status: 'queued', account_id: other.id, nik_matched: true, kk_matched: true, dob_matched: true, new_email: 'lain@contoh.test', new_phone: null, email_code_hash: null, phone_code_hash: null, code_expires_at: clock.now(), selfie_key: 'x.jpg', selfie_format: 'jpeg', selfie_checks: '{}', face_score: null, ip: null, created_at: clock.now(), proven_at: clock.now(), decided_at: null, decided_by: null, decision_reason: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const res = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'approve_contact_change', requestId: req.id, reason: 'Cocok semua datanya' }, `/bantuan/tiket/${tk.id}`)
    expect(res.statusCode).toBe(400)
    expect((await db().selectFrom('reverification_requests').select('status').where('id', '=', req.id).executeTakeFirstOrThrow()).status).toBe('queued')
  })
})

describe('reopening a stuck registration step', () => {
  async function profile(accountId: string, over: { steps: ('identitas' | 'keluarga' | 'alamat' | 'pendidikan')[]; drafts?: Record<string, Record<string, string>>; completed?: boolean }) {
    await db()
      .insertInto('registration_profiles')
      .values({ account_id: accountId, full_name: 'Sri Rahayu', steps_done: over.steps, drafts: JSON.stringify(over.drafts ?? {}), completed_at: over.completed ? clock.now() : null, created_at: clock.now(), updated_at: clock.now() })
      .execute()
  }

  it('sets a stuck step back through the registration module and explains it in the person’s inbox', async () => {
    const p = await person()
    await profile(p.id, { steps: ['identitas', 'keluarga'], drafts: { alamat: { rt: '1234' } } })
    const tk = await ticketFor(p.id, 'registration')
    const res = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'alamat' }, `/bantuan/tiket/${tk.id}`)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    const row = await db().selectFrom('registration_profiles').select(['steps_done', 'drafts']).where('account_id', '=', p.id).executeTakeFirstOrThrow()
    expect(row.drafts).toEqual({})
    expect(row.steps_done).toEqual(['identitas', 'keluarga'])
    const history = await db().selectFrom('registration_step_history').select(['step', 'data']).where('account_id', '=', p.id).execute()
    expect(history.at(-1)).toMatchObject({ step: 'alamat', data: { reopened: 'alamat', ticket: tk.tracking } })
    const inbox = await db().selectFrom('inbox_messages').select(['subject', 'body', 'link']).where('account_id', '=', p.id).execute()
    expect(inbox.some((m) => m.subject.includes(tk.tracking) && m.body.includes('Alamat') && m.link === '/profil/alamat')).toBe(true)
    expect((await audits('helpdesk.registration.reopen_step', tk.id))[0]!.details).toMatchObject({ tracking: tk.tracking, step: 'alamat', wasDone: false })

    // A done step is set back to be done again.
    expect((await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'identitas' }, `/bantuan/tiket/${tk.id}`)).statusCode).toBe(303)
    expect((await db().selectFrom('registration_profiles').select('steps_done').where('account_id', '=', p.id).executeTakeFirstOrThrow()).steps_done).toEqual(['keluarga'])
    // A step never touched is already open: refused with the reason.
    const never = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'pendidikan' }, `/bantuan/tiket/${tk.id}`)
    expect(never.statusCode).toBe(400)
    expect(never.body).toContain('sudah terbuka')
  })

  it('runs stuck identity checks again for a supervisor only', async () => {
    const p = await person()
    await profile(p.id, { steps: ['alamat', 'identitas', 'keluarga', 'pendidikan'], completed: true })
    await appendCheck(db(), { account_id: p.id, round: 1, kind: 'civil_registry', attempt: 0, outcome: 'queued', details: {}, at: clock.now() })
    await appendCheck(db(), { account_id: p.id, round: 1, kind: 'civil_registry', attempt: 11, outcome: 'gave_up', details: { registry: 'civil_registry', problem: 'outage' }, at: clock.now() })
    const tk = await ticketFor(p.id, 'registration')
    const byAgent = await form(agent, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'checks' }, `/bantuan/tiket/${tk.id}`)
    expect(byAgent.statusCode).toBe(403)
    const bySupervisor = await form(supervisor, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'checks' }, `/bantuan/tiket/${tk.id}`)
    expect(bySupervisor.statusCode, bySupervisor.body.slice(0, 300)).toBe(303)
    const rounds = await db().selectFrom('registration_checks').select('round').where('account_id', '=', p.id).where('outcome', '=', 'queued').execute()
    expect(rounds.map((r) => Number(r.round))).toContain(2)
    expect(await audits('helpdesk.registration.rerun_checks', tk.id)).toHaveLength(1)
    // Running again while the new round is under way is refused: nothing is stuck.
    expect((await form(supervisor, `/bantuan/tiket/${tk.id}/orang`, { action: 'reopen_step', step: 'checks' }, `/bantuan/tiket/${tk.id}`)).statusCode).toBe(400)
  })
})

describe('payouts in the 360° view', () => {
  it('shows the schedule, each payout’s state in plain words and the linked account masked', async () => {
    const p = await person()
    const acct = await db()
      .insertInto('payout_accounts')
      .values({ account_id: p.id, partner: 'bni', kind: 'bank', account_number: '0123456789', holder_name: 'SRI RAHAYU', status: 'active', otp_hash: null, otp_expires_at: null, created_at: clock.now(), confirmed_at: clock.now(), usable_from: clock.now(), ended_at: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    const base = { account_id: p.id, kind: 'course' as const, source_ref: waveId, amount: 600_000, payout_account_id: acct.id, hold_id: null, batch_id: null, partner_ref: null, created_at: clock.now() }
    await db()
      .insertInto('incentive_payouts')
      .values([
        { ...base, sequence: 1, due_at: new Date('2026-11-01T03:00:00Z'), status: 'paid', partner: 'bni', masked_account: '•••• 6789', failure: null, sent_at: new Date('2026-11-01T03:00:00Z'), paid_at: new Date('2026-11-01T04:00:00Z'), failed_at: null },
        { ...base, sequence: 2, due_at: new Date('2026-12-01T03:00:00Z'), status: 'failed', partner: 'bni', masked_account: '•••• 6789', failure: 'account_closed', sent_at: new Date('2026-12-01T03:00:00Z'), paid_at: null, failed_at: new Date('2026-12-01T03:30:00Z') },
        { ...base, sequence: 3, due_at: new Date('2027-01-01T03:00:00Z'), status: 'scheduled', partner: null, masked_account: null, failure: null, sent_at: null, paid_at: null, failed_at: null },
      ])
      .execute()
    const tk = await ticketFor(p.id, 'incentive')
    const page = await agent.request({ method: 'GET', url: `/bantuan/tiket/${tk.id}`, headers: { accept: 'text/html' } })
    expect(page.body).toContain('Rekening tertaut: BNI •••• 6789')
    expect(page.body).not.toContain('0123456789')
    expect(page.body).toContain('Dibayar ke BNI •••• 6789')
    expect(page.body).toContain('rekening Anda sudah ditutup')
    expect(page.body).toContain('Dijadwalkan untuk 1 Januari 2027')
  })
})
