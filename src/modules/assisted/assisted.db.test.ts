/**
 * Assisted registration over HTTP: consent before anything is saved, the phone and no-phone
 * paths, the officer's reach (regency, until activation), the same profile, NIK and document
 * rules as self sign-up, every step audited, and the person taking over with a password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { generatePeople, type Person } from '../../sandboxes/population/index.ts'
import { hashPassword, insertAccountIfAbsent } from '../accounts/index.ts'
import { ageOn, todayInJakarta } from '../registration/index.ts'
import { textLikeImage } from '../documents/test-images.ts'
import { CONSENT_VERSION } from './consent.ts'

let t: TestApp
let officer: Browser
let officerId: string
let colleague: Browser
let bogor: Browser
const people: Person[] = []

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

async function post(b: Browser, url: string, fields: Record<string, string>, csrfPage = '/petugas/daftar') {
  const token = await b.csrfFrom(csrfPage)
  return b.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}

function get(b: Browser, url: string) {
  return b.request({ method: 'GET', url, headers: { accept: 'text/html' } })
}

async function staff(email: string, regionCode: string, name: string): Promise<Browser> {
  await insertAccountIfAbsent(t.database.db, { email, phone: null, displayName: name, passwordHash: await hashPassword('petugas wilayah 2026'), role: 'officer', regionCode })
  const b = new Browser(t.app)
  expect((await b.login(email, 'petugas wilayah 2026')).statusCode).toBe(303)
  return b
}

/** Registers a person with consent; returns their account id. */
async function register(b: Browser, fields: Record<string, string>): Promise<string> {
  const res = await post(b, '/petugas/daftar', { consent: 'ya', consentMethod: 'spoken', ...fields })
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
  const m = /^\/petugas\/orang\/([0-9a-f-]{36})\?hasil=baru$/.exec(String(res.headers.location))
  expect(m).not.toBeNull()
  return m![1]!
}

async function smsCode(phone: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', phone)
    .where('template', '=', 'accounts.verify-phone')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  return /(\d{6})/.exec(row.text_body)![1]!
}

function auditOf(accountId: string) {
  return t.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'actor_role', 'details']).where('subject_id', '=', accountId).orderBy('seq').execute()
}

async function completeProfile(b: Browser, id: string, p: Person, opts: { identityDone?: boolean } = {}) {
  const base = `/petugas/orang/${id}/profil`
  if (!opts.identityDone) {
    expect((await post(b, `${base}/identitas`, { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })).headers.location).toBe(`${base}/keluarga`)
    expect((await post(b, `${base}/keluarga`, { kk: p.kk })).headers.location).toBe(`${base}/alamat`)
  }
  const address = { fullName: p.fullName, addressLine: 'Jorong Koto Tuo No. 7', rt: '2', rw: '4', provinceCode: '13', regencyCode: '13.06', districtCode: '13.06.02' }
  expect((await post(b, `${base}/alamat`, address)).headers.location).toBe(`${base}/pendidikan`)
  const done = await post(b, `${base}/pendidikan`, { education: 'smp', employmentStatus: 'pekerja_lepas', inFormalEducation: 'tidak' })
  expect(done.headers.location).toBe(`/petugas/orang/${id}?hasil=tersimpan#data-diri`)
}

function multipart(fields: Record<string, string>, file: Buffer | null) {
  const boundary = '----karya' + Math.random().toString(16).slice(2)
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="foto.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`), file, Buffer.from('\r\n'))
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

async function upload(b: Browser, id: string, kind: string, bytes: Buffer) {
  const token = await b.csrfFrom('/petugas/daftar')
  const m = multipart({ _csrf: token, kind }, bytes)
  return b.request({ method: 'POST', url: `/petugas/orang/${id}/dokumen`, headers: m.headers, payload: m.payload })
}

async function activateWith(identifier: string, code: string, password: string) {
  const anon = new Browser(t.app)
  return { anon, res: await post(anon, '/aktivasi', { identifier, code, password }, '/aktivasi') }
}

async function printSlip(b: Browser, id: string): Promise<{ code: string; reference: string }> {
  const res = await post(b, `/petugas/orang/${id}/slip`, {})
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
  expect(res.headers['cache-control']).toBe('no-store')
  const code = /<strong class="nowrap">([A-Z2-9]{4}-[A-Z2-9]{4})<\/strong>/.exec(res.body)
  const reference = /<strong class="nowrap">(KRY-[A-Z2-9]{4}-[A-Z2-9]{4})<\/strong>/.exec(res.body)
  expect(code).not.toBeNull()
  expect(reference).not.toBeNull()
  return { code: code![1]!, reference: reference![1]! }
}

beforeAll(async () => {
  t = await startTestApp()
  officer = await loggedIn(t.app, 'officer')
  officerId = (await t.database.db.selectFrom('accounts').select('id').where('email', '=', 'petugas@karya.test').executeTakeFirstOrThrow()).id
  colleague = await staff('petugas-agam2@karya.test', '13.06', 'Rahmat Saputra')
  bogor = await staff('petugas-bogor@karya.test', '32.01', 'Agus Setiawan')
  const today = todayInJakarta()
  for (const p of generatePeople({ seed: 42, size: 400 })) {
    const age = ageOn(p.dateOfBirth, today)
    if (age >= 20 && age <= 60 && people.length < 4) people.push(p)
  }
})
afterAll(async () => t?.close())

describe('assisted registration', () => {
  it('saves nothing until the person has agreed and the officer said how', async () => {
    const before = await t.database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const page = await get(officer, '/petugas/daftar')
    expect(page.body).toContain('Saya setuju didaftarkan')
    expect(page.body).toContain('I agree to be registered')
    expect(page.body).toContain(CONSENT_VERSION)

    const noConsent = await post(officer, '/petugas/daftar', { consentMethod: 'spoken', name: 'Tanpa Setuju', phone: '081234567990' })
    expect(noConsent.statusCode).toBe(400)
    expect(noConsent.body).toContain('Persetujuan orang yang didaftarkan harus dicatat dulu')
    const noMethod = await post(officer, '/petugas/daftar', { consent: 'ya', name: 'Tanpa Cara', phone: '081234567990' })
    expect(noMethod.statusCode).toBe(400)
    expect(noMethod.body).toContain('Pilih cara ia menyatakan setuju')

    const after = await t.database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
    expect(await t.database.db.selectFrom('assisted_registrations').selectAll().execute()).toEqual([])
    expect(await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', '+6281234567990').execute()).toEqual([])
  })

  it('registers a person with a phone: the SMS says who and where, the person reads the code out, the profile and photos follow, the registry checks start', async () => {
    const p = people[0]!
    const id = await register(officer, { name: p.fullName, phone: '0812-3456-7001', email: '' })
    const reg = await t.database.db.selectFrom('assisted_registrations').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow()
    expect(reg).toMatchObject({ registered_by: officerId, region_code: '13.06', consent_method: 'spoken', consent_version: CONSENT_VERSION, activated_at: null })
    expect(reg.consent_at).toBeInstanceOf(Date)
    const account = await t.database.db.selectFrom('accounts').select(['status', 'password_hash', 'phone', 'phone_verified_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(account).toMatchObject({ status: 'pending', password_hash: null, phone: '+6281234567001', phone_verified_at: null })

    const told = await t.database.db.selectFrom('mail_outbox').select(['channel', 'text_body']).where('to_address', '=', '+6281234567001').where('template', '=', 'assisted.registered').executeTakeFirstOrThrow()
    expect(told.channel).toBe('sms')
    expect(told.text_body).toContain('Yusuf Hidayat')
    expect(told.text_body).toContain('Kabupaten Agam')
    expect(told.text_body).toContain('/aktivasi')
    const inbox = await t.database.db.selectFrom('inbox_messages').select('subject').where('account_id', '=', id).execute()
    expect(inbox.map((m) => m.subject)).toContain('Anda didaftarkan oleh petugas Karya / An officer registered you')

    const first = await smsCode('+6281234567001')
    expect((await post(officer, `/petugas/orang/${id}/telepon/kirim-ulang`, {})).headers.location).toBe(`/petugas/orang/${id}?hasil=kirim#hp`)
    expect((await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', '+6281234567001').where('template', '=', 'accounts.verify-phone').execute()).length).toBe(2)
    const wrong = await post(officer, `/petugas/orang/${id}/telepon`, { code: first === '000000' ? '111111' : '000000' })
    expect(wrong.statusCode).toBe(400)
    const right = await post(officer, `/petugas/orang/${id}/telepon`, { code: await smsCode('+6281234567001') })
    expect(right.headers.location).toBe(`/petugas/orang/${id}?hasil=hp#hp`)
    expect((await t.database.db.selectFrom('accounts').select('phone_verified_at').where('id', '=', id).executeTakeFirstOrThrow()).phone_verified_at).toBeInstanceOf(Date)

    // The domicile must be in the officer's regency; nothing of that submission is kept.
    expect((await post(officer, `/petugas/orang/${id}/profil/identitas`, { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })).statusCode).toBe(303)
    expect((await post(officer, `/petugas/orang/${id}/profil/keluarga`, { kk: p.kk })).statusCode).toBe(303)
    const outside = await post(officer, `/petugas/orang/${id}/profil/alamat`, {
      fullName: p.fullName, addressLine: 'Jalan Raya Cibinong 1', rt: '1', rw: '1', provinceCode: '32', regencyCode: '32.01', districtCode: '32.01.01',
    })
    expect(outside.statusCode).toBe(400)
    expect(outside.body).toContain('Domisili orang ini di luar wilayah kerja Anda')
    expect((await t.database.db.selectFrom('registration_profiles').select('regency_code').where('account_id', '=', id).executeTakeFirstOrThrow()).regency_code).toBeNull()
    await completeProfile(officer, id, p, { identityDone: true })
    const profile = await t.database.db.selectFrom('registration_profiles').select(['completed_at', 'regency_code']).where('account_id', '=', id).executeTakeFirstOrThrow()
    expect(profile).toMatchObject({ regency_code: '13.06' })
    expect(profile.completed_at).toBeInstanceOf(Date)
    const checks = await t.database.db.selectFrom('registration_checks').select(['kind', 'outcome']).where('account_id', '=', id).execute()
    expect(checks.map((c) => c.kind).sort()).toEqual(['civil_registry', 'education', 'exclusions'])

    // Photos from the officer's camera, judged like the person's own uploads.
    const ktp = await upload(officer, id, 'ktp', await textLikeImage(1000, 640))
    expect(ktp.headers.location).toBe(`/petugas/orang/${id}?hasil=diterima#dokumen-ktp`)
    const dark = await upload(officer, id, 'selfie', await textLikeImage(640, 640, { dark: true }))
    expect(dark.headers.location).toBe(`/petugas/orang/${id}?hasil=ditolak#dokumen-selfie`)
    const page = await get(officer, `/petugas/orang/${id}?hasil=ditolak`)
    expect(page.body).toContain('Foto terlalu gelap')
    expect(page.body).toContain('capture="user"')
    expect(page.body).toContain('capture="environment"')
    const docs = await t.database.db.selectFrom('documents').select(['kind', 'outcome']).where('account_id', '=', id).orderBy('created_at').execute()
    expect(docs).toEqual([{ kind: 'ktp', outcome: 'accepted' }, { kind: 'selfie', outcome: 'rejected' }])

    // Every step, with the officer and the person.
    const trail = await auditOf(id)
    const actions = trail.map((e) => e.action)
    for (const a of ['assisted.consent_recorded', 'assisted.registered', 'assisted.phone_code_sent', 'assisted.phone_verify_refused', 'assisted.phone_verified', 'assisted.profile_step', 'assisted.document_uploaded', 'assisted.viewed']) {
      expect(actions, a).toContain(a)
    }
    expect(trail.filter((e) => e.action === 'assisted.profile_step').map((e) => (e.details as { outcome: string }).outcome)).toEqual(['saved', 'saved', 'refused', 'saved', 'saved'])
    expect(trail.every((e) => e.actor_id === officerId && e.actor_role === 'officer')).toBe(true)
  })

  it('lets a colleague of the same regency help, and keeps the person out of reach of another regency', async () => {
    const id = (await t.database.db.selectFrom('assisted_registrations').select('account_id').executeTakeFirstOrThrow()).account_id
    const seen = await get(colleague, `/petugas/orang/${id}`)
    expect(seen.statusCode).toBe(200)
    expect(seen.body).toContain('Yusuf Hidayat')

    expect((await get(bogor, `/petugas/orang/${id}`)).statusCode).toBe(404)
    expect((await post(bogor, `/petugas/orang/${id}/profil/pendidikan`, { education: 'sd', employmentStatus: 'phk', inFormalEducation: 'tidak' })).statusCode).toBe(404)
    expect((await post(bogor, `/petugas/orang/${id}/slip`, {})).statusCode).toBe(404)
    expect((await get(bogor, '/petugas')).body).not.toContain(people[0]!.fullName)
    const refused = (await auditOf(id)).filter((e) => e.action === 'assisted.refused')
    expect(refused.length).toBe(3)
    expect(refused.every((e) => (e.details as { reason: string }).reason === 'other_region')).toBe(true)

    // And the other way round: Bogor's person does not exist for Agam's officers.
    const theirs = await register(bogor, { name: 'Dedi Kurniawan', noPhone: 'ya' })
    expect((await get(officer, `/petugas/orang/${theirs}`)).statusCode).toBe(404)
    expect((await post(officer, `/petugas/orang/${theirs}/telepon/kirim-ulang`, {})).statusCode).toBe(404)
    expect((await get(officer, '/petugas')).body).not.toContain('Dedi Kurniawan')
  })

  it('refuses a NIK already registered, as self sign-up does', async () => {
    const id = await register(officer, { name: 'Orang Kedua', noPhone: 'ya' })
    const p = people[0]!
    const res = await post(officer, `/petugas/orang/${id}/profil/identitas`, { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('sudah terdaftar di akun lain')
    const signal = await t.database.db.selectFrom('fraud_signals').select('kind').where('account_id', '=', id).executeTakeFirstOrThrow()
    expect(signal.kind).toBe('nik_reused')
    const audit = (await auditOf(id)).find((e) => e.action === 'assisted.profile_step')
    expect(audit?.details).toMatchObject({ step: 'identitas', outcome: 'refused', code: 'NIK_TAKEN' })
  })

  it('the person with a phone activates by SMS, logs in with the phone, and the officer can no longer edit', async () => {
    const id = (await t.database.db.selectFrom('accounts').select('id').where('phone', '=', '+6281234567001').executeTakeFirstOrThrow()).id
    const anon = new Browser(t.app)
    const asked = await post(anon, '/aktivasi/sms', { smsIdentifier: '0812 3456 7001' }, '/aktivasi')
    expect(asked.headers.location).toBe('/aktivasi?sms=1')
    // An unknown number gets the same answer and no message.
    expect((await post(anon, '/aktivasi/sms', { smsIdentifier: '0812 9999 0000' }, '/aktivasi')).headers.location).toBe('/aktivasi?sms=1')
    expect(await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', '+6281299990000').execute()).toEqual([])

    const { res } = await activateWith('081234567001', await smsCode('+6281234567001'), 'kebun kopi di agam')
    expect(res.statusCode, res.body.slice(0, 400)).toBe(200)
    expect(res.body).toContain('Akun Anda sudah aktif')
    const account = await t.database.db.selectFrom('accounts').select(['status', 'password_hash']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(account.status).toBe('active')
    expect(account.password_hash).not.toBeNull()
    const activated = (await auditOf(id)).find((e) => e.action === 'assisted.activated')
    expect(activated).toMatchObject({ actor_id: id, actor_role: 'participant', details: { via: 'sms' } })
    const inbox = await t.database.db.selectFrom('inbox_messages').select('subject').where('account_id', '=', id).execute()
    expect(inbox.map((m) => m.subject)).toContain('Akun Karya Anda sudah aktif / Your Karya account is active')

    // Log-in by phone number, then the SMS code, as any participant with a verified phone.
    const person = new Browser(t.app)
    const login = await person.login('0812 3456 7001', 'kebun kopi di agam')
    expect(login.headers.location).toBe('/masuk/kode')
    const code = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', '+6281234567001').where('template', '=', 'accounts.login-code').executeTakeFirstOrThrow()
    const full = await post(person, '/masuk/kode', { code: /(\d{6})/.exec(code.text_body)![1]! }, '/masuk/kode')
    expect(full.headers.location).toBe('/beranda')
    expect((await get(person, '/profil')).body).toContain('Data diri lengkap')

    // The data is the person's now.
    expect((await get(officer, `/petugas/orang/${id}`)).statusCode).toBe(409)
    const edit = await post(officer, `/petugas/orang/${id}/profil/pendidikan`, { education: 'sd', employmentStatus: 'phk', inFormalEducation: 'tidak' })
    expect(edit.statusCode).toBe(409)
    expect(edit.body).toContain('sudah mengaktifkan akunnya sendiri')
    expect((await t.database.db.selectFrom('registration_profiles').select('education').where('account_id', '=', id).executeTakeFirstOrThrow()).education).toBe('smp')
    expect((await post(officer, `/petugas/orang/${id}/slip`, {})).statusCode).toBe(409)
    expect((await get(officer, '/petugas')).body).toContain('Sudah diaktifkan sendiri')
    // Activating again is refused.
    expect((await activateWith('081234567001', '123456', 'kebun kopi di agam')).res.statusCode).toBe(400)
  })

  it('the person without a phone gets a slip; a new slip replaces the old code; the code is single-use; the reference logs in', async () => {
    const p = people[1]!
    const id = await register(officer, { name: p.fullName, noPhone: 'ya', consentMethod: 'signed' })
    expect((await t.database.db.selectFrom('assisted_registrations').select('consent_method').where('account_id', '=', id).executeTakeFirstOrThrow()).consent_method).toBe('signed')
    // No phone, no e-mail: the message waits in the inbox.
    expect(await t.database.db.selectFrom('mail_outbox').select('id').where('account_id', '=', id).execute()).toEqual([])
    expect((await t.database.db.selectFrom('inbox_messages').select('body').where('account_id', '=', id).executeTakeFirstOrThrow()).body).toContain('Yusuf Hidayat')
    await completeProfile(officer, id, p)

    const first = await printSlip(officer, id)
    const second = await printSlip(officer, id)
    expect(second.reference).toBe(first.reference)
    const stored = await t.database.db.selectFrom('assisted_activation_codes').select('code_hash').where('account_id', '=', id).execute()
    expect(stored).toHaveLength(2)
    expect(JSON.stringify(stored)).not.toContain(second.code.replace('-', ''))

    const old = await activateWith(first.reference, first.code, 'sawah di lubuk basung')
    expect(old.res.statusCode).toBe(400)
    expect(old.res.body).toContain('kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa')
    const weak = await activateWith(first.reference, second.code, 'pendek')
    expect(weak.res.statusCode).toBe(400)
    expect(weak.res.body).toContain('minimal 8 karakter')

    const ok = await activateWith(second.reference.toLowerCase().replaceAll('-', ' '), second.code.toLowerCase(), 'sawah di lubuk basung')
    expect(ok.res.statusCode, ok.res.body.slice(0, 400)).toBe(200)
    expect(ok.res.body).toContain(second.reference)
    const again = await activateWith(second.reference, second.code, 'sawah lain di agam')
    expect(again.res.statusCode).toBe(400)
    expect((await t.database.db.selectFrom('assisted_activation_codes').select('consumed_at').where('account_id', '=', id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).consumed_at).toBeInstanceOf(Date)
    expect((await auditOf(id)).filter((e) => e.action === 'assisted.activation_code_issued')).toHaveLength(2)

    const person = new Browser(t.app)
    expect((await person.login(second.reference, 'sawah lain di agam')).statusCode).toBe(401)
    const login = await person.login(second.reference, 'sawah di lubuk basung')
    expect(login.headers.location).toBe('/beranda')
    expect((await post(officer, `/petugas/orang/${id}/profil/keluarga`, { kk: p.kk })).statusCode).toBe(409)
  })

  it('refuses an expired activation code, and a code after 5 wrong tries', async () => {
    const id = await register(officer, { name: 'Rina Marlina', noPhone: 'ya' })
    const expiring = await printSlip(officer, id)
    await t.database.db.updateTable('assisted_activation_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', id).execute()
    expect((await activateWith(expiring.reference, expiring.code, 'ladang jagung di agam')).res.statusCode).toBe(400)

    const slip = await printSlip(officer, id)
    for (let i = 0; i < 5; i++) expect((await activateWith(slip.reference, 'AAAA-AAAA', 'ladang jagung di agam')).res.statusCode).toBe(400)
    expect((await activateWith(slip.reference, slip.code, 'ladang jagung di agam')).res.statusCode).toBe(400)
    const account = await t.database.db.selectFrom('accounts').select(['status', 'password_hash']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(account).toEqual({ status: 'pending', password_hash: null })
    // The officer can still help, and a fresh slip works.
    const fresh = await printSlip(officer, id)
    expect((await activateWith(fresh.reference, fresh.code, 'ladang jagung di agam')).res.statusCode).toBe(200)
  })

  it('an unproven phone can neither activate nor log in; the slip and reference still work', async () => {
    const id = await register(officer, { name: 'Budi Hartono', phone: '081234567002' })
    // The number was never proven in front of the officer: its SMS code cannot take the account.
    const sent = await smsCode('+6281234567002')
    expect((await activateWith('081234567002', sent, 'padi dan jagung 2026')).res.statusCode).toBe(400)
    const anon = new Browser(t.app)
    expect((await post(anon, '/aktivasi/sms', { smsIdentifier: '081234567002' }, '/aktivasi')).headers.location).toBe('/aktivasi?sms=1')
    expect(await t.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', '+6281234567002').where('template', '=', 'accounts.verify-phone').execute()).toHaveLength(1)
    const slip = await printSlip(officer, id)
    expect((await activateWith(slip.reference, slip.code, 'padi dan jagung 2026')).res.statusCode).toBe(200)
    const b = new Browser(t.app)
    expect((await b.login('081234567002', 'padi dan jagung 2026')).statusCode).toBe(401)
    expect((await b.login(slip.reference, 'padi dan jagung 2026')).headers.location).toBe('/beranda')
  })

  it('tells a person with e-mail only by e-mail, with a verification link they can use or refuse', async () => {
    const id = await register(officer, { name: 'Sari Dewi', noPhone: 'ya', email: 'sari.dewi@example.id' })
    const mails = await t.database.db.selectFrom('mail_outbox').select(['template', 'channel', 'account_id']).where('to_address', '=', 'sari.dewi@example.id').orderBy('template').execute()
    expect(mails).toEqual([
      { template: 'accounts.verify-email', channel: 'email', account_id: id },
      { template: 'assisted.registered', channel: 'email', account_id: id },
    ])
    const text = (await t.database.db.selectFrom('mail_outbox').select('text_body').where('template', '=', 'assisted.registered').where('account_id', '=', id).executeTakeFirstOrThrow()).text_body
    expect(text).toContain('nomor akun dan kode aktivasi dari slip Anda')
    const taken = await post(officer, '/petugas/daftar', { consent: 'ya', consentMethod: 'spoken', name: 'Sari Lain', noPhone: 'ya', email: 'Sari.Dewi@example.id' })
    expect(taken.statusCode).toBe(409)
  })
})
