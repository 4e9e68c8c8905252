/** Getting back in after losing a password or an inbox (BRIEF P2). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, Browser, loggedIn, latestSmsCode, type TestApp } from '../../../test/app.ts'
import { applyContactChange } from './recovery.service.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
async function post(b: Browser, url: string, fields: Record<string, string>, from = url) {
  const token = await b.csrfFrom(from)
  return b.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}
async function lastEmailTo(to: string): Promise<string> {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return row.text_body
}

describe('password reset', () => {
  it('sends one code to the e-mail and phone on file, answers the same for unknown people, and logs out old sessions', async () => {
    const old = await loggedIn(t.app, 'participant', t.database.db)
    const unknown = await post(new Browser(t.app), '/lupa-sandi', { identifier: 'tidak-ada@example.id' })
    const known = await post(new Browser(t.app), '/lupa-sandi', { identifier: '0812-0000-0001' })
    expect(unknown.statusCode).toBe(200)
    expect(known.statusCode).toBe(200)
    const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, '').replace(/ref [0-9a-f-]{36}/g, '').replace(/value="[^"]*"/g, '')
    expect(strip(unknown.body)).toBe(strip(known.body))

    const smsCode = await latestSmsCode(t.database.db, '+6281200000001')
    expect(await lastEmailTo('peserta@karya.test')).toContain(`kata sandi Karya: ${smsCode}`)

    const b = new Browser(t.app)
    const weak = await post(b, '/lupa-sandi/atur', { identifier: 'peserta@karya.test', code: smsCode, password: '12345678' })
    expect(weak.statusCode).toBe(400)
    const ok = await post(b, '/lupa-sandi/atur', { identifier: 'peserta@karya.test', code: smsCode, password: 'kerbau di sawah pagi' })
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toContain('Kata sandi sudah diganti')
    expect((await old.request({ method: 'GET', url: '/beranda' })).statusCode).toBe(401)
    expect(await lastEmailTo('peserta@karya.test')).toContain('baru saja diganti')
    expect((await new Browser(t.app).login('peserta@karya.test', 'kerbau di sawah pagi')).statusCode).toBe(303)
  })
})

describe('change of e-mail after losing the inbox', () => {
  it('proves the new address, waits the cooling-off period, tells the old one, and can be cancelled from it', async () => {
    // The reset test above changed the demo password; put it back for the log-in below.
    await sql`update accounts set password_hash = (select password_hash from accounts where email = 'agen@karya.test') where email = 'peserta@karya.test'`.execute(t.database.db)
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const wrongPassword = await post(b, '/akun/ganti-email', { email: 'siti.baru@example.id', password: 'salah' }, '/akun')
    expect(wrongPassword.statusCode).toBe(400)
    const taken = await post(b, '/akun/ganti-email', { email: 'agen@karya.test', password: 'karya-demo-2026' }, '/akun')
    expect(taken.statusCode).toBe(409)

    const asked = await post(b, '/akun/ganti-email', { email: 'siti.baru@example.id', password: 'karya-demo-2026' }, '/akun')
    expect(asked.statusCode).toBe(200)
    const code = /e-mail akun Karya Anda: (\d{6})/.exec(await lastEmailTo('siti.baru@example.id'))![1]!
    const confirmed = await post(b, '/akun/ganti-email/kode', { code }, '/akun')
    expect(confirmed.statusCode).toBe(303)

    const change = await t.database.db.selectFrom('contact_changes').selectAll().executeTakeFirstOrThrow()
    expect(change.new_value).toBe('siti.baru@example.id')
    expect(change.effective_at.getTime() - change.requested_at.getTime()).toBe(72 * 3_600_000)
    const notice = await lastEmailTo('peserta@karya.test')
    expect(notice).toContain('akan diganti ke siti.baru@example.id')
    expect((await b.request({ method: 'GET', url: '/akun', headers: { accept: 'text/html' } })).body).toContain('siti.baru@example.id')

    // Too early: the job refuses (and pg-boss retries it later); nothing changes.
    await expect(applyContactChange({ db: t.database.db, clock: t.deps.clock, mail: t.deps.mail }, change.id)).rejects.toThrow(/cooling-off/)
    expect((await t.database.db.selectFrom('accounts').select('email').where('id', '=', change.account_id).executeTakeFirstOrThrow()).email).toBe('peserta@karya.test')

    const cancelToken = /\/batal-ganti\/([\w-]+)/.exec(notice)![1]!
    const cancelled = await post(new Browser(t.app), `/batal-ganti/${cancelToken}`, {}, `/batal-ganti/${cancelToken}`)
    expect(cancelled.body).toContain('dibatalkan')
    await applyContactChange({ db: t.database.db, clock: { now: () => new Date(Date.now() + 73 * 3_600_000) }, mail: t.deps.mail }, change.id)
    expect((await t.database.db.selectFrom('accounts').select('email').where('id', '=', change.account_id).executeTakeFirstOrThrow()).email).toBe('peserta@karya.test')
  })

  it('applies an uncancelled change once the cooling-off period is over, once', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    await post(b, '/akun/ganti-email', { email: 'siti.lain@example.id', password: 'karya-demo-2026' }, '/akun')
    const code = /e-mail akun Karya Anda: (\d{6})/.exec(await lastEmailTo('siti.lain@example.id'))![1]!
    await post(b, '/akun/ganti-email/kode', { code }, '/akun')
    const change = await t.database.db.selectFrom('contact_changes').selectAll().where('new_value', '=', 'siti.lain@example.id').executeTakeFirstOrThrow()
    const later = { now: () => new Date(change.effective_at.getTime() + 1000) }
    await applyContactChange({ db: t.database.db, clock: later, mail: t.deps.mail }, change.id)
    await applyContactChange({ db: t.database.db, clock: later, mail: t.deps.mail }, change.id)
    const account = await t.database.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', change.account_id).executeTakeFirstOrThrow()
    expect(account.email).toBe('siti.lain@example.id')
    const welcome = await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'siti.lain@example.id').where('template', '=', 'accounts.email-changed').execute()
    expect(welcome).toHaveLength(1)
  })
})

describe('change of phone after losing it', () => {
  const OLD = '+6281200000001'
  const NEW = '+6281311112222'
  const later = (at: Date) => ({ now: () => new Date(at.getTime() + 1000) })
  // Every log-in above sent a code; the 6-sends-in-2-hours limit is not what these tests are about.
  beforeEach(async () => {
    await sql`delete from verification_codes where purpose = 'login'`.execute(t.database.db)
  })
  async function phoneChange(b: Browser): Promise<{ id: string; account_id: string; effective_at: Date; requested_at: Date }> {
    const asked = await post(b, '/akun/ganti-hp', { phone: '0813-1111-2222', phone_password: 'karya-demo-2026' }, '/akun')
    expect(asked.statusCode).toBe(200)
    expect(asked.body).toContain('name="phone_code"')
    const code = await latestSmsCode(t.database.db, NEW)
    const wrong = await post(b, '/akun/ganti-hp/kode', { phone_code: code === '000000' ? '111111' : '000000' }, '/akun')
    expect(wrong.statusCode).toBe(400)
    const confirmed = await post(b, '/akun/ganti-hp/kode', { phone_code: code }, '/akun')
    expect(confirmed.statusCode).toBe(303)
    return t.database.db
      .selectFrom('contact_changes')
      .select(['id', 'account_id', 'effective_at', 'requested_at'])
      .where('kind', '=', 'phone')
      .where('cancelled_at', 'is', null)
      .where('applied_at', 'is', null)
      .executeTakeFirstOrThrow()
  }

  it('proves the new number by SMS, tells the e-mail and the old phone, and can be cancelled from the old phone', async () => {
    // The e-mail tests above moved the demo participant to another address; put it back.
    await sql`update accounts set email = 'peserta@karya.test' where email = 'siti.lain@example.id'`.execute(t.database.db)
    const b = await loggedIn(t.app, 'participant', t.database.db)
    expect((await post(b, '/akun/ganti-hp', { phone: '0813-1111-2222', phone_password: 'salah' }, '/akun')).statusCode).toBe(400)
    expect((await post(b, '/akun/ganti-hp', { phone: '0812-0000-0001', phone_password: 'karya-demo-2026' }, '/akun')).statusCode).toBe(400)

    const change = await phoneChange(b)
    expect(change.effective_at.getTime() - change.requested_at.getTime()).toBe(72 * 3_600_000)
    // The code proves the new phone: it is not copied to the inbox, where the account holder could read it without the phone.
    const inbox = await t.database.db.selectFrom('inbox_messages').select('body').where('account_id', '=', change.account_id).execute()
    const code = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', NEW).where('template', '=', 'accounts.verify-phone').executeTakeFirstOrThrow()
    const sentCode = /(\d{6})/.exec(code.text_body)![1]!
    expect(inbox.some((m) => m.body.includes(sentCode))).toBe(false)

    expect(await lastEmailTo('peserta@karya.test')).toContain('Nomor HP akun Karya Anda akan diganti ke 0813-****-2222')
    const sms = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', OLD).where('template', '=', 'accounts.phone-change-notice').executeTakeFirstOrThrow()
    const account = await t.database.db.selectFrom('accounts').select(['phone']).where('id', '=', change.account_id).executeTakeFirstOrThrow()
    expect(account.phone).toBe(OLD)

    const token = /\/batal-ganti\/([\w-]+)/.exec(sms.text_body)![1]!
    const cancelled = await post(new Browser(t.app), `/batal-ganti/${token}`, {}, `/batal-ganti/${token}`)
    expect(cancelled.body).toContain('dibatalkan')
    await applyContactChange({ db: t.database.db, clock: later(change.effective_at), mail: t.deps.mail }, change.id)
    expect((await t.database.db.selectFrom('accounts').select('phone').where('id', '=', change.account_id).executeTakeFirstOrThrow()).phone).toBe(OLD)
  })

  it('applies the new number, verified, after the cooling-off period, and the next log-in code goes to it', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const change = await phoneChange(b)
    await expect(applyContactChange({ db: t.database.db, clock: t.deps.clock, mail: t.deps.mail }, change.id)).rejects.toThrow(/cooling-off/)
    const clock = later(change.effective_at)
    await applyContactChange({ db: t.database.db, clock, mail: t.deps.mail }, change.id)
    await applyContactChange({ db: t.database.db, clock, mail: t.deps.mail }, change.id)
    const account = await t.database.db.selectFrom('accounts').select(['phone', 'phone_verified_at']).where('id', '=', change.account_id).executeTakeFirstOrThrow()
    expect(account.phone).toBe(NEW)
    expect(account.phone_verified_at?.getTime()).toBe(clock.now().getTime())
    const told = await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', NEW).where('template', '=', 'accounts.phone-changed').execute()
    expect(told).toHaveLength(1)

    const fresh = new Browser(t.app)
    expect((await fresh.login('peserta@karya.test')).headers.location).toBe('/masuk/kode')
    const token = await fresh.csrfFrom('/masuk/kode')
    // Put the demo number back for the next test before anything can fail.
    await sql`update accounts set phone = ${OLD} where id = ${change.account_id}`.execute(t.database.db)
    const login = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', NEW).where('template', '=', 'accounts.login-code').executeTakeFirstOrThrow()
    const code = /(\d{6})/.exec(login.text_body)![1]!
    const done = await fresh.request({ method: 'POST', url: '/masuk/kode', headers: form, payload: new URLSearchParams({ _csrf: token, code }).toString() })
    expect(done.statusCode).toBe(303)
  })

  it('lets someone whose phone is lost log in with a code sent to the e-mail instead', async () => {
    const b = new Browser(t.app)
    expect((await b.login('peserta@karya.test')).headers.location).toBe('/masuk/kode')
    const token = await b.csrfFrom('/masuk/kode')
    const resent = await b.request({ method: 'POST', url: '/masuk/kode/kirim-ulang?lewat=email', headers: form, payload: new URLSearchParams({ _csrf: token }).toString() })
    expect(resent.headers.location).toBe('/masuk/kode?sent=email')
    const code = /Kode masuk Karya: (\d{6})/.exec(await lastEmailTo('peserta@karya.test'))![1]!
    const done = await b.request({ method: 'POST', url: '/masuk/kode', headers: form, payload: new URLSearchParams({ _csrf: await b.csrfFrom('/masuk/kode'), code }).toString() })
    expect(done.statusCode).toBe(303)
    expect((await b.request({ method: 'GET', url: '/akun', headers: { accept: 'text/html' } })).statusCode).toBe(200)
  })
})
