/**
 * Issue #9, done when: a participant opens a chat about a missing certificate, gets a real
 * answer from their data, then a person, and rates it. Her purchase is set up through the
 * real partner API: bought, redeemed, and reported completed by the provider without
 * attendance, so the completion waits for a reviewer. The chat answers with that, she asks
 * for a person, the agent (another browser) answers in the console, the answer appears on
 * her page in place (her draft stays in the box), she ends the chat and rates it, and the
 * supervisor sees the rating. Then the same without JavaScript: the page itself long-polls.
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { hashPassword } from '../../src/modules/accounts/index.ts'
import { newParticipant, partnerCall } from '../../src/modules/learning/testing.ts'
import { cardWithBalance, partnersAndCourses, testWave, PLATFORM, PROVIDER, type Fixture } from '../../src/modules/purchases/testing.ts'
import type { Clock } from '../../src/platform/clock.ts'
import { expectAccessible, follow, logInWithPassword, startJourneyApp, watchProblems, type JourneyApp } from './browser.ts'

// Time runs, from a starting point the test sets.
let shiftMs = 0
const clock: Clock & { set(d: Date): void } = { now: () => new Date(Date.now() + shiftMs), set: (d) => (shiftMs = d.getTime() - Date.now()) }
let j: JourneyApp
let f: Fixture

beforeAll(async () => {
  clock.set(new Date('2026-12-01T03:00:00Z')) // 10:00 WIB
  j = await startJourneyApp({ clock })
  f = await partnersAndCourses({ db: j.t.database.db, clock, identity: j.t.deps.identity }, { seats: 10 })
}, 180_000)
afterAll(async () => j?.close())

const main = async (page: import('playwright-core').Page) => (await page.locator('main').textContent()) ?? ''
// Leaving the page (sending a line, ending the chat) cuts the open long-poll: that is its nature, not a fault.
const real = (problems: string[]) => problems.filter((p) => !/^failed \/pengaduan\/KRY-[^/]+\/obrolan\/baru: net::ERR_ABORTED$/.test(p))

/** Bought and redeemed at the provider, never marked present: the completion report goes to review. */
async function certificateUnderReview(name: string) {
  const { t } = j
  const db = t.database.db
  const who = await newParticipant(t, clock, name)
  const waveId = await testWave(db, clock)
  const card = await cardWithBalance({ db, clock, jobs: t.deps.jobs }, waveId, who.id, 3_500_000)
  const start = await partnerCall(t, clock, PLATFORM, 'POST', '/api/v1/partner/purchases', { orderRef: crypto.randomUUID(), cardNumber: card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: `u-${who.id}` })
  const id = start.json().id as string
  const sms = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', who.phone).where('channel', '=', 'sms').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  await partnerCall(t, clock, PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: /Kode OTP Karya: (\d{6})/.exec(sms.text_body)![1] })
  const voucher = (await partnerCall(t, clock, PLATFORM, 'POST', `/api/v1/partner/purchases/${id}/confirm`)).json().voucherCode as string
  expect((await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/vouchers/redeem', { voucherCode: voucher })).statusCode).toBe(200)
  const session = await db.selectFrom('course_sessions').select('ends_at').where('id', '=', f.sessionId).executeTakeFirstOrThrow()
  clock.set(new Date(session.ends_at.getTime() + 3_600_000)) // 19:00 WIB on the session's day: the centre is open
  const report = await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: crypto.randomUUID(), type: 'completion', voucherCode: voucher, grade: 90, completedAt: session.ends_at.toISOString(), certificateNumber: null, certificateUrl: null })
  expect(report.json()).toMatchObject({ result: 'accepted', outcome: 'review' })
  // She logs in with a password only (her phone stays on the account for the purchase codes).
  await db.updateTable('accounts').set({ password_hash: await hashPassword(DEMO_PASSWORD), phone_verified_at: null }).where('id', '=', who.id).execute()
  const email = (await db.selectFrom('accounts').select('email').where('id', '=', who.id).executeTakeFirstOrThrow()).email!
  return { email }
}

describe('journey: live chat about a missing certificate', () => {
  it('answers from her data, hands her to a person who answers in place, and she ends and rates the chat', async () => {
    const { email } = await certificateUnderReview('Rina Marlina')
    const { page, problems } = await logInWithPassword(j, email, DEMO_PASSWORD, { phone: true })
    await page.goto('/pengaduan/obrolan')
    await expectAccessible(page)
    await page.getByLabel('Tentang apa?').selectOption('certificate')
    await page.getByLabel('Pesan', { exact: true }).fill('Sertifikat pelatihan ayam kampung saya belum muncul.')
    await follow(page, page.getByRole('button', { name: 'Mulai obrolan' }))
    const tracking = /KRY-\d{4}-[0-9A-Z]{6}/.exec(page.url())![0]

    // The bot speaks only with her own data: who reported, when, and by when it is checked.
    const first = await main(page)
    expect(first).toMatch(/"Beternak ayam kampung" dilaporkan oleh LP Ternak Jaya pada 4 Desember 2026 .* dan sedang diverifikasi, perkiraan selesai 7 Desember 2026/)
    expect(first).toMatch(/Posisi Anda di antrean: 1\. Perkiraan menunggu: \d+ menit/)
    await expectAccessible(page)

    await follow(page, page.getByRole('button', { name: 'Bicara dengan petugas' }))
    expect(await main(page)).toContain('Anda meminta berbicara dengan petugas.')
    // She starts typing; the agent's answer must arrive without taking her draft away.
    await page.getByLabel('Tulis pesan').fill('Nomor voucher saya ada di')

    const { page: agent, problems: agentProblems } = await logInWithPassword(j, 'agen@karya.test', DEMO_PASSWORD)
    await agent.goto('/bantuan/tiket?kanal=chat')
    await follow(agent, agent.getByRole('link', { name: tracking }))
    expect(await main(agent)).toContain('Anda meminta berbicara dengan petugas.')
    const take = agent.getByRole('button', { name: 'Ambil tiket ini' })
    if (await take.count()) await follow(agent, take)
    await agent.getByLabel('Balas ke peserta').fill('Halo Rina, saya Dewi. Laporannya sudah masuk dan sedang diverifikasi; sertifikat terbit paling lambat 7 Desember.')
    await follow(agent, agent.getByRole('button', { name: 'Kirim', exact: true }))

    await page.getByText('Halo Rina, saya Dewi.').waitFor({ timeout: 15_000 })
    await expect.poll(async () => page.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Anda sedang dilayani oleh Dewi.')
    expect(await page.getByLabel('Tulis pesan').inputValue()).toBe('Nomor voucher saya ada di')
    await page.getByLabel('Tulis pesan').fill('Baik, terima kasih Bu Dewi.')
    await follow(page, page.getByRole('button', { name: 'Kirim', exact: true }))
    expect(await main(page)).toContain('Baik, terima kasih Bu Dewi.')

    await follow(page, page.getByRole('button', { name: 'Akhiri obrolan' }))
    expect(await main(page)).toContain('Obrolan selesai.')
    await expectAccessible(page)
    await page.getByText('5', { exact: true }).click()
    await page.getByLabel('Komentar (tidak wajib)').fill('Jelas, dari data saya sendiri')
    await follow(page, page.getByRole('button', { name: 'Kirim penilaian' }))
    expect(await main(page)).toContain('Penilaian Anda: 5 dari 5')

    // The agent's ticket and the supervisor's board show the rating.
    await agent.reload()
    expect(await main(agent)).toContain('Penilaian peserta: 5/5 Jelas, dari data saya sendiri')
    const { page: supervisor, problems: supervisorProblems } = await logInWithPassword(j, 'supervisor@karya.test', DEMO_PASSWORD)
    await supervisor.goto('/bantuan/papan')
    expect(await main(supervisor)).toMatch(/Obrolan: 100[^\n]*5\/5, n=1/)
    expect(await main(supervisor)).toMatch(/Dewi Lestari: \d+\/30 · CSAT 5 \(n=1\)/)
    expect([...real(problems), ...agentProblems, ...supervisorProblems]).toEqual([])
  }, 120_000)

  it('without JavaScript the page brings the agent’s answer by itself (a held refresh)', async () => {
    const context = await j.context({ phone: true, javaScriptEnabled: false })
    const page = await context.newPage()
    const problems = watchProblems(page)
    await page.goto('/pengaduan/obrolan')
    await page.getByLabel('Nama').fill('Budi')
    await page.getByLabel('E-mail').fill('budi@contoh.test')
    await page.getByLabel('Pesan', { exact: true }).fill('Bagaimana cara mengganti jadwal pelatihan?')
    await follow(page, page.getByRole('button', { name: 'Mulai obrolan' }))
    const tracking = /KRY-\d{4}-[0-9A-Z]{6}/.exec(page.url())![0]
    expect(await main(page)).toContain('Bagaimana cara mengganti jadwal pelatihan?')

    const { page: agent } = await logInWithPassword(j, 'agen@karya.test', DEMO_PASSWORD)
    const id = (await j.t.database.db.selectFrom('helpdesk_tickets').select('id').where('tracking', '=', tracking).executeTakeFirstOrThrow()).id
    await agent.goto(`/bantuan/tiket/${id}`)
    await agent.getByLabel('Balas ke peserta').fill('Jadwal bisa diganti di platform tempat Anda membeli.')
    await follow(agent, agent.getByRole('button', { name: 'Kirim', exact: true }))

    await page.getByText('Jadwal bisa diganti di platform').waitFor({ timeout: 30_000 })
    expect(await page.getByRole('status').textContent()).toMatch(/^Anda sedang dilayani oleh /)
    expect(problems).toEqual([])
  }, 120_000)
})
