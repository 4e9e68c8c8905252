import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'

const OPEN = new Date('2026-12-01T03:00:00Z') // Tuesday 10:00 WIB
const clock = fixedClock(OPEN)
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ clock })
})
afterAll(async () => t?.close())
beforeEach(() => clock.set(OPEN))

const FORM = '/pengaduan/telepon-balik'
const post = (b: Browser, url: string, fields: Record<string, string>, from: string) =>
  b.csrfFrom(from).then((token) => b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() }))
const get = (b: Browser, url: string) => b.request({ method: 'GET', url, headers: { accept: 'text/html' } })
const trackingOf = (location: string) => /(KRY-\d{4}-[0-9A-Z]{6})/.exec(location)![1]!
const ticket = (tracking: string) => t.database.db.selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking).executeTakeFirstOrThrow()
const callback = (id: string) => t.database.db.selectFrom('helpdesk_callbacks').selectAll().where('ticket_id', '=', id).executeTakeFirstOrThrow()

describe('call-back requests', () => {
  it('a logged-in participant asks for a call in a window; it is a phone ticket in the queue, due at the window’s end', async () => {
    const participant = await loggedIn(t.app, 'participant', t.database.db)
    const form = await get(participant, FORM)
    expect(form.statusCode).toBe(200)
    expect(form.body).toMatch(/<input[^>]*name="phone"[^>]*value="\+62/)
    const res = await post(participant, FORM, { phone: '', category: 'purchase', day: '2026-12-02', from: '13:00', to: '15:00', note: 'Voucher saya belum muncul.' }, FORM)
    expect(res.statusCode).toBe(303)
    const tracking = trackingOf(res.headers.location!)
    const row = await ticket(tracking)
    expect(row).toMatchObject({ channel: 'phone', category: 'purchase', state: 'new' })
    expect(row.first_response_due_at).toEqual(new Date('2026-12-02T08:00:00Z'))
    const cb = await callback(row.id)
    expect(cb).toMatchObject({ status: 'waiting', attempts: 0, window_start: new Date('2026-12-02T06:00:00Z'), window_end: new Date('2026-12-02T08:00:00Z') })
    expect(cb.phone).toMatch(/^\+628\d+$/)
    const status = await get(participant, `/pengaduan/${tracking}`)
    expect(status.body).toContain('Minta ditelepon balik di')
    expect(status.body).toContain('Voucher saya belum muncul.')

    const agent = await loggedIn(t.app, 'agent')
    const queue = await get(agent, '/bantuan/tiket?kanal=phone')
    expect(queue.body).toContain(tracking)
    const page = await get(agent, `/bantuan/tiket/${row.id}`)
    expect(page.body).toContain(`href="tel:${cb.phone}"`)
    expect(page.body).toContain('Tidak diangkat: coba lagi nanti')
  })

  it('a visitor gives a phone number; a window outside business hours, an invalid number or none are refused with what to do', async () => {
    const visitor = new Browser(t.app)
    const late = await post(visitor, FORM, { name: 'Sari', phone: '0812 3456 7890', category: 'other', day: '2026-12-02', from: '19:00', to: '21:00' }, FORM)
    expect(late.statusCode).toBe(400)
    expect(late.body).toContain('Layanan telepon buka pukul 08.00–20.00 WIB')
    const landline = await post(visitor, FORM, { name: 'Sari', phone: '021 555 1234', category: 'other', day: '2026-12-02', from: '10:00', to: '11:00' }, FORM)
    expect(landline.statusCode).toBe(400)
    expect(landline.body).toContain('Nomor HP Indonesia diawali 08')
    const none = await post(visitor, FORM, { name: 'Sari', phone: '', category: 'other', day: '2026-12-02', from: '10:00', to: '11:00' }, FORM)
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('Isi nomor HP Anda.')
    const huge = await post(visitor, FORM, { name: 'Sari', phone: '0812 3456 7890', category: 'other', day: '2026-12-02', from: '10:00', to: '11:00', note: 'x'.repeat(100_000) }, FORM)
    expect(huge.statusCode).toBe(400)
    expect(huge.body).toContain('Pesan paling banyak 5.000 karakter')
    expect(await t.database.db.selectFrom('helpdesk_tickets').select('id').where('contact_name', '=', 'Sari').execute()).toEqual([])

    const ok = await post(visitor, FORM, { name: 'Sari', phone: '0812 3456 7890', category: 'other', day: '2026-12-01', from: '14:00', to: '16:00' }, FORM)
    expect(ok.statusCode).toBe(303)
    const row = await ticket(trackingOf(ok.headers.location!))
    expect(row).toMatchObject({ channel: 'phone', contact_phone: '+6281234567890', contact_name: 'Sari', account_id: null })
    // The visitor follows it on this browser.
    expect((await get(visitor, ok.headers.location!)).statusCode).toBe(200)
  })

  it('the agent logs a missed call (the next try is planned and the person told), then the answered one; every call is audited', async () => {
    const visitor = new Browser(t.app)
    const res = await post(visitor, FORM, { name: 'Joko', phone: '081298765432', category: 'incentive', day: '2026-12-01', from: '10:00', to: '12:00' }, FORM)
    const tracking = trackingOf(res.headers.location!)
    const row = await ticket(tracking)
    const agent = await loggedIn(t.app, 'agent')
    const url = `/bantuan/tiket/${row.id}/telepon-balik`

    clock.set(new Date('2026-12-01T03:05:00Z'))
    expect((await post(agent, url, { outcome: 'no_answer' }, `/bantuan/tiket/${row.id}`)).statusCode).toBe(303)
    let cb = await callback(row.id)
    // The next try is 30 minutes later (told below); the window the person chose is kept.
    expect(cb).toMatchObject({ status: 'waiting', attempts: 1, last_outcome: 'no_answer', window_start: new Date('2026-12-01T03:00:00Z'), window_end: new Date('2026-12-01T05:00:00Z') })
    expect((await ticket(tracking)).first_response_due_at).toEqual(cb.window_end)
    const told = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', '+6281298765432').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    expect(told.text_body).toContain('tetapi tidak tersambung. Kami mencoba lagi')
    expect((await get(visitor, `/pengaduan/${tracking}`)).body).toContain('percobaan 2 dari 3')

    // An "answered" without a summary is refused; with one, the call-back is done.
    clock.set(new Date('2026-12-01T03:40:00Z'))
    const empty = await post(agent, url, { outcome: 'answered', note: ' ' }, `/bantuan/tiket/${row.id}`)
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Tulis ringkasan pembicaraan')
    expect((await post(agent, url, { outcome: 'answered', note: 'Insentif dijadwalkan tanggal 5; rekening sudah benar.' }, `/bantuan/tiket/${row.id}`)).statusCode).toBe(303)
    cb = await callback(row.id)
    expect(cb).toMatchObject({ status: 'answered', attempts: 2, last_outcome: 'answered' })
    const after = await ticket(tracking)
    expect(after.state).toBe('open')
    expect(after.first_responded_at).toEqual(new Date('2026-12-01T03:40:00Z'))
    expect((await get(visitor, `/pengaduan/${tracking}`)).body).toContain('Insentif dijadwalkan tanggal 5')
    // Nothing more to log once answered.
    expect((await post(agent, url, { outcome: 'no_answer' }, `/bantuan/tiket/${row.id}`)).statusCode).toBe(409)
    const audits = await t.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', row.id).where('action', 'like', 'helpdesk.callback.%').orderBy('seq').execute()
    expect(audits.map((a) => a.action)).toEqual(['helpdesk.callback.no_answer', 'helpdesk.callback.answered'])
  })

  it('after the last missed call the ticket waits for the person, who is told to reply or ask again', async () => {
    const visitor = new Browser(t.app)
    const res = await post(visitor, FORM, { name: 'Tini', phone: '081311112222', category: 'other', day: '2026-12-01', from: '18:00', to: '20:00' }, FORM)
    const row = await ticket(trackingOf(res.headers.location!))
    const url = `/bantuan/tiket/${row.id}/telepon-balik`
    for (const at of ['2026-12-01T11:05:00Z', '2026-12-01T12:50:00Z', '2026-12-02T11:10:00Z']) {
      clock.set(new Date(at))
      // A new shift's agent (the earlier session has timed out overnight).
      const agent = await loggedIn(t.app, 'agent')
      expect((await post(agent, url, { outcome: 'no_answer' }, `/bantuan/tiket/${row.id}`)).statusCode).toBe(303)
      // No room left today after the second miss: tomorrow, at the 18:00–20:00 WIB the person chose
      // (not at 18:35, the hour of the retry planned after the first miss).
      if (at === '2026-12-01T12:50:00Z') expect(await callback(row.id)).toMatchObject({ window_start: new Date('2026-12-02T11:00:00Z'), window_end: new Date('2026-12-02T13:00:00Z') })
    }
    expect(await callback(row.id)).toMatchObject({ status: 'gave_up', attempts: 3 })
    const after = await ticket(row.tracking)
    expect(after.state).toBe('waiting_participant')
    expect((await get(visitor, `/pengaduan/${row.tracking}`)).body).toContain('3 kali tanpa tersambung')
  })
})
