/**
 * The wave pages over HTTP: PMO's console (forms, refusals shown with their reason, the
 * auditor reading only), the public transparency page, the participant's block, join refusal
 * and card page, and the demo wave seeded once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { seedDemo } from '../../demo/seed.ts'
import { DEMO_WAVE_CODE } from './demo.ts'

let t: TestApp
let pmo: Browser
let auditor: Browser
let peserta: Browser

beforeAll(async () => {
  t = await startTestApp()
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
  auditor = await loggedIn(t.app, 'auditor', t.database.db)
  peserta = await loggedIn(t.app, 'participant', t.database.db)
})
afterAll(async () => t?.close())

const html = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

async function post(b: Browser, url: string, form: Record<string, string>, csrfPage: string) {
  const _csrf = await b.csrfFrom(csrfPage)
  return b.request({ method: 'POST', url, headers: html, payload: new URLSearchParams({ _csrf, ...form }).toString() })
}

const form = {
  code: 'G-HTTP',
  name: 'Gelombang HTTP',
  opensAt: '2030-01-01T08:00',
  closesAt: '2030-01-08T23:59',
  nationalQuota: '100',
  quotas: '13=80\n13.06=30',
  preset: '2020',
}

describe('PMO wave console', () => {
  it('lists the demo wave and refuses quotas that do not add up, saying why', async () => {
    const list = await pmo.request({ method: 'GET', url: '/pmo/gelombang', headers: { accept: 'text/html' } })
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(DEMO_WAVE_CODE)
    const res = await post(pmo, '/pmo/gelombang', form, '/pmo/gelombang/baru')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Jumlah kuota wilayah (110) melebihi kuota nasional (100)')
    expect(res.body).toContain('value="G-HTTP"')
  })

  it('creates, commits, and then refuses an edit with the reason; the auditor reads but cannot act', async () => {
    const created = await post(pmo, '/pmo/gelombang', { ...form, quotas: '13=70\n13.06=30' }, '/pmo/gelombang/baru')
    expect(created.statusCode).toBe(303)
    const url = created.headers.location as string
    expect(url).toMatch(/^\/pmo\/gelombang\/[0-9a-f-]{36}$/)
    const committed = await post(pmo, `${url}/komitmen`, {}, url)
    expect(committed.statusCode).toBe(303)
    const page = await pmo.request({ method: 'GET', url, headers: { accept: 'text/html' } })
    const commitment = /<code>([0-9a-f]{64})<\/code>/.exec(page.body)?.[1]
    expect(commitment).toBeDefined()
    const edit = await post(pmo, `${url}/ubah`, { ...form, nationalQuota: '500', quotas: '' }, url)
    expect(edit.statusCode).toBe(409)
    expect(edit.body).toContain('Komitmen gelombang ini sudah diumumkan')
    const draw = await post(pmo, `${url}/undi`, {}, url)
    expect(draw.statusCode).toBe(409)
    expect(draw.body).toContain('Undian hanya bisa dijalankan setelah pendaftaran gelombang ditutup')

    const seen = await auditor.request({ method: 'GET', url, headers: { accept: 'text/html' } })
    expect(seen.statusCode).toBe(200)
    expect(seen.body).toContain(commitment!)
    expect(seen.body).not.toContain('/buka"')
    const acted = await auditor.request({ method: 'POST', url: `${url}/buka`, headers: { accept: 'application/json', 'x-csrf-token': await auditor.csrfFrom('/') } })
    expect(acted.statusCode).toBe(403)

    const publicPage = await t.app.inject({ method: 'GET', url: '/gelombang/G-HTTP', headers: { accept: 'text/html' } })
    expect(publicPage.statusCode).toBe(200)
    expect(publicPage.body).toContain(commitment!)
    expect(publicPage.body).toContain('Undian belum dijalankan')
  })
})

describe('participant pages', () => {
  it('shows the open demo wave on the dashboard and refuses to join before the profile is complete', async () => {
    const home = await peserta.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })
    expect(home.body).toContain('Gelombang Demo 2026 sedang dibuka')
    expect(home.body).toContain('Untuk ikut, lengkapi dulu data diri')
    const res = await post(peserta, `/gelombang/${DEMO_WAVE_CODE}/ikut`, {}, '/gelombang')
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('lengkapi data diri dan tunggu sampai pemeriksaan data dinyatakan lolos')
    const card = await peserta.request({ method: 'GET', url: '/kartu', headers: { accept: 'text/html' } })
    expect(card.body).toContain('Anda belum punya Kartu Prakerja')
  })

  it('lists waves for anyone and hides drafts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/gelombang', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Gelombang Demo 2026')
    const draft = await post(pmo, '/pmo/gelombang', { ...form, code: 'G-DRAFT', name: 'Draf rahasia', quotas: '' }, '/pmo/gelombang/baru')
    expect(draft.statusCode).toBe(303)
    expect((await t.app.inject({ method: 'GET', url: '/gelombang', headers: { accept: 'text/html' } })).body).not.toContain('Draf rahasia')
    expect((await t.app.inject({ method: 'GET', url: '/gelombang/G-DRAFT', headers: { accept: 'text/html' } })).statusCode).toBe(404)
  })
})

describe('demo data', () => {
  it('funds the programme and opens the demo wave once, however often the seed runs', async () => {
    await seedDemo(t.deps)
    const waves = await t.database.db.selectFrom('waves').select(['status']).where('code', '=', DEMO_WAVE_CODE).execute()
    expect(waves).toEqual([{ status: 'open' }])
    const deposits = await t.database.db.selectFrom('ledger_transfers').select('id').where('idempotency_key', '=', 'demo-fund-deposit').execute()
    expect(deposits).toHaveLength(1)
  })
})
