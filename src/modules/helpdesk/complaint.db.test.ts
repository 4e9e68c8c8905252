import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { raiseTicket } from './tickets.service.ts'
import { newTrackingNumber } from './tracking.ts'
import { helpdeskDeps } from './deps.ts'
import { insertParticipant, postForm, TINY_PNG } from './testing.ts'

// 10:00 WIB on a Tuesday: the centre is open.
const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ clock })
})
afterAll(async () => t?.close())

const ticketCount = async () => Number((await t.database.db.selectFrom('helpdesk_tickets').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

describe('the web form, not logged in', () => {
  it('answers with a tracking number and a status page that needs the contact on another browser', async () => {
    const b = new Browser(t.app)
    const res = await postForm(b, '/pengaduan', '/pengaduan', { name: 'Budi Santoso', email: 'budi@contoh.test', category: 'purchase', message: 'Saldo terpotong tapi voucher tidak muncul.' }, { name: 'layar.png', type: 'image/png', bytes: TINY_PNG })
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
    const tracking = /\/pengaduan\/(KRY-\d{4}-[0-9A-Z]{6})/.exec(res.headers.location!)![1]!
    const page = await b.request({ method: 'GET', url: res.headers.location!, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(tracking)
    expect(page.body).toContain('Saldo terpotong')
    expect(page.body).toContain('layar.png')
    // Purchases: first answer within 2 business hours.
    expect(page.body).toMatch(/Petugas menjawab paling lambat 1 Desember 2026 (pukul )?12[.:]00/)
    const mail = await t.database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'budi@contoh.test').executeTakeFirstOrThrow()
    expect(mail.subject).toContain(`[${tracking}]`)

    // Another browser: the number alone opens nothing; with the wrong contact, the same answer.
    const other = new Browser(t.app)
    const bare = await other.request({ method: 'GET', url: `/pengaduan/${tracking}`, headers: { accept: 'text/html' } })
    expect(bare.body).not.toContain('Saldo terpotong')
    const token = await other.csrfFrom('/pengaduan')
    const wrong = await other.request({ method: 'POST', url: '/pengaduan/lacak', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, tracking, contact: 'orang@lain.test' }).toString() })
    expect(wrong.statusCode).toBe(404)
    expect(wrong.body).toContain('Tidak ada pengaduan dengan nomor ini')
    const right = await other.request({ method: 'POST', url: '/pengaduan/lacak', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, tracking: tracking.toLowerCase(), contact: 'BUDI@contoh.test' }).toString() })
    expect(right.statusCode).toBe(303)
    const opened = await other.request({ method: 'GET', url: `/pengaduan/${tracking}`, headers: { accept: 'text/html' } })
    expect(opened.body).toContain('Saldo terpotong')
  })

  it('refuses an empty and a 100 000-character message, saying why, and creates nothing', async () => {
    const before = await ticketCount()
    const b = new Browser(t.app)
    const empty = await postForm(b, '/pengaduan', '/pengaduan', { email: 'a@contoh.test', category: 'other', message: '   ' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Tulis pesan Anda')
    const huge = await postForm(b, '/pengaduan', '/pengaduan', { email: 'a@contoh.test', category: 'other', message: 'x'.repeat(100_000) })
    expect(huge.statusCode).toBe(400)
    expect(huge.body).toContain('Pesan paling banyak 5.000 karakter (Anda menulis 100.000)')
    const noContact = await postForm(b, '/pengaduan', '/pengaduan', { category: 'other', message: 'Halo' })
    expect(noContact.statusCode).toBe(400)
    expect(noContact.body).toContain('Tulis e-mail atau nomor HP')
    expect(await ticketCount()).toBe(before)
  })

  it('refuses an attachment that is not JPG, PNG or PDF by its bytes, and one that is too large', async () => {
    const before = await ticketCount()
    const b = new Browser(t.app)
    const fake = await postForm(b, '/pengaduan', '/pengaduan', { email: 'a@contoh.test', category: 'other', message: 'Lihat lampiran' }, { name: 'foto.jpg', type: 'image/jpeg', bytes: Buffer.from('MZ this is an executable') })
    expect(fake.statusCode).toBe(400)
    expect(fake.body).toContain('bukan JPG, PNG atau PDF')
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(6 * 1024 * 1024, 32)])
    const large = await postForm(b, '/pengaduan', '/pengaduan', { email: 'a@contoh.test', category: 'other', message: 'Lihat lampiran' }, { name: 'surat.pdf', type: 'application/pdf', bytes: big })
    expect(large.statusCode).toBe(400)
    expect(large.body).toContain('lebih dari 5 MB')
    expect(await ticketCount()).toBe(before)
  })

  it('answers an unknown or malformed tracking number clearly', async () => {
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/pengaduan')
    const form = (tracking: string) => b.request({ method: 'POST', url: '/pengaduan/lacak', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, tracking, contact: 'a@contoh.test' }).toString() })
    const malformed = await form('KRY-2612-ABC')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.body).toContain('KRY-2612-XXXXXX')
    const unknown = await form(newTrackingNumber(clock.now(), () => 31))
    expect(unknown.statusCode).toBe(404)
    expect(unknown.body).toContain('Tidak ada pengaduan dengan nomor ini')
    // A ticket raised with a phone number typed one way opens with it typed another way.
    const byPhone = await raiseTicket(helpdeskDeps(t.deps), { channel: 'web', category: 'other', body: 'Lewat HP', contact: { phone: '0812-3456 7890' } })
    const viaPhone = await b.request({ method: 'POST', url: '/pengaduan/lacak', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: token, tracking: byPhone.tracking, contact: '+62 812 3456 7890' }).toString() })
    expect(viaPhone.statusCode).toBe(303)
    // A typo in the check character is caught before any lookup.
    expect((await form('KRY-2612-000000')).statusCode).toBe(400)
  })
})

describe('the web form, logged in', () => {
  it('links the ticket to the account, shows answers from the person’s data, and refuses someone else’s ticket', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const form = await b.request({ method: 'GET', url: '/pengaduan?kategori=wave', headers: { accept: 'text/html' } })
    expect(form.body).toContain('Yang kami ketahui dari data Anda')
    const res = await postForm(b, '/pengaduan', '/pengaduan', { category: 'certificate', message: 'Sertifikat saya belum muncul.' })
    expect(res.statusCode).toBe(303)
    const tracking = /(KRY-\d{4}-[0-9A-Z]{6})/.exec(res.headers.location!)![1]!
    const row = await t.database.db.selectFrom('helpdesk_tickets as h').innerJoin('accounts as a', 'a.id', 'h.account_id').select(['a.email', 'h.channel']).where('tracking', '=', tracking).executeTakeFirstOrThrow()
    expect(row).toEqual({ email: 'peserta@karya.test', channel: 'web' })

    const stranger = await insertParticipant(t.database.db, clock.now())
    const theirs = await raiseTicket(helpdeskDeps(t.deps), { channel: 'web', category: 'wave', body: 'Data pribadi orang lain', accountId: stranger.id })
    const refused = await b.request({ method: 'GET', url: `/pengaduan/${theirs.tracking}`, headers: { accept: 'text/html' } })
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('milik orang lain')
    expect(refused.body).not.toContain('Data pribadi orang lain')
  })
})
