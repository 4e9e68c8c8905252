/**
 * Someone who can no longer open their e-mail, on a small phone in a real Chromium: logs in
 * with the password and the SMS code, asks for a new e-mail, proves it with the code sent
 * there, sees when the change takes effect, and the old e-mail and phone get a notice with a
 * cancel link. The app's clock is then moved past the 72-hour cooling-off period, the queued
 * job applies the change, and the person logs in with the new address. Each page is checked
 * with axe and must fit the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../app.ts'
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/demo/seed.ts'
import type { Clock } from '../../src/platform/clock.ts'
import { formatDateTime } from '../../src/platform/i18n/index.ts'
import { maskEmail } from '../../src/modules/accounts/contact.ts'
import { APPLY_CHANGE_JOB, COOLING_OFF_MS } from '../../src/modules/accounts/recovery.service.ts'
import { expectAccessible, follow, launchBrowser, newJourney, readDevMailbox, waitUntil, watchProblems } from './browser.ts'

/** Real time plus a shift the journey moves forward: time goes on, and can jump three days. */
let shiftMs = 0
const clock: Clock = { now: () => new Date(Date.now() + shiftMs) }

let t: TestApp
let browser: Browser
let baseURL: string
let context: BrowserContext

beforeAll(async () => {
  t = await startTestApp({ runWorkers: true, clock })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  baseURL = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await launchBrowser()
})
afterAll(async () => {
  await context?.close()
  await browser?.close()
  await t?.close()
})

const demo = DEMO_LOGINS.find((d) => d.role === 'participant')!
const OLD_EMAIL = demo.email
const PHONE = demo.phone!
const NEW_EMAIL = 'siti.rahmawati.baru@example.id'
const pathOf = (page: Page) => new URL(page.url()).pathname

async function logIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Alamat e-mail').fill(email)
  await page.getByLabel('Kata sandi').fill(DEMO_PASSWORD)
  await follow(page, page.locator('form[action="/masuk"]').getByRole('button'))
}

/** The SMS step of logging in, the code read in the dev mailbox as the person reads their phone. */
async function enterSmsCode(page: Page): Promise<void> {
  expect(pathOf(page)).toBe('/masuk/kode')
  const code = await readDevMailbox(context, PHONE, /Kode masuk Karya: (\d{6})/)
  await page.locator('form[action^="/masuk/kode"]').first().getByLabel('Kode 6 angka').fill(code)
  await follow(page, page.locator('form[action^="/masuk/kode"]').first().getByRole('button'))
}

describe('journey: a new e-mail after losing the inbox', () => {
  it('logs in with the SMS code, proves the new address, waits out the cooling-off and logs in with it', async () => {
    context = await newJourney(browser, { baseURL, phone: true })
    const page = await context.newPage()
    const problems = watchProblems(page)

    await page.goto('/masuk')
    await expectAccessible(page)
    await logIn(page, OLD_EMAIL)
    await expectAccessible(page)
    await enterSmsCode(page)
    expect(pathOf(page)).toBe('/beranda')

    await follow(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Akun', exact: true }))
    expect(pathOf(page)).toBe('/akun')
    await expectAccessible(page)
    const ask = page.locator('form[action="/akun/ganti-email"]')
    await ask.getByLabel('E-mail baru').fill(NEW_EMAIL)
    await ask.getByLabel('Kata sandi sekarang').fill(DEMO_PASSWORD)
    await follow(page, ask.getByRole('button'))
    expect(await page.getByRole('status').first().textContent()).toContain('Kode sudah dikirim ke e-mail baru')
    await expectAccessible(page)

    // The new address is proven with the code sent to it.
    const code = await readDevMailbox(context, NEW_EMAIL, /e-mail akun Karya Anda: (\d{6})/)
    const prove = page.locator('form[action="/akun/ganti-email/kode"]')
    await prove.getByLabel('Kode 6 angka').fill(code)
    await follow(page, prove.getByRole('button'))
    expect(pathOf(page)).toBe('/akun')
    const change = await t.database.db.selectFrom('contact_changes').selectAll().where('new_value', '=', NEW_EMAIL).executeTakeFirstOrThrow()
    expect(change.effective_at.getTime() - change.requested_at.getTime()).toBe(COOLING_OFF_MS)
    const endsAt = formatDateTime('id', change.effective_at)
    expect(await page.locator('main').textContent()).toContain(`Penggantian e-mail ke ${NEW_EMAIL} berlaku pada ${endsAt}`)
    await expectAccessible(page)

    // The old e-mail and the phone hear of it, each with a link to cancel.
    const notice = await readDevMailbox(context, OLD_EMAIL, /([\s\S]+)/)
    expect(notice).toContain(NEW_EMAIL)
    expect(notice).toContain(endsAt)
    const sms = await readDevMailbox(context, PHONE, /([\s\S]+)/)
    expect(sms).toContain(endsAt)
    const cancelLink = /https?:\/\/[^\s]+(\/batal-ganti\/[\w-]+)/
    const fromEmail = cancelLink.exec(notice)?.[1]
    const fromSms = cancelLink.exec(sms)?.[1]
    expect(fromEmail).toBeDefined()
    expect(fromSms).toBeDefined()
    // The link opens a page with a button (mail scanners open links); nobody presses it here.
    for (const link of [fromEmail!, fromSms!]) {
      const cancel = await context.newPage()
      await cancel.goto(link)
      await expect(cancel.getByRole('button', { name: 'Batalkan penggantian' }).isVisible()).resolves.toBe(true)
      await expectAccessible(cancel)
      await cancel.close()
    }

    // Three days and a bit later the queued job applies the change. The app's clock jumps; the
    // queue's own clock is the database's, so the job is made due now.
    shiftMs = COOLING_OFF_MS + 5 * 60_000
    await sql`update pgboss.job set start_after = now() where name = ${APPLY_CHANGE_JOB} and state = 'created'`.execute(t.database.db)
    const closed = () => t.database.db.selectFrom('contact_changes').select(['applied_at', 'cancelled_at']).where('id', '=', change.id).executeTakeFirstOrThrow()
    await waitUntil('the e-mail change applied', async () => {
      const c = await closed()
      return c.applied_at !== null || c.cancelled_at !== null
    })
    const applied = await closed()
    expect(applied.cancelled_at).toBeNull()
    expect(applied.applied_at?.getTime()).toBeGreaterThanOrEqual(change.effective_at.getTime())
    expect(await readDevMailbox(context, NEW_EMAIL, /([\s\S]+)/)).toContain(`e-mail akun Karya Anda adalah ${NEW_EMAIL}`)

    // The old session has long expired. The old address no longer opens the account; the new one does.
    await page.goto('/masuk')
    expect(pathOf(page)).toBe('/masuk')
    await logIn(page, OLD_EMAIL)
    expect(pathOf(page)).toBe('/masuk')
    expect(await page.locator('.error-summary').isVisible()).toBe(true)
    await logIn(page, NEW_EMAIL)
    await enterSmsCode(page)
    expect(pathOf(page)).toBe('/beranda')
    await page.goto('/akun')
    const details = (await page.locator('main dl').textContent()) ?? ''
    expect(details).toContain(maskEmail(NEW_EMAIL))
    expect(await page.locator('main').textContent()).not.toContain('Penggantian e-mail ke')
    await expectAccessible(page)
    // The one refused log-in with the old address is the only thing that went wrong.
    expect(problems.filter((p) => !/^HTTP 40[01] \/masuk$/.test(p))).toEqual([])
    expect(problems.filter((p) => /^HTTP 40[01] \/masuk$/.test(p))).toHaveLength(1)
  }, 120_000)
})
