import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { v1Headers } from '../partners/signature.ts'
import { partnersAndCourses, PROVIDER, OTHER_PROVIDER } from '../purchases/testing.ts'
import { helpdeskDeps } from './deps.ts'
import { raiseTicket } from './tickets.service.ts'
import { postForm } from './testing.ts'
import { agentsNeeded } from './erlang-c.ts'
import { DEFAULT_ASSUMPTIONS } from './board.service.ts'

// 10:00 WIB, Tuesday 1 December 2026.
const OPEN = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(OPEN)
let t: TestApp
let agent: Browser
let supervisor: Browser

beforeAll(async () => {
  t = await startTestApp({ clock })
  await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity })
  agent = await loggedIn(t.app, 'agent')
  supervisor = await loggedIn(t.app, 'supervisor')
})
afterAll(async () => t?.close())
beforeEach(() => clock.set(OPEN))

const form = (b: Browser, url: string, fields: Record<string, string>, from: string) =>
  b.csrfFrom(from).then((token) => b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() }))

function api(who: { client: string; secret: string }, method: 'GET' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(who.client, who.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

const ticketRow = (tracking: string) => t.database.db.selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking).executeTakeFirstOrThrow()
const audits = (action: string, subjectId: string) => t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', subjectId).execute()

describe('a web complaint handed to the provider comes back answered and closes', () => {
  it('is assigned, answered, handed off, answered by the partner API, resolved, rated once and closed', async () => {
    const visitor = new Browser(t.app)
    const raised = await postForm(visitor, '/pengaduan', '/pengaduan', { name: 'Ani', email: 'ani@contoh.test', category: 'certificate', message: 'Sertifikat dari LP belum terbit padahal kelas sudah selesai.' })
    const tracking = /(KRY-\d{4}-[0-9A-Z]{6})/.exec(raised.headers.location!)![1]!
    const row = await ticketRow(tracking)
    // Assigned at once during business hours to the agent with the skill and room (the supervisor has less room).
    expect(row.owner_id).not.toBeNull()

    const queue = await agent.request({ method: 'GET', url: '/bantuan/tiket', headers: { accept: 'text/html' } })
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain(tracking)

    const view = await agent.request({ method: 'GET', url: `/bantuan/tiket/${row.id}?templat=greeting`, headers: { accept: 'text/html' } })
    expect(view.body).toContain('Halo Ani')
    expect((await audits('helpdesk.ticket.view', row.id)).length).toBeGreaterThan(0)

    clock.set(new Date(OPEN.getTime() + 30 * 60_000))
    const hand = await form(agent, `/bantuan/tiket/${row.id}/aksi`, { action: 'handoff', partner: PROVIDER.code, question: 'Mohon cek laporan kelulusan peserta Ani untuk kelas 28 November.' }, `/bantuan/tiket/${row.id}`)
    expect(hand.statusCode, hand.body.slice(0, 400)).toBe(303)
    const afterHand = await ticketRow(tracking)
    expect(afterHand.state).toBe('waiting_partner')
    expect(afterHand.owner_id).toBe(row.owner_id)
    expect(afterHand.first_responded_at).toEqual(clock.now())
    const status = await visitor.request({ method: 'GET', url: `/pengaduan/${tracking}`, headers: { accept: 'text/html' } })
    expect(status.body).toMatch(/Diteruskan ke [^,]+, jawaban diharapkan paling lambat 2 Desember 2026/)

    // Another provider cannot see or answer it.
    const list = await api(PROVIDER, 'GET', '/api/v1/partner/helpdesk/handoffs')
    expect(list.statusCode).toBe(200)
    const h = list.json().handoffs.find((x: { tracking: string }) => x.tracking === tracking)
    expect(h.question).toContain('laporan kelulusan')
    expect((await api(OTHER_PROVIDER, 'GET', '/api/v1/partner/helpdesk/handoffs')).json().handoffs).toHaveLength(0)
    expect((await api(OTHER_PROVIDER, 'POST', `/api/v1/partner/helpdesk/handoffs/${h.id}/answer`, { answer: 'bukan kami' })).statusCode).toBe(404)
    expect((await api(PROVIDER, 'POST', `/api/v1/partner/helpdesk/handoffs/${h.id}/answer`, { answer: '' })).statusCode).toBe(400)

    clock.set(new Date(OPEN.getTime() + 3 * 3_600_000))
    const answered = await api(PROVIDER, 'POST', `/api/v1/partner/helpdesk/handoffs/${h.id}/answer`, { answer: 'Laporan kelulusan sudah kami kirim ulang hari ini.' })
    expect(answered.statusCode, answered.body).toBe(200)
    expect(answered.json().tracking).toBe(tracking)
    expect((await api(PROVIDER, 'POST', `/api/v1/partner/helpdesk/handoffs/${h.id}/answer`, { answer: 'lagi' })).statusCode).toBe(409)
    expect((await ticketRow(tracking)).state).toBe('open')

    const resolve = await form(agent, `/bantuan/tiket/${row.id}/aksi`, { action: 'reply', then: 'resolve', body: 'Sertifikat Anda sudah terbit. Terima kasih atas kesabarannya.' }, `/bantuan/tiket/${row.id}`)
    expect(resolve.statusCode).toBe(303)
    const resolved = await ticketRow(tracking)
    expect(resolved.state).toBe('resolved')
    expect(resolved.resolved_at!.getTime()).toBeLessThanOrEqual(resolved.resolution_due_at.getTime())
    const mails = await t.database.db.selectFrom('mail_outbox').select('subject').where('to_address', '=', 'ani@contoh.test').execute()
    expect(mails.every((m) => m.subject.includes(`[${tracking}]`))).toBe(true)
    expect(mails.length).toBe(4)

    const page = await visitor.request({ method: 'GET', url: `/pengaduan/${tracking}`, headers: { accept: 'text/html' } })
    expect(page.body).toContain('Laporan kelulusan sudah kami kirim ulang')
    expect(page.body).toContain('Seberapa puas')
    const rate = (score: string) => form(visitor, `/pengaduan/${tracking}/nilai`, { score, comment: 'Cepat' }, `/pengaduan/${tracking}`)
    expect((await rate('9')).statusCode).toBe(400)
    expect((await rate('5')).statusCode).toBe(303)
    expect((await rate('4')).statusCode).toBe(409)
    const csat = await t.database.db.selectFrom('helpdesk_csat').selectAll().where('ticket_id', '=', row.id).executeTakeFirstOrThrow()
    expect(csat).toMatchObject({ score: 5, channel: 'web' })

    const close = await form(agent, `/bantuan/tiket/${row.id}/aksi`, { action: 'close' }, `/bantuan/tiket/${row.id}`)
    expect(close.statusCode).toBe(303)
    expect((await ticketRow(tracking)).state).toBe('closed')
    expect((await audits('helpdesk.handoff.answer', row.id)).length).toBe(1)
  })
})

describe('agents’ actions', () => {
  it('keeps every message: a supervisor hides abusive content with an audit record; an agent may not; nothing can be deleted', async () => {
    const hd = helpdeskDeps(t.deps)
    const tk = await raiseTicket(hd, { channel: 'web', category: 'other', body: 'Kata-kata kasar di sini', contact: { email: 'kasar@contoh.test' } })
    const msg = await t.database.db.selectFrom('helpdesk_messages').select('id').where('ticket_id', '=', tk.id).executeTakeFirstOrThrow()
    const byAgent = await form(agent, `/bantuan/tiket/${tk.id}/aksi`, { action: 'hide', messageId: msg.id, reason: 'Kata kasar' }, `/bantuan/tiket/${tk.id}`)
    expect(byAgent.statusCode).toBe(403)
    const bySupervisor = await form(supervisor, `/bantuan/tiket/${tk.id}/aksi`, { action: 'hide', messageId: msg.id, reason: 'Kata kasar kepada petugas' }, `/bantuan/tiket/${tk.id}`)
    expect(bySupervisor.statusCode).toBe(303)
    const kept = await t.database.db.selectFrom('helpdesk_messages').selectAll().where('id', '=', msg.id).executeTakeFirstOrThrow()
    expect(kept.body).toBe('Kata-kata kasar di sini')
    expect(kept.hidden_at).not.toBeNull()
    expect((await audits('helpdesk.message.hide', tk.id))[0]!.details).toMatchObject({ messageId: String(msg.id), reason: 'Kata kasar kepada petugas' })
    await expect(sql`delete from helpdesk_messages where id = ${msg.id}`.execute(t.database.db)).rejects.toThrow(/append-only/)
    await expect(sql`update helpdesk_messages set body = 'diubah' where id = ${msg.id}`.execute(t.database.db)).rejects.toThrow(/append-only/)
  })

  it('merges a duplicate of the same person only, and refuses actions that do not fit the state', async () => {
    const hd = helpdeskDeps(t.deps)
    const a = await raiseTicket(hd, { channel: 'web', category: 'wave', body: 'Pertama', contact: { email: 'dupe@contoh.test' } })
    const b = await raiseTicket(hd, { channel: 'email', category: 'wave', body: 'Kedua, sama', contact: { email: 'dupe@contoh.test' } })
    const c = await raiseTicket(hd, { channel: 'web', category: 'wave', body: 'Orang lain', contact: { email: 'lain@contoh.test' } })
    const refused = await form(agent, `/bantuan/tiket/${b.id}/aksi`, { action: 'merge', into: c.tracking }, `/bantuan/tiket/${b.id}`)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('orang yang sama')
    const merged = await form(agent, `/bantuan/tiket/${b.id}/aksi`, { action: 'merge', into: a.tracking }, `/bantuan/tiket/${b.id}`)
    expect(merged.statusCode).toBe(303)
    expect((await ticketRow(b.tracking)).merged_into).toBe(a.id)
    const closeOpen = await form(agent, `/bantuan/tiket/${a.id}/aksi`, { action: 'close' }, `/bantuan/tiket/${a.id}`)
    expect(closeOpen.statusCode).toBe(409)
  })

  it('assigns nobody outside business hours, and the queue hands the ticket out once the centre opens', async () => {
    clock.set(new Date('2026-12-01T14:00:00Z')) // 21:00 WIB
    const hd = helpdeskDeps(t.deps)
    const night = await raiseTicket(hd, { channel: 'web', category: 'incentive', body: 'Insentif belum masuk', contact: { phone: '+6281299990000' } })
    expect((await ticketRow(night.tracking)).owner_id).toBeNull()
    expect((await ticketRow(night.tracking)).first_response_due_at).toEqual(new Date('2026-12-02T03:00:00Z')) // 10:00 WIB next day
    clock.set(new Date('2026-12-02T01:05:00Z')) // 08:05 WIB
    // A new day, a new session for the morning shift.
    const morning = await loggedIn(t.app, 'agent')
    expect((await morning.request({ method: 'GET', url: '/bantuan/tiket', headers: { accept: 'text/html' } })).statusCode).toBe(200)
    expect((await ticketRow(night.tracking)).owner_id).not.toBeNull()
  })

  it('logs a phone call as a ticket on the phone channel', async () => {
    const res = await form(agent, '/bantuan/tiket/telepon', { name: 'Pak Joko', contact: '081234567890', category: 'registration', message: 'Tidak bisa masuk akun, lupa e-mail.' }, '/bantuan/tiket')
    expect(res.statusCode).toBe(303)
    const id = res.headers.location!.split('/').pop()!
    const row = await t.database.db.selectFrom('helpdesk_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ channel: 'phone', contact_phone: '+6281234567890', category: 'registration' })
  })
})

describe('the supervisor board', () => {
  it('shows CSAT per channel and the Erlang C staffing for the real volume; agents may not open it', async () => {
    const page = await supervisor.request({ method: 'GET', url: '/bantuan/papan', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Formulir web: 100% (4–5), 5/5, n=1')
    const need = agentsNeeded({ arrivalsPerHour: 511_000 / 30 / 12, ...DEFAULT_ASSUMPTIONS })
    expect(page.body).toContain(`${need.onPhones} agen aktif, ${need.scheduled} dijadwalkan per shift`)
    expect((await agent.request({ method: 'GET', url: '/bantuan/papan', headers: { accept: 'text/html' } })).statusCode).toBe(403)
  })
})
