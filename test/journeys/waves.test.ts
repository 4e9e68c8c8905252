/**
 * A person whose checks passed joins the open wave on a small phone; PMO closes it and runs
 * the draw from its console; the person is selected and sees the card number and balance.
 * The wave, card and public transparency pages are checked with axe and must fit the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { hashPassword } from '../../src/modules/accounts/index.ts'
import { DEMO_WAVE_CODE } from '../../src/modules/waves/demo.ts'
import { participant } from '../../src/modules/waves/testing.ts'
import { expectAccessible, follow, logInWithPassword, startJourneyApp, type JourneyApp } from './browser.ts'

let j: JourneyApp

beforeAll(async () => {
  j = await startJourneyApp()
})
afterAll(async () => j?.close())

const loggedInPage = (email: string, phone: boolean) => logInWithPassword(j, email, DEMO_PASSWORD, { phone })

describe('journey: waves', () => {
  it('a person joins the open wave, PMO closes it and runs the draw, the person is selected and sees the card and balance', async () => {
    const { t } = j
    const person = await participant(t.database.db, t.deps.identity, { passwordHash: await hashPassword(DEMO_PASSWORD), withPhone: false })
    const { page, problems } = await loggedInPage(person.email, true)
    expect(new URL(page.url()).pathname).toBe('/beranda')
    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Gelombang' }))
    await expectAccessible(page)
    await follow(page, page.getByRole('button', { name: 'Ikut Gelombang Demo 2026' }))
    const joined = (await page.locator('main').textContent()) ?? ''
    const pseudonym = /ID undian Anda: (K[0-9A-Z]{12})/.exec(joined)?.[1]
    expect(pseudonym, joined).toBeDefined()
    expect(joined).toContain('Menunggu pendaftaran ditutup')
    await expectAccessible(page)

    // PMO, on a laptop: close registration now, then run the draw.
    const pmo = await loggedInPage('pmo@karya.test', false)
    await follow(pmo.page, pmo.page.getByRole('navigation').getByRole('link', { name: 'Gelombang' }))
    await follow(pmo.page, pmo.page.getByRole('link', { name: DEMO_WAVE_CODE }))
    await follow(pmo.page, pmo.page.getByRole('button', { name: 'Tutup pendaftaran sekarang' }))
    await follow(pmo.page, pmo.page.getByRole('button', { name: 'Jalankan undian dan terbitkan kartu' }))
    expect(await pmo.page.locator('main').textContent()).toContain('Undian dijadwalkan')
    await expectAccessible(pmo.page)
    // The draw job runs in the background; scheduled jobs (reminders, deadlines) keep the
    // queue from ever being idle, so wait for the card itself.
    for (let i = 0; i < 120; i++) {
      const card = await t.database.db.selectFrom('cards').select('id').where('account_id', '=', person.accountId).executeTakeFirst()
      if (card) break
      await new Promise((r) => setTimeout(r, 250))
    }
    await pmo.page.reload()
    expect(await pmo.page.locator('main').textContent()).toContain('Undian selesai')
    expect(pmo.problems).toEqual([])

    // The person is told, and finds the card on the dashboard and its page.
    await page.goto('/beranda')
    const home = (await page.locator('main').textContent()) ?? ''
    const card = /Nomor kartu: (9360 \d{4} \d{4} \d{4})/.exec(home)?.[1]
    expect(card, home).toBeDefined()
    await follow(page, page.getByRole('link', { name: 'Lihat kartu dan saldo' }))
    const cardPage = (await page.locator('main').textContent()) ?? ''
    expect(cardPage).toContain(card!)
    expect(cardPage).toMatch(/Rp\s?3\.500\.000/)
    expect(cardPage).toMatch(/Sisa 30 hari lagi/)
    expect(cardPage).toContain(`ID undian Anda: ${pseudonym}`)
    await expectAccessible(page)

    // The public page: the seed is out, with the export and the command to check it.
    await page.goto(`/gelombang/${DEMO_WAVE_CODE}`)
    const pub = (await page.locator('main').textContent()) ?? ''
    expect(pub).toMatch(/Benih \(seed\): [0-9a-f]{64}/)
    expect(pub).toContain('npm run draw:verify -- ')
    await expectAccessible(page)
    const download = await page.request.get(`/gelombang/${DEMO_WAVE_CODE}/ekspor`)
    expect(download.status()).toBe(200)
    expect((await download.body()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    expect(problems).toEqual([])
  })
})
