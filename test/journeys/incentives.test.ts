/**
 * A participant whose first course is completed with a certificate and rated links her
 * DANA wallet (the SMS code read in the dev mailbox as she reads her phone), sees the
 * incentive schedule, the daily payout job runs, the sandbox partner confirms by its
 * signed callback, and the payout shows as paid.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { hashPassword } from '../../src/modules/accounts/index.ts'
import { incentivesDeps, runDaily } from '../../src/modules/incentives/index.ts'
import { completedCourse, fundProgramme, incentiveWorld, participant } from '../../src/modules/incentives/testing.ts'
import { sandboxPaymentsFor } from '../../src/sandboxes/payments/index.ts'
import { expectAccessible, follow, logInWithPassword, readDevMailbox, startJourneyApp, waitUntil, type JourneyApp } from './browser.ts'

let j: JourneyApp

beforeAll(async () => {
  j = await startJourneyApp()
})
afterAll(async () => j?.close())

const main = async (page: Page) => (await page.locator('main').textContent()) ?? ''

describe('journey: an incentive that arrives', () => {
  it('links an e-wallet with the SMS code, sees the schedule, and sees the payout paid after the partner confirms', async () => {
    const { t } = j
    const setup = { db: t.database.db, clock: t.deps.clock, jobs: t.deps.jobs, identity: t.deps.identity }
    const world = await incentiveWorld(setup, { incentiveAmount: 600_000, incentiveCount: 4 })
    await fundProgramme(setup, 100_000_000)
    const who = await participant(setup, { name: 'Siti Aminah Lubis', email: 'siti.insentif@example.id', passwordHash: await hashPassword(DEMO_PASSWORD) })
    await completedCourse(setup, world, who)
    // Her own wallet at DANA, KYC-verified, in her NIK, on her phone; the bank prints the name its own way.
    const sandbox = sandboxPaymentsFor(t.database.db, { clock: t.deps.clock, serverSecret: t.deps.config.secret })
    sandbox.partner('dana').openAccount({ number: who.phone, holderName: 'IBU SITI AMINAH LUBIS', nik: who.nik, phone: who.phone })
    sandbox.autoDeliver = true

    const { page, problems } = await logInWithPassword(j, who.email, DEMO_PASSWORD, { phone: true })
    const context = page.context()
    expect(new URL(page.url()).pathname).toBe('/masuk/kode')
    const login = await readDevMailbox(context, who.phone, /Kode masuk Karya: (\d{6})/)
    await page.locator('form[action^="/masuk/kode"]').first().getByLabel('Kode 6 angka').fill(login)
    await follow(page, page.locator('form[action^="/masuk/kode"]').first().getByRole('button'))

    // From the dashboard to the incentive page: certificate and review done, no account yet.
    await page.goto('/beranda')
    await follow(page, page.getByRole('link', { name: 'Insentif: rekening dan jadwal pembayaran' }))
    expect(new URL(page.url()).pathname).toBe('/insentif')
    expect(await main(page)).toContain('Jadwal muncul di sini setelah semua syarat di atas terpenuhi.')
    await expectAccessible(page)

    await page.getByLabel('Bank atau dompet digital').selectOption('dana')
    await page.getByLabel('Nomor rekening atau nomor ponsel dompet digital').fill(`0${who.phone.slice(3)}`)
    await follow(page, page.getByRole('button', { name: 'Kirim kode SMS' }))
    expect(await main(page)).toContain('IBU SITI AMINAH LUBIS')
    await expectAccessible(page)
    const code = await readDevMailbox(context, who.phone, /Kode Karya: (\d{6})/, 'Kode tautan')
    await page.getByLabel('Kode SMS').fill(code)
    await follow(page, page.getByRole('button', { name: 'Tautkan rekening' }))

    // The schedule: Rp 600.000 four times, a month apart.
    expect(new URL(page.url()).pathname).toBe('/insentif')
    const scheduled = await main(page)
    expect(scheduled.match(/Dijadwalkan untuk/g)).toHaveLength(4)
    expect(scheduled).toContain(`DANA •••• ${who.phone.slice(-4)}`)
    await expectAccessible(page)

    // The daily job; DANA acknowledges, then confirms by its signed callback.
    const report = await runDaily(incentivesDeps(t.deps))
    expect(report.payouts.held).toBe(1)
    await waitUntil('the first payout is paid', async () => {
      const p = await t.database.db.selectFrom('incentive_payouts').select('status').where('account_id', '=', who.id).where('sequence', '=', 1).executeTakeFirstOrThrow()
      return p.status === 'paid'
    })
    await page.reload()
    const paid = await main(page)
    expect(paid).toMatch(new RegExp(`Dibayar ke DANA •••• ${who.phone.slice(-4)} pada`))
    expect(paid.match(/Dijadwalkan untuk/g)).toHaveLength(3)
    await expectAccessible(page)
    expect(sandbox.partner('dana').sent.filter((s) => s.accountNumber === who.phone)).toHaveLength(1)
    expect(problems).toEqual([])
  })
})
