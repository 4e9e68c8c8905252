import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, latestSmsCode, Browser, type TestApp } from '../../../test/app.ts'
import { cardWithBalance, testWave } from '../../modules/purchases/testing.ts'

let t: TestApp
let card: string

beforeAll(async () => {
  t = await startTestApp()
  const siti = await t.database.db.selectFrom('accounts').select('id').where('email', '=', 'peserta@karya.test').executeTakeFirstOrThrow()
  const wave = await testWave(t.database.db, t.deps.clock)
  card = await cardWithBalance({ db: t.database.db, clock: t.deps.clock, jobs: t.deps.jobs }, wave, siti.id, 3_500_000)
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

describe('the demo platform and provider, through the partner API only', () => {
  it('a participant finds an offline livestock course, pays with card and code, and the provider takes the voucher', async () => {
    const shopper = new Browser(t.app)
    const list = await shopper.request({ method: 'GET', url: '/sandbox/platform?q=ternak', headers: { accept: 'text/html' } })
    expect(list.statusCode).toBe(200)
    const link = /href="(\/sandbox\/platform\/kursus\/[0-9a-f-]{36})"[^>]*>Beternak ayam kampung/.exec(list.body)
    expect(link, list.body.slice(0, 2000)).not.toBeNull()
    const course = await shopper.request({ method: 'GET', url: link![1]!, headers: { accept: 'text/html' } })
    expect(course.body).toContain('Balai Penyuluhan Pertanian')
    const token = /name="_csrf" value="([^"]+)"/.exec(course.body)![1]!
    const session = /name="sessionId" value="([0-9a-f-]{36})"/.exec(course.body)![1]!

    // A mistyped card number gets the programme's message, not a stack trace.
    const typo = await shopper.request({ method: 'POST', url: `${link![1]}/beli`, headers: form, payload: new URLSearchParams({ _csrf: token, user: 'siti-r', card: '1234567812345678', sessionId: session }).toString() })
    expect(typo.statusCode).toBe(404)
    expect(typo.body).toContain('Nomor kartu Prakerja tidak dikenal')

    const start = await shopper.request({ method: 'POST', url: `${link![1]}/beli`, headers: form, payload: new URLSearchParams({ _csrf: token, user: 'siti-r', card, sessionId: session }).toString() })
    expect(start.statusCode, start.body.slice(0, 500)).toBe(303)
    const otpUrl = start.headers.location as string
    const otpPage = await shopper.request({ method: 'GET', url: otpUrl, headers: { accept: 'text/html' } })
    expect(otpPage.body).toContain('0812-****-0001')
    const otpToken = /name="_csrf" value="([^"]+)"/.exec(otpPage.body)![1]!
    const code = await latestSmsCode(t.database.db, '+6281200000001')
    const pay = await shopper.request({ method: 'POST', url: otpUrl.split('?')[0]!, headers: form, payload: new URLSearchParams({ _csrf: otpToken, otp: code, ke: '' }).toString() })
    expect(pay.statusCode, pay.body.slice(0, 800)).toBe(303)
    const done = await shopper.request({ method: 'GET', url: pay.headers.location as string, headers: { accept: 'text/html' } })
    const voucher = /<strong class="code">(V[0-9A-Z]{11})<\/strong>/.exec(done.body)?.[1]
    expect(voucher, done.body.slice(0, 1500)).toBeDefined()

    // The platform's duplicate confirmation charged nothing: one purchase transfer posted.
    const posts = await t.database.db.selectFrom('ledger_transfers').select('id').where('code', '=', 'purchase').where('kind', '=', 'post').execute()
    expect(posts).toHaveLength(1)

    const me = await loggedIn(t.app, 'participant', t.database.db)
    const mine = await me.request({ method: 'GET', url: '/pelatihan-saya', headers: { accept: 'text/html' } })
    expect(mine.body).toContain('Beternak ayam kampung dan petelur untuk pemula')

    const desk = new Browser(t.app)
    const deskPage = await desk.request({ method: 'GET', url: '/sandbox/lp', headers: { accept: 'text/html' } })
    const deskToken = /name="_csrf" value="([^"]+)"/.exec(deskPage.body)![1]!
    const redeemed = await desk.request({ method: 'POST', url: '/sandbox/lp/voucher', headers: form, payload: new URLSearchParams({ _csrf: deskToken, voucher: voucher! }).toString() })
    expect(redeemed.statusCode).toBe(200)
    expect(redeemed.body).toContain('Voucher diterima: Siti Rahmawati terdaftar.')
    const again = await desk.request({ method: 'POST', url: '/sandbox/lp/voucher', headers: form, payload: new URLSearchParams({ _csrf: deskToken, voucher: voucher! }).toString() })
    expect(again.body).toContain('Kode ini sudah dipakai')
  })
})
