/**
 * Journey (issue #7): the demo provider takes the voucher, records attendance and reports
 * the completion through its desk (the partner API only); the participant sees the
 * certificate and rates the course; the public page verifies the number and calls a
 * tampered one not valid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, latestSmsCode, Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { cardWithBalance, testWave } from '../../modules/purchases/testing.ts'
import { DEMO_PLATFORM, demoPartnerSecret, injectClient } from './client.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let card: string

beforeAll(async () => {
  t = await startTestApp({ clock })
  const siti = await t.database.db.selectFrom('accounts').select('id').where('email', '=', 'peserta@karya.test').executeTakeFirstOrThrow()
  const wave = await testWave(t.database.db, clock)
  card = await cardWithBalance({ db: t.database.db, clock, jobs: t.deps.jobs }, wave, siti.id, 3_500_000)
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!

describe('the demo provider reports a completion', () => {
  it('the participant sees the certificate at once, rates the course, and anyone can verify the number', async () => {
    const course = await t.database.db.selectFrom('courses').select('id').where('title', '=', 'Beternak ayam kampung dan petelur untuk pemula').executeTakeFirstOrThrow()
    const session = await t.database.db.selectFrom('course_sessions').select(['id', 'starts_at', 'ends_at']).where('course_id', '=', course.id).where('starts_at', '>', clock.now()).orderBy('starts_at').executeTakeFirstOrThrow()
    const platform = injectClient(t.app, { clientCode: DEMO_PLATFORM.clientCode, secret: demoPartnerSecret(t.deps.config.secret, DEMO_PLATFORM.code) }, clock)
    const start = await platform.call<{ id: string }>('POST', '/api/v1/partner/purchases', { orderRef: 'JOURNEY-7', cardNumber: card, courseId: course.id, sessionId: session.id, platformUserRef: 'siti-r' })
    expect(start.status, JSON.stringify(start.body)).toBe(200)
    const id = (start.body as { id: string }).id
    await platform.call('POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: await latestSmsCode(t.database.db, '+6281200000001') })
    const voucher = ((await platform.call<{ voucherCode: string }>('POST', `/api/v1/partner/purchases/${id}/confirm`)).body as { voucherCode: string }).voucherCode
    expect(voucher).toMatch(/^V/)

    const desk = new Browser(t.app)
    const redeemed = await desk.request({ method: 'POST', url: '/sandbox/lp/voucher', headers: form, payload: new URLSearchParams({ _csrf: csrfOf((await desk.request({ method: 'GET', url: '/sandbox/lp' })).body), voucher }).toString() })
    const redeemCode = /Kode redeem sesi: ([0-9A-Z]+) \(/.exec(redeemed.body)?.[1]
    expect(redeemCode, redeemed.body.slice(0, 1500)).toBeDefined()
    clock.set(new Date(session.starts_at.getTime() + 5 * 60_000))
    const attended = await desk.request({ method: 'POST', url: '/sandbox/lp/presensi', headers: form, payload: new URLSearchParams({ _csrf: csrfOf((await desk.request({ method: 'GET', url: '/sandbox/lp' })).body), code: redeemCode! }).toString() })
    expect(attended.body).toContain('Kehadiran dicatat: Siti Rahmawati.')

    clock.set(new Date(session.ends_at.getTime() + 2 * 3_600_000))
    const deskPage = (await desk.request({ method: 'GET', url: '/sandbox/lp' })).body
    expect(deskPage).toContain('Laporkan kelulusan')
    const report = {
      _csrf: csrfOf(deskPage),
      reportId: /name="reportId" value="([^"]+)"/.exec(deskPage)![1]!,
      voucher,
      grade: '88',
      completedAt: /name="completedAt" type="datetime-local" required value="([^"]+)"/.exec(deskPage)![1]!,
      certNumber: 'LPTM/2026/0042',
      certUrl: 'http://lp-tani-maju.example/sertifikat/42.pdf',
    }
    const notHttps = await desk.request({ method: 'POST', url: '/sandbox/lp/kelulusan', headers: form, payload: new URLSearchParams(report).toString() })
    expect(notHttps.statusCode).toBe(422)
    expect(notHttps.body).toContain('certificateUrl harus alamat https://')
    const done = await desk.request({ method: 'POST', url: '/sandbox/lp/kelulusan', headers: form, payload: new URLSearchParams({ ...report, certUrl: 'https://lp-tani-maju.example/sertifikat/42.pdf' }).toString() })
    expect(done.statusCode, done.body.slice(0, 1500)).toBe(200)
    const number = /Sertifikat Karya: (KRY-[0-9A-Z-]{14})/.exec(done.body)?.[1]
    expect(number, done.body.slice(0, 1500)).toBeDefined()
    const twice = await desk.request({ method: 'POST', url: '/sandbox/lp/kelulusan', headers: form, payload: new URLSearchParams({ ...report, certUrl: 'https://lp-tani-maju.example/sertifikat/42.pdf' }).toString() })
    expect(twice.body).toContain('sudah pernah dikirim')

    const me = await loggedIn(t.app, 'participant', t.database.db)
    const mine = await me.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })
    expect(mine.body).toContain(number!)
    expect(mine.body).toContain('Pelatihan selesai, sertifikat terbit')
    const pdf = await me.request({ method: 'GET', url: `/pelatihan-saya/${id}/sertifikat.pdf` })
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4')
    expect(pdf.rawPayload.toString('latin1')).toContain(`(Periksa keaslian / Verify: ${t.deps.config.publicUrl.replace(/\/$/, '')}/sertifikat/${number}) Tj`)
    expect(pdf.rawPayload.toString('latin1')).toContain('(Siti Rahmawati) Tj')
    const stranger = await loggedIn(t.app, 'pmo_admin', t.database.db)
    expect((await stranger.request({ method: 'GET', url: `/pelatihan-saya/${id}/sertifikat.pdf` })).statusCode).toBe(403)
    const rated = await me.request({ method: 'POST', url: `/pelatihan-saya/${id}/ulasan`, headers: form, payload: new URLSearchParams({ _csrf: csrfOf(mine.body), stars: '4', review: 'Materi kandang dan vaksin jelas sekali.' }).toString() })
    expect(rated.statusCode).toBe(303)
    expect((await me.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })).body).toContain('Ulasan Anda: 4 dari 5 bintang')

    const employer = new Browser(t.app)
    const check = await employer.request({ method: 'GET', url: `/sertifikat/${number}`, headers: { accept: 'text/html' } })
    expect(check.body).toContain('Sertifikat sah / valid')
    expect(check.body).toContain('S. R.')
    expect(check.body).not.toContain('Siti Rahmawati')
    const forged = await employer.request({ method: 'GET', url: `/sertifikat/${number!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`, headers: { accept: 'text/html' } })
    expect(forged.statusCode).toBe(404)
    expect(forged.body).toContain('tidak valid / not valid')
  })
})
