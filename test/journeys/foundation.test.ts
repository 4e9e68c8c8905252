/**
 * The first journeys a real person takes through Karya, in a real Chromium against a real
 * port: reading the home page on a phone, logging in, reading the inbox, the PMO audit log,
 * and a wrong address. Each asserts what the person sees.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core'
import type { AddressInfo } from 'node:net'
import { startTestApp, demoEmail, type TestApp } from '../app.ts'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import {
  blocking,
  checkAccessibility,
  describeViolations,
  launchBrowser,
  newJourney,
  screenshot,
  watchProblems,
  follow,
  expectFitsScreen,
  waitUntil,
  type Violation,
} from './browser.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

let t: TestApp
let browser: Browser
let baseURL: string
const contexts: BrowserContext[] = []
const allViolations: Violation[] = []

beforeAll(async () => {
  t = await startTestApp({ runWorkers: true })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  baseURL = `http://127.0.0.1:${port}`
  browser = await launchBrowser()
})

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()))
})

afterAll(async () => {
  if (allViolations.length > 0) {
    console.info(`axe-core found ${allViolations.length} violation(s):\n${describeViolations(allViolations)}`)
  } else {
    console.info('axe-core found no WCAG 2 A/AA violations on the pages checked.')
  }
  await browser?.close()
  await t?.close()
})

async function journey(opts: { phone?: boolean; javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await newJourney(browser, { baseURL, ...opts })
  contexts.push(context)
  const page = await context.newPage()
  return { page, problems: watchProblems(page) }
}

/** Runs axe, keeps every violation for the report, and fails on serious or critical ones. */
async function expectAccessible(page: Page): Promise<void> {
  const found = await checkAccessibility(page)
  allViolations.push(...found)
  expect(blocking(found), describeViolations(found)).toEqual([])
}

async function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang')
}

async function login(page: Page, email: string, password: string): Promise<Response> {
  await page.getByLabel('Alamat e-mail').fill(email)
  await page.getByLabel('Kata sandi').fill(password)
  return follow(page, page.locator('form[action="/masuk"]').getByRole('button', { name: 'Masuk' }))
}

describe('journeys: foundation', () => {
  it('a newcomer reads the home page on a small phone, in Bahasa Indonesia, then in English', async () => {
    const { page, problems } = await journey({ phone: true })
    const res = await page.goto('/')
    expect(res?.status()).toBe(200)
    expect(await htmlLang(page)).toBe('id')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Kartu Prakerja bersama Karya')
    expect(await page.getByRole('heading', { name: 'Cara kerjanya' }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'Masuk ke akun' }).isVisible()).toBe(true)

    await expectFitsScreen(page)
    await expectAccessible(page)
    await screenshot(page, 'home')

    const english = page.getByRole('link', { name: 'English' })
    expect(await english.getAttribute('hreflang')).toBe('en')
    await follow(page, english)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await htmlLang(page)).toBe('en')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('The Pre-employment Card with Karya')
    expect(await page.getByRole('heading', { name: 'How it works' }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'Bahasa Indonesia' }).isVisible()).toBe(true)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  it('the home page and the language switch work with JavaScript turned off', async () => {
    const { page } = await journey({ phone: true, javaScriptEnabled: false })
    await page.goto('/')
    expect(await htmlLang(page)).toBe('id')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Kartu Prakerja bersama Karya')
    await follow(page, page.getByRole('link', { name: 'English' }))
    expect(await htmlLang(page)).toBe('en')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('The Pre-employment Card with Karya')
    await follow(page, page.getByRole('link', { name: 'Bahasa Indonesia' }))
    expect(await htmlLang(page)).toBe('id')
  })

  it('the demo participant logs in, reads the welcome message and logs out', async () => {
    const { page, problems } = await journey({ phone: true })
    const email = demoEmail('participant')
    await page.goto('/')
    await follow(page, page.getByRole('banner').getByRole('link', { name: 'Masuk' }))
    expect(new URL(page.url()).pathname).toBe('/masuk')
    await expectAccessible(page)
    await expectFitsScreen(page)

    // A wrong password: the reason is shown at the top, the e-mail typed is kept, the password is not.
    const refused = await login(page, email, 'not-the-password')
    expect(refused?.status()).toBe(401)
    const summary = page.locator('.error-summary[role=alert]')
    expect(await summary.isVisible()).toBe(true)
    expect(await summary.textContent()).toContain('E-mail atau kata sandi salah')
    expect(await summary.getByRole('link').getAttribute('href')).toBe('#email')
    expect(await page.getByLabel('Alamat e-mail').inputValue()).toBe(email)
    expect(await page.getByLabel('Kata sandi').inputValue()).toBe('')
    await expectAccessible(page)

    // The right password asks for the code sent by SMS; the newcomer reads it in the dev mailbox.
    await login(page, email, DEMO_PASSWORD)
    expect(new URL(page.url()).pathname).toBe('/masuk/kode')
    expect(await page.locator('main').textContent()).toContain('0812-****-0001')
    await expectAccessible(page)
    const mailbox = await page.context().newPage()
    await mailbox.goto('/dev/mailbox')
    await follow(mailbox, mailbox.getByRole('link', { name: 'Kode masuk Karya' }).first())
    const code = /Kode masuk Karya: (\d{6})/.exec((await mailbox.locator('pre').textContent()) ?? '')?.[1]
    expect(code).toMatch(/^\d{6}$/)
    await mailbox.close()
    await page.getByLabel('Kode 6 angka').fill(code!)
    await follow(page, page.getByRole('button', { name: 'Lanjut' }))
    expect(new URL(page.url()).pathname).toBe('/beranda')
    expect(await page.locator('.who').textContent()).toBe('Masuk sebagai Siti Rahmawati')
    expect(await page.locator('main .status').textContent()).toBe('1 pesan belum dibaca')
    await expectAccessible(page)
    await expectFitsScreen(page)
    await screenshot(page, 'dashboard')

    await follow(page, page.getByRole('link', { name: 'Buka kotak masuk' }))
    expect(new URL(page.url()).pathname).toBe('/kotak-masuk')
    const message = page.locator('ul.cards > li').filter({ hasText: 'Selamat datang di Karya' })
    expect(await message.count()).toBe(1)
    expect(await message.getByText('Belum dibaca', { exact: true }).isVisible()).toBe(true)
    expect(await message.textContent()).toContain('Halo Siti Rahmawati')
    await expectAccessible(page)
    await expectFitsScreen(page)

    await follow(page, message.getByRole('button', { name: 'Tandai sudah dibaca' }))
    expect(new URL(page.url()).pathname).toBe('/kotak-masuk')
    expect(await message.count()).toBe(1)
    expect(await message.getByText('Belum dibaca', { exact: true }).count()).toBe(0)
    expect(await message.getByRole('button', { name: 'Tandai sudah dibaca' }).count()).toBe(0)

    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Beranda saya' }))
    expect(await page.locator('main .status').textContent()).toBe('0 pesan belum dibaca')

    await follow(page, page.getByRole('banner').getByRole('button', { name: 'Keluar' }))
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.getByRole('banner').getByRole('link', { name: 'Masuk' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Keluar' }).count()).toBe(0)
    expect(await page.locator('.who').count()).toBe(0)

    // The session really ended: the dashboard now sends the person to the login form, and back after it.
    await page.goto('/beranda')
    const url = new URL(page.url())
    expect(url.pathname).toBe('/masuk')
    expect(url.searchParams.get('next')).toBe('/beranda')
    expect(await page.locator('form[action="/masuk"] input[name=next]').inputValue()).toBe('/beranda')
    // The only refusal was the wrong password.
    expect(problems).toEqual(['HTTP 401 /masuk'])
  })

  it('the PMO admin sees an intact audit chain that lists their own login', async () => {
    const { page, problems } = await journey()
    await page.goto('/masuk')
    await login(page, demoEmail('pmo_admin'), DEMO_PASSWORD)
    expect(new URL(page.url()).pathname).toBe('/staf')

    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Log audit' }))
    expect(new URL(page.url()).pathname).toBe('/pmo/audit')
    expect(await page.locator('main').textContent()).toContain('belum pernah diperiksa')

    // The check runs as a background job; the page says so, and shows the result once done.
    await follow(page, page.getByRole('button', { name: 'Periksa rantai sekarang' }))
    expect(await page.locator('main .notice[role=status]').textContent()).toContain('berjalan di latar belakang')
    // (Asked of the page, not the queue: the demo data also queues jobs due weeks from now.)
    const chain = page.locator('main .status.ok')
    await waitUntil('the chain check shown', async () => {
      await page.goto('/pmo/audit')
      return (await chain.count()) > 0
    }, 30_000)
    expect(await chain.textContent()).toMatch(/^Utuh: [1-9]\d* entri diperiksa/)

    const loginRow = page.locator('tbody tr').filter({ has: page.locator('code', { hasText: /^auth\.login$/ }) })
    expect(await loginRow.count()).toBeGreaterThanOrEqual(1)
    expect(await loginRow.first().textContent()).toContain('pmo_admin')
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  it('an unknown address shows the error page with its code and a request number', async () => {
    const { page, problems } = await journey({ phone: true })
    const res = await page.goto('/halaman-yang-tidak-ada')
    expect(res?.status()).toBe(404)
    expect(await htmlLang(page)).toBe('id')
    const summary = page.locator('.error-summary[role=alert]')
    await expect(summary.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Tidak bisa diproses')
    expect(await summary.textContent()).toContain('Halaman atau data yang dicari tidak ada')
    const codes = summary.locator('code')
    expect(await codes.nth(0).textContent()).toBe('NOT_FOUND')
    const requestNumber = await codes.nth(1).textContent()
    expect(requestNumber).toMatch(UUID)
    expect(requestNumber).toBe(res?.headers()['x-request-id'])
    expect(await summary.textContent()).toContain('Nomor permintaan')
    expect(await page.getByRole('link', { name: 'Kembali ke beranda' }).getAttribute('href')).toBe('/')
    await expectAccessible(page)
    await expectFitsScreen(page)
    // The 404 of the document itself is expected; nothing else may fail.
    expect(problems.filter((p) => !p.includes('/halaman-yang-tidak-ada'))).toEqual([])
  })
})
