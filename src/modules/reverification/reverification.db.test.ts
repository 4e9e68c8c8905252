/** Getting back in after losing both the inbox and the phone: the request, its proof, and the helpdesk decision. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { applyContactChange } from '../accounts/recovery.service.ts'
import { storeFormUpload } from '../documents/documents.service.ts'
import { blurred, textLikeImage } from '../documents/test-images.ts'
import { createSandboxFaceComparer, rdepsOf } from './index.ts'
import { submitRequest, sweepAbandoned } from './reverification.service.ts'

const NIK = '1306014708950001'
const KK = '1306010101200002'
const DOB = '1995-08-07'
const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

let t: TestApp
let accountId: string
let selfie: Buffer

beforeAll(async () => {
  t = await startTestApp()
  const db = t.database.db
  accountId = (await db.selectFrom('accounts').select('id').where('email', '=', 'peserta@karya.test').executeTakeFirstOrThrow()).id
  const id = t.deps.identity
  const now = new Date()
  await db
    .insertInto('registration_profiles')
    .values({ account_id: accountId, nik_sealed: id.encrypt(NIK), nik_hash: id.lookupHash(NIK), kk_sealed: id.encrypt(KK), kk_hash: id.lookupHash(KK), birth_date: DOB, sex: 'F', drafts: '{}', created_at: now, updated_at: now })
    .execute()
  const ddeps = { db, clock: t.deps.clock, uploadsDir: t.deps.config.uploadsDir, maxBytes: t.deps.config.uploadMaxBytes }
  await storeFormUpload(ddeps, accountId, 'ktp', await textLikeImage(800, 500))
  await storeFormUpload(ddeps, accountId, 'selfie', await textLikeImage(640, 640))
  selfie = await textLikeImage(600, 600)
})
afterAll(async () => t?.close())

function multipart(fields: Record<string, string>, file: Buffer | null) {
  const boundary = '----karya' + Math.random().toString(16).slice(2)
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="selfie"; filename="selfie.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`))
    parts.push(file, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

async function submit(b: Browser, fields: Record<string, string>, file: Buffer | null) {
  const token = await b.csrfFrom('/pulihkan-akun')
  return b.request({ method: 'POST', url: '/pulihkan-akun', ...multipart({ _csrf: token, ...fields }, file) })
}

async function codeSentTo(to: string): Promise<string> {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).where('template', '=', 'reverification.code').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /(\d{6})/.exec(row.text_body)![1]!
}

async function prove(b: Browser, location: string, codes: Record<string, string>) {
  const token = await b.csrfFrom(location)
  return b.request({ method: 'POST', url: location, headers: form, payload: new URLSearchParams({ _csrf: token, ...codes }).toString() })
}

/** Submits and proves a request; returns its row. */
async function provenRequest(fields: Record<string, string>) {
  const b = new Browser(t.app)
  const res = await submit(b, fields, selfie)
  expect(res.statusCode).toBe(303)
  const codes: Record<string, string> = {}
  if (fields.new_email) codes.code_email = await codeSentTo(fields.new_email)
  if (fields.new_phone) codes.code_phone = await codeSentTo(`+62${fields.new_phone.replace(/\D/g, '').slice(1)}`)
  expect((await prove(b, res.headers.location!, codes)).statusCode).toBe(200)
  return t.database.db.selectFrom('reverification_requests').selectAll().orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
}

const strip = (s: string) =>
  s
    .replace(/name="_csrf" value="[^"]+"/g, '')
    .replace(/ref [0-9a-f-]{36}/g, '')
    .replace(/\/pulihkan-akun\/kode\/[\w-]+/g, '')
    .replace(/%2Fkode%2F[\w-]+/g, '')
    .replace(/[\w.]+@example\.id/g, 'E')
    .replace(/\+62\d+/g, 'P')

describe('a request to recover an account', () => {
  it('refuses a blurred selfie or a file that is not a picture, saying what to fix, and keeps what was typed', async () => {
    const b = new Browser(t.app)
    for (const from of ['/masuk', '/lupa-sandi']) expect((await b.request({ method: 'GET', url: from })).body).toContain('href="/pulihkan-akun"')
    const page = await b.request({ method: 'GET', url: '/pulihkan-akun', headers: { accept: 'text/html' } })
    expect(page.body).toMatch(/<input type="file" id="selfie" name="selfie" accept="image\/\*" capture="user"/)
    expect(page.body).toContain('enctype="multipart/form-data"')
    const fields = { nik: NIK, kk: KK, dob: '07-08-1995', new_email: 'siti.pulih@example.id', new_phone: '' }
    const blur = await submit(b, fields, await blurred(selfie))
    expect(blur.statusCode).toBe(400)
    expect(blur.body).toContain('pastikan wajah Anda terlihat jelas')
    expect(blur.body).toContain(`value="${NIK}"`)
    const notImage = await submit(b, fields, Buffer.from('%PDF-1.4 not a photo'))
    expect(notImage.body).toContain('Berkas ini bukan gambar')
    const none = await submit(b, { ...fields, new_email: '', nik: '12345' }, null)
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('NIK terdiri dari 16 angka')
    expect(none.body).toContain('Isi e-mail baru, nomor HP baru, atau keduanya')
    expect(none.body).toContain('Ambil swafoto sekarang')
    expect(await t.database.db.selectFrom('reverification_requests').select('id').execute()).toHaveLength(0)
  })

  it('answers the same whether or not the NIK is registered, and queues only a proven match', async () => {
    const known = new Browser(t.app)
    const unknown = new Browser(t.app)
    // KK right, date of birth wrong: still a match (NIK and one of the two), shown to the agent as such.
    const a = await submit(known, { nik: NIK, kk: KK, dob: '08-08-1995', new_email: 'siti.pulih@example.id', new_phone: '0857-1111-0000' }, selfie)
    const b = await submit(unknown, { nik: '1306014708950009', kk: KK, dob: '07-08-1995', new_email: 'orang.lain@example.id', new_phone: '0857-2222-0000' }, selfie)
    expect(a.statusCode).toBe(303)
    expect(b.statusCode).toBe(303)
    const pageA = await known.request({ method: 'GET', url: a.headers.location!, headers: { accept: 'text/html' } })
    const pageB = await unknown.request({ method: 'GET', url: b.headers.location!, headers: { accept: 'text/html' } })
    expect(strip(pageA.body)).toBe(strip(pageB.body))

    // Not proven yet: nothing reaches the agents.
    const agent = await loggedIn(t.app, 'agent', t.database.db)
    const rows = await t.database.db.selectFrom('reverification_requests').select(['id', 'status', 'selfie_key', 'new_email']).execute()
    expect(rows.map((r) => r.status)).toEqual(['unproven', 'unproven'])
    const queueBefore = await agent.request({ method: 'GET', url: '/bantuan/verifikasi-ulang', headers: { accept: 'text/html' } })
    expect(queueBefore.body).not.toContain('siti.pulih@example.id')
    const matchId = rows.find((r) => r.new_email === 'siti.pulih@example.id')!.id
    expect((await agent.request({ method: 'GET', url: `/bantuan/verifikasi-ulang/${matchId}`, headers: { accept: 'text/html' } })).statusCode).toBe(404)

    // Each new contact needs its own code; a wrong one is refused and nothing is queued.
    const emailCode = await codeSentTo('siti.pulih@example.id')
    const wrong = await prove(known, a.headers.location!, { code_email: emailCode, code_phone: emailCode === '000000' ? '111111' : '000000' })
    expect(wrong.statusCode).toBe(400)
    expect((await t.database.db.selectFrom('reverification_requests').select('status').where('id', '=', matchId).executeTakeFirstOrThrow()).status).toBe('unproven')

    const doneA = await prove(known, a.headers.location!, { code_email: emailCode, code_phone: await codeSentTo('+6285711110000') })
    const doneB = await prove(unknown, b.headers.location!, { code_email: await codeSentTo('orang.lain@example.id'), code_phone: await codeSentTo('+6285722220000') })
    expect(doneA.statusCode).toBe(200)
    expect(doneA.body).toContain('Permintaan diterima')
    expect(strip(doneA.body)).toBe(strip(doneB.body))

    const after = await t.database.db.selectFrom('reverification_requests').select(['new_email', 'status', 'account_id', 'kk_matched', 'dob_matched', 'selfie_key']).execute()
    const match = after.find((r) => r.new_email === 'siti.pulih@example.id')!
    const stranger = after.find((r) => r.new_email === 'orang.lain@example.id')!
    expect(match).toMatchObject({ status: 'queued', account_id: accountId, kk_matched: true, dob_matched: false })
    expect(stranger).toMatchObject({ status: 'unmatched', account_id: null })
    expect(existsSync(path.join(t.deps.config.uploadsDir, stranger.selfie_key))).toBe(false)
    expect(existsSync(path.join(t.deps.config.uploadsDir, match.selfie_key))).toBe(true)
    const signals = await t.database.db.selectFrom('fraud_signals').select('details').where('kind', '=', 'reverification_unmatched').execute()
    expect(signals).toHaveLength(1)
    const received = await t.database.db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('template', '=', 'reverification.received').where('channel', '=', 'email').execute()
    expect(received.map((m) => m.to_address).sort()).toEqual(['orang.lain@example.id', 'siti.pulih@example.id'])
    expect(received[0]!.text_body).toBe(received[1]!.text_body)
  })
})

describe('abandoned requests', () => {
  it('deletes the selfie of a request whose codes were never entered, and that request must start again', async () => {
    const b = new Browser(t.app)
    const res = await submit(b, { nik: '1306014708950007', kk: KK, dob: '07-08-1995', new_email: 'lupa.kode@example.id', new_phone: '' }, selfie)
    expect(res.statusCode).toBe(303)
    const row = await t.database.db.selectFrom('reverification_requests').select(['id', 'selfie_key']).where('new_email', '=', 'lupa.kode@example.id').executeTakeFirstOrThrow()
    const file = path.join(t.deps.config.uploadsDir, row.selfie_key)
    expect(existsSync(file)).toBe(true)
    const deps = { db: t.database.db, clock: t.deps.clock, config: t.deps.config }
    expect(await sweepAbandoned(deps)).toBe(0)
    await t.database.db.updateTable('reverification_requests').set({ code_expires_at: new Date(Date.now() - 2 * 86_400_000) }).where('id', '=', row.id).execute()
    expect(await sweepAbandoned(deps)).toBe(1)
    expect(existsSync(file)).toBe(false)
    const late = await prove(b, res.headers.location!, { code_email: await codeSentTo('lupa.kode@example.id') })
    expect(late.statusCode).toBeGreaterThanOrEqual(400)
    expect((await t.database.db.selectFrom('reverification_requests').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('unproven')
  })
})

describe('the helpdesk queue', () => {
  it('is closed to participants and officers', async () => {
    const id = (await t.database.db.selectFrom('reverification_requests').select('id').where('status', '=', 'queued').executeTakeFirstOrThrow()).id
    for (const role of ['participant', 'officer'] as const) {
      const b = await loggedIn(t.app, role, t.database.db)
      for (const url of ['/bantuan/verifikasi-ulang', `/bantuan/verifikasi-ulang/${id}`, `/bantuan/verifikasi-ulang/${id}/gambar/baru`]) {
        expect((await b.request({ method: 'GET', url, headers: { accept: 'application/json' } })).statusCode, `${role} ${url}`).toBe(403)
      }
    }
  })

  it('shows the pictures side by side with every view audited; approval ends the sessions and applies after the cooling-off period', async () => {
    const participant = await loggedIn(t.app, 'participant', t.database.db)
    const agent = await loggedIn(t.app, 'agent', t.database.db)
    const request = await t.database.db.selectFrom('reverification_requests').selectAll().where('status', '=', 'queued').executeTakeFirstOrThrow()
    const list = await agent.request({ method: 'GET', url: '/bantuan/verifikasi-ulang', headers: { accept: 'text/html' } })
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('Siti Rahmawati')
    expect(list.body).toContain(`/bantuan/verifikasi-ulang/${request.id}`)

    const detail = await agent.request({ method: 'GET', url: `/bantuan/verifikasi-ulang/${request.id}`, headers: { accept: 'text/html' } })
    expect(detail.statusCode).toBe(200)
    for (const which of ['baru', 'ktp', 'swafoto']) expect(detail.body).toContain(`/bantuan/verifikasi-ulang/${request.id}/gambar/${which}`)
    expect(detail.body).toContain('TIDAK cocok')
    for (const which of ['baru', 'ktp', 'swafoto']) {
      const img = await agent.request({ method: 'GET', url: `/bantuan/verifikasi-ulang/${request.id}/gambar/${which}` })
      expect(img.statusCode, which).toBe(200)
      expect(img.headers['content-type']).toBe('image/jpeg')
      expect(img.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    }
    const views = await t.database.db.selectFrom('audit_log').select(['details', 'actor_role']).where('action', '=', 'reverification.image.view').where('subject_id', '=', request.id).execute()
    expect(views.map((v) => v.details.image).sort()).toEqual(['baru', 'ktp', 'swafoto'])
    expect(views.every((v) => v.actor_role === 'agent')).toBe(true)

    const decide = async (b: Browser, decision: string, reason: string) =>
      b.request({ method: 'POST', url: `/bantuan/verifikasi-ulang/${request.id}/keputusan`, headers: form, payload: new URLSearchParams({ _csrf: await b.csrfFrom(`/bantuan/verifikasi-ulang/${request.id}`), decision, reason }).toString() })
    expect((await decide(agent, 'approve', '')).statusCode).toBe(400)
    const approved = await decide(agent, 'approve', 'Wajah cocok dengan foto KTP dan swafoto lama; NIK dan KK cocok.')
    expect(approved.statusCode).toBe(200)
    expect(approved.body).toContain('Disetujui')

    // A second decision, by anyone, is refused.
    const supervisor = await loggedIn(t.app, 'supervisor', t.database.db)
    const again = await decide(supervisor, 'reject', 'Saya tidak setuju dengan keputusan ini.')
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('sudah diputuskan')
    expect((await t.database.db.selectFrom('reverification_requests').select(['status', 'decision_reason']).where('id', '=', request.id).executeTakeFirstOrThrow()).status).toBe('approved')

    expect((await participant.request({ method: 'GET', url: '/beranda', headers: { accept: 'application/json' } })).statusCode).toBe(401)
    const decisions = await t.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', request.id).where('action', '=', 'reverification.approve').execute()
    expect(decisions).toHaveLength(1)
    const notice = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'peserta@karya.test').where('template', '=', 'accounts.email-change-notice').executeTakeFirstOrThrow()
    expect(notice.text_body).toContain('atas permintaan pemulihan akun')
    expect(notice.text_body).toContain('/batal-ganti/')
    const inbox = await t.database.db.selectFrom('inbox_messages').select('body').where('account_id', '=', accountId).execute()
    expect(inbox.some((m) => m.body.includes('akan diganti'))).toBe(true)

    const changes = await t.database.db.selectFrom('contact_changes').selectAll().where('account_id', '=', accountId).where('applied_at', 'is', null).where('cancelled_at', 'is', null).execute()
    expect(changes.map((c) => c.kind).sort()).toEqual(['email', 'phone'])
    for (const c of changes) {
      expect(c.effective_at.getTime() - c.requested_at.getTime()).toBe(72 * 3_600_000)
      await expect(applyContactChange({ db: t.database.db, clock: t.deps.clock, mail: t.deps.mail }, c.id)).rejects.toThrow(/cooling-off/)
      await applyContactChange({ db: t.database.db, clock: { now: () => new Date(c.effective_at.getTime() + 1000) }, mail: t.deps.mail }, c.id)
    }
    const account = await t.database.db.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at']).where('id', '=', accountId).executeTakeFirstOrThrow()
    expect(account).toMatchObject({ email: 'siti.pulih@example.id', phone: '+6285711110000' })
    expect(account.phone_verified_at).not.toBeNull()

    // Then a new password through the normal reset, with the new contact.
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/lupa-sandi')
    await b.request({ method: 'POST', url: '/lupa-sandi', headers: form, payload: new URLSearchParams({ _csrf: token, identifier: 'siti.pulih@example.id' }).toString() })
    const mail = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'siti.pulih@example.id').where('template', '=', 'accounts.password-reset').executeTakeFirstOrThrow()
    const code = /(\d{6})/.exec(mail.text_body)![1]!
    const reset = await b.request({ method: 'POST', url: '/lupa-sandi/atur', headers: form, payload: new URLSearchParams({ _csrf: await b.csrfFrom('/lupa-sandi/atur'), identifier: 'siti.pulih@example.id', code, password: 'sawah hijau di pagi hari' }).toString() })
    expect(reset.body).toContain('Kata sandi sudah diganti')
  })

  it('tells the new contact the reason of a rejection and what to do next', async () => {
    const request = await provenRequest({ nik: NIK, kk: KK, dob: DOB, new_email: 'bukan.siti@example.id', new_phone: '' })
    expect(request.status).toBe('queued')
    const agent = await loggedIn(t.app, 'agent', t.database.db)
    const res = await agent.request({
      method: 'POST',
      url: `/bantuan/verifikasi-ulang/${request.id}/keputusan`,
      headers: form,
      payload: new URLSearchParams({ _csrf: await agent.csrfFrom(`/bantuan/verifikasi-ulang/${request.id}`), decision: 'reject', reason: 'Wajah pada swafoto tidak sama dengan foto KTP.' }).toString(),
    })
    expect(res.statusCode).toBe(200)
    const told = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'bukan.siti@example.id').where('template', '=', 'reverification.rejected').executeTakeFirstOrThrow()
    expect(told.text_body).toContain('Wajah pada swafoto tidak sama dengan foto KTP.')
    expect(told.text_body).toContain('petugas Karya di kantor daerah')
    const audit = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'reverification.reject').where('subject_id', '=', request.id).executeTakeFirstOrThrow()
    expect(audit.details.reason).toBe('Wajah pada swafoto tidak sama dengan foto KTP.')
    // Nothing changes on the account.
    const open = await sql<{ n: number }>`select count(*)::int as n from contact_changes where account_id = ${accountId} and applied_at is null and cancelled_at is null`.execute(t.database.db)
    expect(open.rows[0]!.n).toBe(0)
  })

  it('pre-scores a matching request when a face comparer is wired in (off by default); the agent still decides', async () => {
    const before = await t.database.db.selectFrom('reverification_requests').select('face_score').execute()
    expect(before.every((r) => r.face_score === null)).toBe(true)
    await submitRequest({ ...rdepsOf(t.deps), faceComparer: createSandboxFaceComparer() }, { nik: NIK, kk: KK, dateOfBirth: DOB, email: 'skor@example.id', phone: '', selfie }, '127.0.0.1')
    const row = await t.database.db.selectFrom('reverification_requests').select(['face_score', 'status']).where('new_email', '=', 'skor@example.id').executeTakeFirstOrThrow()
    expect(row.status).toBe('unproven')
    expect(row.face_score).toBeGreaterThan(0)
    expect(row.face_score).toBeLessThanOrEqual(1)
  })
})
