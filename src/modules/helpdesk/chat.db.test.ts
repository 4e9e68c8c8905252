import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { KyselyPlugin } from 'kysely'
import type { Db } from '../../platform/db/database.ts'
import { createChatLive } from './chat-live.ts'
import { chatStateKey } from './chat.service.ts'
import * as repo from './helpdesk.repository.ts'

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
    // Without JavaScript the page asks again through the long-poll, with what it has shown.
    expect(page.body).toMatch(/<noscript><meta http-equiv="refresh" content="1; url=\/pengaduan\/KRY-[^?]+\/obrolan\?setelah=\d+&(amp;)?keadaan=queued%3A1%3A\d+"/)
    expect(page.body).toContain('src="/static/chat.js"')

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
    expect(last.body).toContain('Anda sudah mengirim 6 pesan dalam satu menit. Pesan ini belum terkirim')
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
    expect((await get(visitor, `/pengaduan/${tracking}`)).body).toContain('Voucher hilang')
  })
})

describe('live chat updates', () => {
  it('a long-poll answers when the agent writes, with only the new line and the changed status, and not for an internal note', async () => {
    const participant = await loggedIn(t.app, 'participant', t.database.db)
    const started = await post(participant, '/pengaduan/obrolan', { category: 'other', message: 'Halo, ada yang bisa bantu?' }, '/pengaduan/obrolan')
    const url = started.headers.location!
    const tracking = trackingOf(url)
    const id = (await t.database.db.selectFrom('helpdesk_tickets').select('id').where('tracking', '=', tracking).executeTakeFirstOrThrow()).id
    const first = await participant.request({ method: 'GET', url: `${url}/baru?tunggu=0`, headers: { accept: 'application/json' } })
    expect(first.statusCode).toBe(200)
    const seen = first.json() as { after: number; lines: Array<{ who: string; body: string }>; state: { key: string; line: string } }
    expect(seen.lines.map((l) => l.body)).toContain('Halo, ada yang bisa bantu?')
    expect(seen.state.key).toMatch(/^queued:/)

    // Nothing new: the poll is held, then answers with no line and the same state.
    const idle = await participant.request({ method: 'GET', url: `${url}/baru?setelah=${seen.after}&keadaan=${encodeURIComponent(seen.state.key)}&tunggu=1`, headers: { accept: 'application/json' } })
    expect(idle.json()).toMatchObject({ after: seen.after, lines: [], state: { key: seen.state.key } })

    const agent = await loggedIn(t.app, 'agent')
    const held = participant.request({ method: 'GET', url: `${url}/baru?setelah=${seen.after}&keadaan=${encodeURIComponent(seen.state.key)}&tunggu=20`, headers: { accept: 'application/json' } })
    await new Promise((r) => setTimeout(r, 300))
    await post(agent, `/bantuan/tiket/${id}/aksi`, { action: 'note', body: 'Catatan internal: cek akun.' }, `/bantuan/tiket/${id}`)
    await post(agent, `/bantuan/tiket/${id}/aksi`, { action: 'reply', then: 'open', body: 'Halo, saya Dewi.' }, `/bantuan/tiket/${id}`)
    const got = (await held).json() as typeof seen
    expect(got.lines.map((l) => [l.who, l.body])).toEqual([['Petugas Dewi', 'Halo, saya Dewi.']])
    expect(got.state.line).toBe('Anda sedang dilayani oleh Dewi.')
    expect(got.after).toBeGreaterThan(seen.after)

    // The same for a page without JavaScript: the held reload shows the new line.
    const page = await get(participant, `${url}?setelah=${seen.after}&keadaan=${encodeURIComponent(seen.state.key)}&tunggu=1`)
    expect(page.body).toContain('Halo, saya Dewi.')
    expect(page.body).not.toContain('Catatan internal')
  })

  it('the person ends the chat and rates it; the rating is kept with the channel and the agent', async () => {
    const visitor = new Browser(t.app)
    const started = await post(visitor, '/pengaduan/obrolan', { email: 'selesai@contoh.test', category: 'other', message: 'Sudah terjawab, terima kasih.' }, '/pengaduan/obrolan')
    const url = started.headers.location!
    const tracking = trackingOf(url)
    const early = await post(visitor, `/pengaduan/${tracking}/nilai`, { score: '5' }, url)
    expect(early.statusCode).toBe(409)
    expect((await post(visitor, url, { end: '1' }, url)).statusCode).toBe(303)
    const ended = await get(visitor, url)
    expect(ended.body).toContain('Obrolan selesai.')
    expect(ended.body).toContain('Peserta mengakhiri obrolan')
    expect(ended.body).not.toContain('http-equiv="refresh"')
    expect((await post(visitor, `/pengaduan/${tracking}/nilai`, { score: '4', comment: 'Cepat' }, url)).statusCode).toBe(303)
    const row = await t.database.db.selectFrom('helpdesk_csat as c').innerJoin('helpdesk_tickets as h', 'h.id', 'c.ticket_id').select(['c.score', 'c.comment', 'c.channel', 'c.owner_id', 'h.owner_id as ticket_owner']).where('h.tracking', '=', tracking).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ score: 4, comment: 'Cepat', channel: 'chat' })
    expect(row.owner_id).toBe(row.ticket_owner)
    expect((await get(visitor, url)).body).toContain('Penilaian Anda: 4 dari 5.')
  })
})

/** The database as the chat sees it, counting every query it runs. */
function counting(db: Db) {
  const counter = { n: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      counter.n++
      return a.node
    },
    transformResult: async (a) => a.result,
  }
  return { db: db.withPlugin(plugin), counter }
}

describe('live chat held polls (decision 0013: 2 000 connections per process)', () => {
  const ticketOf = (tracking: string) => t.database.db.selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking).executeTakeFirstOrThrow()
  const startChatAs = async (email: string, message: string) => {
    const visitor = new Browser(t.app)
    const started = await post(visitor, '/pengaduan/obrolan', { email, category: 'other', message }, '/pengaduan/obrolan')
    return ticketOf(trackingOf(started.headers.location!))
  }

  it('a re-poll with nothing new runs no query: no lines, no calendar, agents or queue', async () => {
    const c = counting(t.database.db)
    // No tick during the test: every query counted is the poll's own.
    const live = createChatLive({ db: c.db, clock }, { tickMs: 3_600_000, queueMs: 3_600_000 })
    try {
      const row = await startChatAs('diam@contoh.test', 'Halo?')
      const first = await live.changes(row, 0, null, 0)
      expect(first.seen.lines.map((l) => l.body)).toContain('Halo?')
      expect(first.state.kind).toBe('queued')
      expect(c.counter.n).toBeGreaterThan(0)
      const key = chatStateKey(first.state)

      c.counter.n = 0
      const again = await live.changes(first.t, first.seen.after, key, 200)
      expect(again.seen.lines).toEqual([])
      expect(chatStateKey(again.state)).toBe(key)
      expect(c.counter.n).toBe(0)

      // A line written through this process (poke) is read at once, with one query for the lines.
      await repo.insertMessage(t.database.db, { ticket_id: row.id, author_kind: 'participant', author_id: null, partner_code: null, internal: false, via: 'chat', body: 'Masih di sini.', email_message_id: null, created_at: clock.now() })
      live.poke(row.id)
      c.counter.n = 0
      const poked = await live.changes(first.t, first.seen.after, key, 0)
      expect(poked.seen.lines.map((l) => l.body)).toEqual(['Masih di sini.'])
      expect(c.counter.n).toBe(1)
    } finally {
      live.close()
    }
  })

  it('with the watch ticking, a reply from elsewhere arrives once, and the chat behind moves up without a line of its own', async () => {
    const c = counting(t.database.db)
    const live = createChatLive({ db: c.db, clock }, { tickMs: 50, queueMs: 200 })
    try {
      const ahead = await startChatAs('depan@contoh.test', 'Saya duluan.')
      clock.set(new Date(OPEN.getTime() + 1_000))
      const behind = await startChatAs('belakang@contoh.test', 'Saya di belakang.')
      const a0 = await live.changes(ahead, 0, null, 0)
      const b0 = await live.changes(behind, 0, null, 0)
      expect(a0.state.kind).toBe('queued')
      expect(b0.state.kind).toBe('queued')
      const place = (s: typeof b0.state) => (s.kind === 'queued' ? s.position : -1)
      expect(place(b0.state)).toBeGreaterThan(place(a0.state))

      const heldA = live.changes(a0.t, a0.seen.after, chatStateKey(a0.state), 20_000)
      const heldB = live.changes(b0.t, b0.seen.after, chatStateKey(b0.state), 20_000)
      await new Promise((r) => setTimeout(r, 300))
      // The agent answers through the console (another module: no poke), as from another process.
      const agent = await loggedIn(t.app, 'agent')
      expect((await post(agent, `/bantuan/tiket/${ahead.id}/aksi`, { action: 'reply', then: 'open', body: 'Halo, saya bantu.' }, `/bantuan/tiket/${ahead.id}`)).statusCode).toBe(303)
      const a1 = await heldA
      expect(a1.seen.lines.map((l) => l.body)).toEqual(['Halo, saya bantu.'])
      expect(a1.state.kind).toBe('with_agent')
      const b1 = await heldB
      expect(b1.seen.lines).toEqual([])
      expect(place(b1.state)).toBe(place(b0.state) - 1)

      // Nothing new after that: the line is not shown twice.
      const a2 = await live.changes(a1.t, a1.seen.after, chatStateKey(a1.state), 300)
      expect(a2.seen.lines).toEqual([])
      expect(chatStateKey(a2.state)).toBe(chatStateKey(a1.state))
    } finally {
      live.close()
    }
  })
})
