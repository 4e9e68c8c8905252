/** Sign-up, verification, "this was not me", the SMS log-in code and the abuse limits, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, Browser, latestSmsCode, loggedIn, type TestApp } from '../../../test/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

async function post(b: Browser, url: string, fields: Record<string, string>, from = url, extra: Record<string, string> = {}) {
  const token = await b.csrfFrom(from)
  return b.request({ method: 'POST', url, headers: { ...form, ...extra }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}

async function signUp(b: Browser, who: { name: string; email: string; phone: string; password?: string }) {
  return post(b, '/daftar', { name: who.name, email: who.email, phone: who.phone, password: who.password ?? 'sapi perah di agam' })
}

async function latestEmail(to: string) {
  const row = await t.database.db
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', to)
    .where('channel', '=', 'email')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const code = /Kode verifikasi e-mail Anda: (\d{6})/.exec(row.text_body)![1]!
  const link = /\/verifikasi-email\/([\w-]+)/.exec(row.text_body)![1]!
  const notMe = /\/bukan-saya\/([\w-]+)/.exec(row.text_body)![1]!
  return { code, link, notMe }
}

async function account(email: string) {
  return t.database.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst()
}

describe('sign-up', () => {
  it('keeps what was typed (never the password) and names every field to fix', async () => {
    const b = new Browser(t.app)
    const res = await signUp(b, { name: 'N', email: 'nanang@gmail', phone: '021 555', password: 'prakerja123' })
    expect(res.statusCode).toBe(400)
    for (const field of ['#name', '#email', '#phone', '#password']) expect(res.body).toContain(`href="${field}"`)
    expect(res.body).toContain('value="nanang@gmail"')
    expect(res.body).toContain('value="021 555"')
    expect(res.body).not.toContain('prakerja123')
  })

  it('creates a pending account, verifies e-mail by link and phone by code, then opens the dashboard', async () => {
    const b = new Browser(t.app)
    const res = await signUp(b, { name: 'Nanang Sarfinal', email: 'nanang@example.id', phone: '0812-7000-0001' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/daftar/verifikasi')
    expect((await account('nanang@example.id'))).toMatchObject({ status: 'pending', phone: '+6281270000001', role: 'participant' })

    // Still pending: the dashboard sends the person back to verification; APIs refuse.
    expect((await b.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })).headers.location).toBe('/daftar/verifikasi')
    const api = await b.request({ method: 'GET', url: '/api/v1/me/inbox' })
    expect(api.statusCode).toBe(403)
    expect(api.json().error.code).toBe('ACCOUNT_PENDING')

    const page = await b.request({ method: 'GET', url: '/daftar/verifikasi', headers: { accept: 'text/html' } })
    expect(page.body).toContain('0812-****-0001')
    expect(page.body).toContain('na****@example.id')

    const { link } = await latestEmail('nanang@example.id')
    const clicked = await t.app.inject({ method: 'GET', url: `/verifikasi-email/${link}`, headers: { accept: 'text/html' } })
    expect(clicked.statusCode).toBe(200)
    expect((await account('nanang@example.id'))!.email_verified_at).toBeInstanceOf(Date)
    // A link works once.
    expect((await t.app.inject({ method: 'GET', url: `/verifikasi-email/${link}`, headers: { accept: 'application/json' } })).json().error.code).toBe('LINK_INVALID')

    const smsCode = await latestSmsCode(t.database.db, '+6281270000001')
    const wrong = await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': smsCode === '000000' ? '000001' : '000000' }, '/daftar/verifikasi')
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('Kode salah')
    const right = await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': smsCode }, '/daftar/verifikasi')
    expect(right.statusCode).toBe(303)
    expect(right.headers.location).toBe('/beranda')
    expect((await account('nanang@example.id'))!.status).toBe('active')
    expect((await b.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })).statusCode).toBe(200)
  })

  it('refuses an e-mail or phone that is already registered, saying what to do', async () => {
    const b = new Browser(t.app)
    const email = await signUp(b, { name: 'Orang Lain', email: 'NANANG@example.id', phone: '081270009999' })
    expect(email.statusCode).toBe(409)
    expect(email.body).toContain('Bukan saya')
    const phone = await signUp(new Browser(t.app), { name: 'Orang Lain', email: 'lain@example.id', phone: '+62 812 7000 0001' })
    expect(phone.statusCode).toBe(409)
    expect(phone.body).toContain('Nomor HP ini sudah dipakai')
  })

  it('kills a code after 5 wrong tries and refuses a used code', async () => {
    const b = new Browser(t.app)
    await signUp(b, { name: 'Dewi Sartika', email: 'dewi@example.id', phone: '081270000002' })
    const good = await latestSmsCode(t.database.db, '+6281270000002')
    const bad = good === '111111' ? '222222' : '111111'
    for (let i = 0; i < 5; i++) expect((await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': bad }, '/daftar/verifikasi')).statusCode).toBe(400)
    const late = await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': good }, '/daftar/verifikasi')
    expect(late.statusCode).toBe(400)
    expect(late.body).toContain('kedaluwarsa')

    expect((await post(b, '/daftar/kirim-ulang/telepon', {}, '/daftar/verifikasi')).statusCode).toBe(303)
    const fresh = await latestSmsCode(t.database.db, '+6281270000002')
    expect((await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': fresh }, '/daftar/verifikasi')).statusCode).toBe(303)
    const replay = await post(b, '/daftar/verifikasi/telepon', { 'code-telepon': fresh }, '/daftar/verifikasi')
    expect(replay.statusCode).toBe(400)
  })

  it('allows 5 re-sends, then says until when to wait', async () => {
    const b = new Browser(t.app)
    await signUp(b, { name: 'Rina Wati', email: 'rina@example.id', phone: '081270000003' })
    for (let i = 0; i < 5; i++) expect((await post(b, '/daftar/kirim-ulang/telepon', {}, '/daftar/verifikasi')).statusCode).toBe(303)
    const refused = await post(b, '/daftar/kirim-ulang/telepon', {}, '/daftar/verifikasi')
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(7000)
    expect(refused.body).toMatch(/Minta lagi mulai .* WIB/)
    const sms = await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', '+6281270000003').execute()
    expect(sms).toHaveLength(6)
  })
})

describe('this was not me', () => {
  it('cancels a sign-up made with my e-mail, frees it, ends the impostor session and tells PMO', async () => {
    const impostor = new Browser(t.app)
    await signUp(impostor, { name: 'Joki', email: 'abdul@example.id', phone: '081270000004' })
    const { notMe } = await latestEmail('abdul@example.id')

    const confirm = await t.app.inject({ method: 'GET', url: `/bukan-saya/${notMe}`, headers: { accept: 'text/html' } })
    expect(confirm.statusCode).toBe(200)
    expect((await account('abdul@example.id'))!.status).toBe('pending')
    const owner = new Browser(t.app)
    const done = await post(owner, `/bukan-saya/${notMe}`, {}, `/bukan-saya/${notMe}`)
    expect(done.statusCode).toBe(200)
    expect(done.body).toContain('Pendaftaran dibatalkan')

    expect(await account('abdul@example.id')).toBeUndefined()
    const signal = await t.database.db.selectFrom('fraud_signals').selectAll().where('kind', '=', 'email_not_me').executeTakeFirstOrThrow()
    expect(signal.details).toMatchObject({ email: 'abdul@example.id', outcome: 'cancelled' })
    expect((await impostor.request({ method: 'GET', url: '/daftar/verifikasi' })).statusCode).toBe(401)

    const real = await signUp(new Browser(t.app), { name: 'Abdul Rahman', email: 'abdul@example.id', phone: '081270000004' })
    expect(real.statusCode).toBe(303)

    const pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const page = await pmo.request({ method: 'GET', url: '/pmo/sinyal', headers: { accept: 'text/html' } })
    expect(page.body).toContain('abdul@example.id')
    expect(page.body).toContain('bukan saya')
  })
})

describe('log-in', () => {
  it('asks a participant with a verified phone for the SMS code before opening the dashboard', async () => {
    const b = new Browser(t.app)
    const first = await b.login('peserta@karya.test')
    expect(first.headers.location).toBe('/masuk/kode')
    expect((await b.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })).headers.location).toBe('/masuk?next=%2Fberanda')
    const wrong = await post(b, '/masuk/kode', { code: 'abc' }, '/masuk/kode')
    expect(wrong.statusCode).toBe(400)
    const ok = await post(b, '/masuk/kode', { code: await latestSmsCode(t.database.db, '+6281200000001') }, '/masuk/kode')
    expect(ok.headers.location).toBe('/beranda')
    expect((await b.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })).statusCode).toBe(200)
  })

  it('sends the log-in code by e-mail to someone who cannot receive SMS on the phone on file', async () => {
    const b = new Browser(t.app)
    expect((await b.login('peserta@karya.test')).headers.location).toBe('/masuk/kode')
    const asked = await post(b, '/masuk/kode/kirim-ulang?lewat=email', {}, '/masuk/kode')
    expect(asked.headers.location).toBe('/masuk/kode?sent=email')
    const mail = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'peserta@karya.test').where('template', '=', 'accounts.login-code').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    const code = /Kode masuk Karya: (\d{6})/.exec(mail.text_body)![1]!
    expect((await post(b, '/masuk/kode', { code }, '/masuk/kode')).headers.location).toBe('/beranda')
  })

  it('throttles an address after 50 failures, even for the right password', async () => {
    const ip = '198.51.100.7'
    for (let i = 0; i < 50; i++) {
      const b = new Browser(t.app)
      const token = await b.csrfFrom('/masuk')
      const res = await b.request({ method: 'POST', url: '/masuk', remoteAddress: ip, headers: form, payload: new URLSearchParams({ _csrf: token, email: `nobody${i}@example.id`, password: 'x'.repeat(8) }).toString() })
      expect(res.statusCode).toBe(401)
    }
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/masuk')
    const res = await b.request({ method: 'POST', url: '/masuk', remoteAddress: ip, headers: { ...form, accept: 'application/json' }, payload: new URLSearchParams({ _csrf: token, email: 'agen@karya.test', password: 'karya-demo-2026' }).toString() })
    expect(res.statusCode).toBe(429)
    expect(res.json().error.code).toBe('RATE_LIMITED')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('locks an account after 100 consecutive failures, from any addresses', async () => {
    for (let i = 0; i < 100; i++) {
      const b = new Browser(t.app)
      const token = await b.csrfFrom('/masuk')
      await b.request({ method: 'POST', url: '/masuk', remoteAddress: `203.0.113.${i % 200}`, headers: form, payload: new URLSearchParams({ _csrf: token, email: 'auditor@karya.test', password: `wrong-${i}` }).toString() })
    }
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/masuk')
    const res = await b.request({ method: 'POST', url: '/masuk', remoteAddress: '192.0.2.1', headers: form, payload: new URLSearchParams({ _csrf: token, email: 'auditor@karya.test', password: 'karya-demo-2026' }).toString() })
    expect(res.statusCode).toBe(423)
    expect(res.body).toContain('dikunci')
  }, 60_000)
})
