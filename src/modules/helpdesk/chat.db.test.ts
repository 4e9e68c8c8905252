import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'

const OPEN = new Date('2026-12-01T03:00:00Z') // 10:00 WIB
const clock = fixedClock(OPEN)
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ clock })
})
afterAll(async () => t?.close())
beforeEach(() => clock.set(OPEN))

const post = (b: Browser, url: string, fields: Record<string, string>, from: string) =>
  b.csrfFrom(from).then((token) => b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() }))
const get = (b: Browser, url: string) => b.request({ method: 'GET', url, headers: { accept: 'text/html' } })
const trackingOf = (location: string) => /(KRY-\d{4}-[0-9A-Z]{6})/.exec(location)![1]!

describe('live chat', () => {
  it('answers from the person’s data, shows an honest queue position, then the agent by name', async () => {
    const participant = await loggedIn(t.app, 'participant', t.database.db)
    const started = await post(participant, '/pengaduan/obrolan', { category: 'wave', message: 'Kapan gelombang berikutnya?' }, '/pengaduan/obrolan')
    expect(started.statusCode).toBe(303)
    const first = trackingOf(started.headers.location!)
    const page = await get(participant, started.headers.location!)
    expect(page.body).toContain('Karya (dari data Anda)')
    expect(page.body).toContain('Posisi Anda di antrean: 1.')
    expect(page.headers.refresh).toBe('15')

    clock.set(new Date(OPEN.getTime() + 5_000))
    const visitor = new Browser(t.app)
    const second = await post(visitor, '/pengaduan/obrolan', { name: 'Tamu', email: 'tamu@contoh.test', category: 'other', message: 'Halo, saya mau tanya.' }, '/pengaduan/obrolan')
    expect((await get(visitor, second.headers.location!)).body).toContain('Posisi Anda di antrean: 2.')

    const agent = await loggedIn(t.app, 'agent')
    const id = (await t.database.db.selectFrom('helpdesk_tickets').select('id').where('tracking', '=', first).executeTakeFirstOrThrow()).id
    expect((await post(agent, `/bantuan/tiket/${id}/aksi`, { action: 'reply', then: 'open', body: 'Halo Siti, saya bantu.' }, `/bantuan/tiket/${id}`)).statusCode).toBe(303)
    const withAgent = await get(participant, started.headers.location!)
    expect(withAgent.body).toContain('Anda sedang dilayani oleh Dewi.')
    expect(withAgent.body).toContain('Halo Siti, saya bantu.')
    // The visitor moved up when the first chat was taken.
    expect((await get(visitor, second.headers.location!)).body).toContain('Posisi Anda di antrean: 1.')

    const person = await post(visitor, `/pengaduan/${trackingOf(second.headers.location!)}/obrolan`, { message: '', person: '1' }, second.headers.location!)
    expect(person.statusCode).toBe(303)
    expect((await get(visitor, second.headers.location!)).body).toContain('Anda meminta berbicara dengan petugas')
  })

  it('refuses flooding with a clear answer and keeps what came before', async () => {
    const visitor = new Browser(t.app)
    const started = await post(visitor, '/pengaduan/obrolan', { email: 'banjir@contoh.test', category: 'other', message: 'pesan pertama' }, '/pengaduan/obrolan')
    const url = started.headers.location!
    const tracking = trackingOf(url)
    let last = started
    for (let i = 0; i < 6; i++) last = await post(visitor, `/pengaduan/${tracking}/obrolan`, { message: `pesan ${i}` }, url)
    expect(last.statusCode).toBe(429)
    expect(last.body).toContain('Terlalu banyak percobaan')
    const stored = await t.database.db.selectFrom('helpdesk_messages as m').innerJoin('helpdesk_tickets as h', 'h.id', 'm.ticket_id').select('m.body').where('h.tracking', '=', tracking).execute()
    expect(stored).toHaveLength(6)
    clock.set(new Date(OPEN.getTime() + 61_000))
    expect((await post(visitor, `/pengaduan/${tracking}/obrolan`, { message: 'setelah menunggu' }, url)).statusCode).toBe(303)
  })

  it('becomes a ticket with the same number and a due date when nobody is free', async () => {
    clock.set(new Date('2026-12-01T14:30:00Z')) // 21:30 WIB: closed
    const visitor = new Browser(t.app)
    const started = await post(visitor, '/pengaduan/obrolan', { email: 'malam@contoh.test', category: 'purchase', message: 'Voucher hilang' }, '/pengaduan/obrolan')
    const tracking = trackingOf(started.headers.location!)
    const page = await get(visitor, started.headers.location!)
    expect(page.body).toContain(`Obrolan ini sudah menjadi pengaduan ${tracking}`)
    expect(page.body).toMatch(/paling lambat 2 Desember 2026/)
    expect(page.headers.refresh).toBeUndefined()
    expect((await get(visitor, `/pengaduan/${tracking}`)).body).toContain('Voucher hilang')
  })
})
