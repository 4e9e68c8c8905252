/**
 * A selected participant on a small phone finds an offline livestock course near them in
 * the catalogue, buys it on the demo platform with the card number and the one-time code
 * Karya sends, sees the voucher in Karya, and the demo training provider redeems it. The
 * demo platform and provider use only the signed partner API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { hashPassword } from '../../src/modules/accounts/index.ts'
import { participant } from '../../src/modules/waves/testing.ts'
import { cardWithBalance, testWave } from '../../src/modules/purchases/testing.ts'
import { expectAccessible, follow, logInWithPassword, readDevMailbox, startJourneyApp, type JourneyApp } from './browser.ts'

let j: JourneyApp

beforeAll(async () => {
  j = await startJourneyApp()
})
afterAll(async () => j?.close())

describe('journey: buying a course', () => {
  it('finds an offline livestock course nearby, pays on the demo platform with card and code, sees the voucher, and the provider redeems it', async () => {
    const { t } = j
    const person = await participant(t.database.db, t.deps.identity, { passwordHash: await hashPassword(DEMO_PASSWORD), withPhone: false, regency: '13.06' })
    const wave = await testWave(t.database.db, t.deps.clock)
    const card = await cardWithBalance({ db: t.database.db, clock: t.deps.clock, jobs: t.deps.jobs }, wave, person.accountId, 3_500_000)
    const { page, problems } = await logInWithPassword(j, person.email, DEMO_PASSWORD, { phone: true })
    const context = page.context()

    // The catalogue: livestock, face to face, in her province, within her balance.
    await page.goto('/katalog')
    await page.getByLabel('Kategori').selectOption('livestock')
    await page.getByLabel('Cara belajar').selectOption('offline')
    await page.getByLabel('Provinsi (untuk pelatihan luring)').selectOption('13')
    await page.getByText('Hanya yang terjangkau saldo saya').click()
    await follow(page, page.getByRole('button', { name: 'Cari' }))
    await expectAccessible(page)
    await follow(page, page.getByRole('link', { name: 'Beternak ayam kampung dan petelur untuk pemula' }))
    expect(await page.locator('main').textContent()).toContain('Padang Pariaman')
    await expectAccessible(page)

    // On to the platform's own page for the course.
    await follow(page, page.getByRole('link', { name: 'Beli di Belajar Nusantara' }))
    expect(new URL(page.url()).pathname).toMatch(/^\/sandbox\/platform\/kursus\//)
    await expectAccessible(page)
    await page.getByLabel('Nama akun Anda di Belajar Nusantara').fill('siti-padang')
    await page.getByLabel('Nomor Kartu Prakerja (16 angka)').fill(card.replace(/(\d{4})(?=\d)/g, '$1 '))
    await follow(page, page.getByRole('button', { name: 'Bayar dengan Kartu Prakerja' }))
    expect(await page.locator('h1').textContent()).toBe('Masukkan kode OTP')
    const otp = await readDevMailbox(context, person.email, /Kode OTP Karya: (\d{6})/, 'Kode OTP')
    await page.getByLabel('Kode OTP').fill(otp)
    await follow(page, page.getByRole('button', { name: 'Bayar' }))
    const done = (await page.locator('main').textContent()) ?? ''
    const voucher = /Kode voucher: (V[0-9A-Z]{11})/.exec(done)?.[1]
    expect(voucher, done).toBeDefined()
    await expectAccessible(page)

    // Back in Karya: the voucher and the timeline; the balance went down once.
    await page.goto('/pelatihan-saya')
    const mine = (await page.locator('main').textContent()) ?? ''
    expect(mine).toContain(voucher!.replace(/^(.{4})(.{4})(.{4})$/, '$1-$2-$3'))
    expect(mine).toContain('Terbayar — tukarkan voucher')
    await expectAccessible(page)
    await page.goto('/saldo')
    expect(await page.locator('main').textContent()).toMatch(/Rp\s?2\.000\.000/)

    // At the training provider's desk.
    await page.goto('/sandbox/lp')
    await page.getByLabel('Kode voucher dari peserta').fill(voucher!)
    await follow(page, page.getByRole('button', { name: 'Tukar' }))
    expect(await page.getByRole('status').textContent()).toMatch(/Voucher diterima: .* terdaftar\. Kode redeem sesi: R[0-9A-Z]{7}/)
    await expectAccessible(page)
    await page.goto('/pelatihan-saya')
    expect(await page.locator('main').textContent()).toContain('Sedang belajar')
    expect(problems).toEqual([])
  })
})
