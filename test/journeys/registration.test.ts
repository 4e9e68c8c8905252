/**
 * A new person registers on a small phone, in a real Chromium: sign-up, the codes read in
 * the dev mailbox, the profile in four steps (a NIK typo first), the registry checks, and the
 * online test. Each page is checked with axe and must fit the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../app.ts'
import { generatePeople, type Person } from '../../src/sandboxes/population/index.ts'
import { ageOn, todayInJakarta } from '../../src/modules/registration/index.ts'
import { blocking, checkAccessibility, describeViolations, expectFitsScreen, follow, launchBrowser, newJourney, watchProblems } from './browser.ts'

let t: TestApp
let browser: Browser
let baseURL: string
let context: BrowserContext

beforeAll(async () => {
  t = await startTestApp({ runWorkers: true })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  baseURL = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await launchBrowser()
})
afterAll(async () => {
  await context?.close()
  await browser?.close()
  await t?.close()
})

/** Someone the sandbox civil registry knows, eligible on every list. */
function eligiblePerson(): Person {
  const { seed, size } = t.deps.config.registrySandbox
  for (const p of generatePeople({ seed, size })) {
    const age = ageOn(p.dateOfBirth, todayInJakarta())
    const f = p.flags
    if (age >= 20 && age <= 60 && !f.civilServant && !f.military && !f.police && !f.villageOfficial && !f.stateOfficial && !f.student && f.otherProgrammes.length === 0) return p
  }
  throw new Error('no eligible person in the sandbox population')
}

async function accessible(page: Page): Promise<void> {
  const found = blocking(await checkAccessibility(page))
  expect(found, describeViolations(found)).toEqual([])
  await expectFitsScreen(page)
}

/** Reads the newest message to `to` in the dev mailbox, as a newcomer would. */
async function readMailbox(to: string, pattern: RegExp): Promise<string> {
  const mailbox = await context.newPage()
  await mailbox.goto('/dev/mailbox')
  const row = mailbox.locator('tbody tr').filter({ hasText: to }).first()
  await follow(mailbox, row.getByRole('link'))
  const text = (await mailbox.locator('pre').textContent()) ?? ''
  await mailbox.close()
  const m = pattern.exec(text)
  if (!m) throw new Error(`nothing matching ${pattern} in: ${text}`)
  return m[1]!
}

describe('journey: registration', () => {
  it('a new person signs up, fills the profile in steps, passes the checks and takes the test', async () => {
    const person = eligiblePerson()
    const phone = '0812' + person.nik.slice(-8)
    const email = `peserta.${person.nik.slice(-6)}@example.id`
    context = await newJourney(browser, { baseURL, phone: true })
    const page = await context.newPage()
    const problems = watchProblems(page)

    await page.goto('/')
    await follow(page, page.getByRole('banner').getByRole('link', { name: 'Buat akun' }))
    await accessible(page)
    await page.getByLabel('Nama lengkap (sesuai KTP)').fill(person.fullName)
    await page.getByLabel('Alamat e-mail').fill(email)
    await page.getByLabel('Nomor HP').fill(phone)
    await page.getByLabel('Kata sandi').fill('belajar beternak sapi')
    await follow(page, page.getByRole('button', { name: 'Buat akun' }))
    expect(new URL(page.url()).pathname).toBe('/daftar/verifikasi')
    await accessible(page)

    const emailCode = await readMailbox(email, /Kode verifikasi e-mail Anda: (\d{6})/)
    await page.locator('#code-email').fill(emailCode)
    await follow(page, page.locator('form[action="/daftar/verifikasi/email"]').getByRole('button'))
    const smsCode = await readMailbox(`+62${phone.slice(1)}`, /Kode verifikasi nomor HP Karya: (\d{6})/)
    await page.locator('#code-telepon').fill(smsCode)
    await follow(page, page.locator('form[action="/daftar/verifikasi/telepon"]').getByRole('button'))
    expect(new URL(page.url()).pathname).toBe('/beranda')
    expect(await page.locator('main').textContent()).toContain('0 dari 4 langkah')

    // Step 1 with digits 7 and 8 swapped: the page names them and keeps what was typed.
    await follow(page, page.getByRole('link', { name: 'Lengkapi data diri' }))
    await follow(page, page.locator('main a.button'))
    const swapped = person.nik[6] !== person.nik[7] ? person.nik.slice(0, 6) + person.nik[7] + person.nik[6] + person.nik.slice(8) : person.nik.slice(0, 8) + person.nik[9] + person.nik[8] + person.nik.slice(10)
    await page.getByLabel('NIK (16 angka di KTP)').fill(swapped)
    await page.getByLabel('Tanggal lahir').fill(person.dateOfBirth)
    await page.getByLabel(person.sex === 'F' ? 'Perempuan' : 'Laki-laki').check()
    const refused = await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))
    expect(refused.status()).toBe(400)
    expect(await page.locator('.error-summary').textContent()).toMatch(/digit ke-\d+/)
    expect(await page.getByLabel('NIK (16 angka di KTP)').inputValue()).toBe(swapped)
    await accessible(page)
    await page.getByLabel('NIK (16 angka di KTP)').fill(person.nik)
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))

    await page.getByLabel(/Nomor KK/).fill(person.kk)
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))

    await page.getByLabel('Nama lengkap sesuai KTP').fill(person.fullName)
    await page.getByLabel(/^Alamat/).fill(person.address.line)
    await page.getByLabel('RT').fill(person.address.rt)
    await page.getByLabel('RW').fill(person.address.rw)
    await page.getByLabel('Provinsi domisili').selectOption(person.address.provinceCode)
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))
    await page.getByLabel('Kabupaten/kota domisili').selectOption(person.address.regencyCode)
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))
    await page.getByLabel('Kecamatan domisili').selectOption(person.address.districtCode)
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))
    expect(new URL(page.url()).pathname).toBe('/profil/pendidikan')
    await page.getByLabel('Pendidikan terakhir').selectOption('sma')
    await page.getByLabel('Terkena PHK').check()
    await page.getByRole('group', { name: /sekolah atau kuliah/ }).getByLabel('Tidak').check()
    await follow(page, page.getByRole('button', { name: 'Simpan dan lanjut' }))
    expect(new URL(page.url()).pathname).toBe('/profil')

    // The checks run as jobs against the sandbox registries.
    await t.deps.jobs.waitIdle(60_000)
    await page.goto('/beranda')
    expect(await page.locator('main').textContent()).toContain('Lolos pemeriksaan')
    await accessible(page)

    await page.goto('/tes')
    await follow(page, page.getByRole('button', { name: 'Mulai tes' }))
    for (let n = 1; n <= 12; n++) {
      expect(new URL(page.url()).pathname).toBe(`/tes/soal/${n}`)
      if (n === 1) await accessible(page)
      await page.locator('input[type=radio]').first().check()
      await follow(page, page.getByRole('button', { name: n < 12 ? 'Simpan dan lanjut' : 'Simpan dan selesai' }))
    }
    expect(new URL(page.url()).pathname).toBe('/tes')
    expect(await page.locator('main').textContent()).toMatch(/(Lulus|Belum lulus) tes daring: \d+ dari 8 soal kemampuan benar/)
    expect(problems.filter((p) => !p.startsWith('HTTP 400'))).toEqual([])
  }, 180_000)
})
