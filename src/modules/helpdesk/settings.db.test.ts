import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { helpdeskDeps } from './deps.ts'
import { addBusinessMinutes, wibCalendar } from './sla.ts'
import { raiseTicket } from './tickets.service.ts'

// 10:00 WIB, Tuesday 1 December 2026.
const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let supervisor: Browser

beforeAll(async () => {
  t = await startTestApp({ clock })
  supervisor = await loggedIn(t.app, 'supervisor')
})
afterAll(async () => t?.close())

const db = () => t.database.db
const URL = '/bantuan/pengaturan'
const form = (b: Browser, url: string, fields: Record<string, string> | URLSearchParams) =>
  b.csrfFrom(URL).then((token) => {
    const body = new URLSearchParams(fields)
    body.set('_csrf', token)
    return b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() })
  })
const history = (kind: 'sla_target' | 'holiday' | 'agent') => db().selectFrom('helpdesk_settings_history').selectAll().where('kind', '=', kind).orderBy('id').execute()

describe('the contact centre settings', () => {
  it('are for supervisors and PMO admins only', async () => {
    const agent = await loggedIn(t.app, 'agent')
    expect((await agent.request({ method: 'GET', url: URL, headers: { accept: 'text/html' } })).statusCode).toBe(403)
    const page = await supervisor.request({ method: 'GET', url: URL, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('08.00–20.00 WIB setiap hari')
    expect(page.body).toContain('Hari Raya Natal')
  })

  it('change an SLA target per channel and category, refusing negative and inverted targets, with history and audit', async () => {
    const bad = await form(supervisor, `${URL}/sla`, { channel: 'chat', category: 'purchase', priority: 'normal', firstResponseMinutes: '-30', resolutionMinutes: '600' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Jawaban pertama harus lebih dari 0 menit (Anda menulis -30)')
    const inverted = await form(supervisor, `${URL}/sla`, { channel: 'chat', category: 'purchase', priority: 'normal', firstResponseMinutes: '600', resolutionMinutes: '60' })
    expect(inverted.statusCode).toBe(400)
    expect(inverted.body).toContain('tidak boleh lebih pendek dari batas jawaban pertama')
    expect(await history('sla_target')).toHaveLength(0)

    const ok = await form(supervisor, `${URL}/sla`, { channel: 'chat', category: 'purchase', priority: 'normal', firstResponseMinutes: '30', resolutionMinutes: '360' })
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    const row = await db().selectFrom('helpdesk_sla_targets').selectAll().where('channel', '=', 'chat').where('category', '=', 'purchase').where('priority', '=', 'normal').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ first_response_minutes: 30, resolution_minutes: 360 })
    // The web form's target for the same category is its own and unchanged.
    const web = await db().selectFrom('helpdesk_sla_targets').selectAll().where('channel', '=', 'web').where('category', '=', 'purchase').where('priority', '=', 'normal').executeTakeFirstOrThrow()
    expect(web).toMatchObject({ first_response_minutes: 120, resolution_minutes: 720 })
    const h = await history('sla_target')
    expect(h).toHaveLength(1)
    expect(h[0]).toMatchObject({ subject: 'chat/purchase/normal', before: { firstResponseMinutes: 120, resolutionMinutes: 720 }, after: { firstResponseMinutes: 30, resolutionMinutes: 360 } })
    expect(await db().selectFrom('audit_log').select('seq').where('action', '=', 'helpdesk.settings.sla_target').execute()).toHaveLength(1)

    // A new chat ticket gets the new target; a web ticket the web one.
    const hd = helpdeskDeps(t.deps)
    const chat = await raiseTicket(hd, { channel: 'chat', category: 'purchase', body: 'Voucher?', contact: { email: 'c@contoh.test' } })
    const form2 = await raiseTicket(hd, { channel: 'web', category: 'purchase', body: 'Voucher?', contact: { email: 'w@contoh.test' } })
    const cal = wibCalendar(['2026-12-25', '2027-01-01'])
    expect(chat.first_response_due_at).toEqual(addBusinessMinutes(cal, clock.now(), 30))
    expect(form2.first_response_due_at).toEqual(addBusinessMinutes(cal, clock.now(), 120))
  })

  it('add holidays (one day or a run of days) and remove one, refusing an end before the start and a duplicate', async () => {
    const backwards = await form(supervisor, `${URL}/libur`, { start: '2027-03-31', end: '2027-03-30', name: 'Idul Fitri' })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.body).toContain('Tanggal akhir (2027-03-30) sebelum tanggal mulai (2027-03-31)')
    const dup = await form(supervisor, `${URL}/libur`, { start: '2026-12-24', end: '2026-12-25', name: 'Cuti bersama Natal' })
    expect(dup.statusCode).toBe(400)
    expect(dup.body).toContain('Sudah ada di kalender: 2026-12-25 (Hari Raya Natal)')
    // Nothing of the refused run was kept.
    expect(await db().selectFrom('helpdesk_holidays').select('name').where(sql<boolean>`day = '2026-12-24'`).execute()).toHaveLength(0)

    const ok = await form(supervisor, `${URL}/libur`, { start: '2027-03-30', end: '2027-03-31', name: 'Idul Fitri' })
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    const days = await db().selectFrom('helpdesk_holidays').select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'name']).where('name', '=', 'Idul Fitri').orderBy('day').execute()
    expect(days.map((d) => d.day)).toEqual(['2027-03-30', '2027-03-31'])
    // The SLA clock now skips them: 19:30 on the 29th plus 4 business hours is 11:30 on 1 April.
    const hd = helpdeskDeps(t.deps)
    clock.set(new Date('2027-03-29T12:30:00Z'))
    const tk = await raiseTicket(hd, { channel: 'web', category: 'other', body: 'Lebaran', contact: { email: 'l@contoh.test' } })
    expect(tk.first_response_due_at).toEqual(new Date('2027-04-01T04:30:00Z'))
    clock.set(new Date('2026-12-01T03:00:00Z'))

    const removed = await form(supervisor, `${URL}/libur/hapus`, { day: '2027-03-31' })
    expect(removed.statusCode).toBe(303)
    const h = await history('holiday')
    expect(h.map((x) => [x.subject, x.before, x.after])).toEqual([
      ['2027-03-30', null, { name: 'Idul Fitri' }],
      ['2027-03-31', null, { name: 'Idul Fitri' }],
      ['2027-03-31', { name: 'Idul Fitri' }, null],
    ])
    // The history is append-only.
    await expect(sql`update helpdesk_settings_history set subject = 'x'`.execute(db())).rejects.toThrow(/append-only/)
    await expect(sql`delete from helpdesk_settings_history`.execute(db())).rejects.toThrow(/append-only/)
  })

  it('set an agent’s team, skills and capacity, refusing a negative capacity', async () => {
    const agentId = (await db().selectFrom('accounts').select('id').where('email', '=', 'agen@karya.test').executeTakeFirstOrThrow()).id
    const negative = await form(supervisor, `${URL}/agen`, new URLSearchParams([['accountId', agentId], ['team', 'pagi-1'], ['capacity', '-1'], ['skills', 'purchase'], ['active', 'ya']]))
    expect(negative.statusCode).toBe(400)
    expect(negative.body).toContain('Kapasitas antara 0 dan 200 tiket (Anda menulis -1)')
    const ok = await form(supervisor, `${URL}/agen`, new URLSearchParams([['accountId', agentId], ['team', 'pagi-1'], ['capacity', '12'], ['skills', 'purchase'], ['skills', 'incentive'], ['active', 'ya']]))
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    const row = await db().selectFrom('helpdesk_agents').selectAll().where('account_id', '=', agentId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ team: 'pagi-1', capacity: 12, active: true, skills: ['purchase', 'incentive'] })
    const h = await history('agent')
    expect(h.at(-1)).toMatchObject({ subject: agentId, before: { team: 'pusat', capacity: 30 }, after: { team: 'pagi-1', capacity: 12, skills: ['purchase', 'incentive'] } })
    const page = await supervisor.request({ method: 'GET', url: URL, headers: { accept: 'text/html' } })
    expect(page.body).toContain('pagi-1: 1 agen, 1 aktif, kapasitas 12')
  })
})
