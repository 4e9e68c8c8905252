/**
 * Opening night on a small phone in a real Chromium, with JavaScript off: the waiting room
 * admits one person a second and the line has formed. The person sees the waiting page (the
 * opening draw, then a position), reloads it without losing the place, waits while the page
 * refreshes itself, is let into the form and registers. The waiting page is checked with axe
 * and must fit the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { blocking, checkAccessibility, describeViolations, expectFitsScreen, follow, readDevMailbox, startJourneyApp, watchProblems, type JourneyApp } from './browser.ts'

let j: JourneyApp

beforeAll(async () => {
  j = await startJourneyApp({
    env: { WAITING_ROOM_ENABLED: 'true', WAITING_ROOM_RATE: '1', WAITING_ROOM_OPENING_SECONDS: '6', WAITING_ROOM_REFRESH_MS: '0' },
  })
})
afterAll(async () => j?.close())

/**
 * axe on the waiting page's markup, less its refresh (the check outlasts the 5-second interval,
 * and the refresh would pull the page away mid-check). axe's meta-refresh rule is thereby set
 * aside for this page: a page that must work without script can only refresh itself this way;
 * it says so with the interval, reloads the same address, loses nothing, and a link does the
 * same by hand (WCAG 2.2.1's concern).
 */
async function accessibleWhileWaiting(html: string): Promise<void> {
  const copy = await (await j.context({ phone: true })).newPage()
  await copy.setContent(html.replace(/<meta http-equiv="refresh"[^>]*>/, ''))
  const found = blocking(await checkAccessibility(copy))
  expect(found, describeViolations(found)).toEqual([])
  await expectFitsScreen(copy)
  await copy.close()
}

const passOf = async (page: Page) => (await page.context().cookies()).find((c) => c.name === 'karya_antre')?.value

describe('the waiting room on opening night', () => {
  it('shows a place in line, keeps it across a reload, refreshes by itself, admits and lets the person register', async () => {
    // Two people got there first: one takes the second's worth of capacity, the other forms the line.
    for (let i = 0; i < 2; i++) await fetch(`${j.baseURL}/daftar`, { headers: { accept: 'text/html' } })

    const context = await j.context({ phone: true, javaScriptEnabled: false })
    const page = await context.newPage()
    const problems = watchProblems(page)
    const first = await page.goto('/daftar')
    expect(first!.status()).toBe(429)
    expect(Number(await first!.headerValue('retry-after'))).toBeGreaterThan(0)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Anda sudah dalam antrean')
    expect(await page.getByRole('status').textContent()).toMatch(/diundi secara adil|Posisi Anda/)
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toMatch(/^\d+$/)
    const place = await passOf(page)
    expect(place).toMatch(/^t\./)

    // A reload (or a dropped connection and a return) keeps the same signed place.
    await page.reload()
    expect(await passOf(page)).toBe(place)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anda sudah dalam antrean')
    await accessibleWhileWaiting(await page.content())

    // No script: the page's own refresh brings the form when the person's turn comes.
    await page.waitForSelector('form[action="/daftar"]', { timeout: 60_000 })
    // The same number, now an admission.
    expect(await passOf(page)).toMatch(new RegExp(`^a\\.${place!.split('.')[1]}\\.`))
    const email = 'antre.malam@example.id'
    await page.getByLabel('Nama lengkap (sesuai KTP)').fill('Sri Wahyuningsih')
    await page.getByLabel('Alamat e-mail').fill(email)
    await page.getByLabel('Nomor HP').fill('0812 7300 0001')
    await page.getByLabel('Kata sandi').fill('belajar beternak sapi')
    await follow(page, page.getByRole('button', { name: 'Buat akun' }))
    expect(new URL(page.url()).pathname).toBe('/daftar/verifikasi')

    await page.locator('form[action="/daftar/verifikasi/email"]').getByLabel('Kode 6 angka').fill(await readDevMailbox(context, email, /Kode verifikasi e-mail Anda: (\d{6})/))
    await follow(page, page.locator('form[action="/daftar/verifikasi/email"]').getByRole('button'))
    await page.locator('form[action="/daftar/verifikasi/telepon"]').getByLabel('Kode 6 angka').fill(await readDevMailbox(context, '+6281273000001', /Kode verifikasi nomor HP Karya: (\d{6})/))
    await follow(page, page.locator('form[action="/daftar/verifikasi/telepon"]').getByRole('button'))
    expect(new URL(page.url()).pathname).toBe('/beranda')
    // The only refusals were the waiting page's own answers.
    expect(problems.filter((p) => p !== 'HTTP 429 /daftar')).toEqual([])
  }, 120_000)
})
