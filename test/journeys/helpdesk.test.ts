/**
 * The contact centre, end to end in a browser. A visitor who is not logged in complains on
 * the web form about a certificate with a screenshot; the agent hands it to the training
 * provider, who answers in the partner console; the agent resolves it within its SLA, the
 * visitor rates it and the agent closes it. Then an e-mail reply threads into its ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import nodemailer from 'nodemailer'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { helpdeskDeps } from '../../src/modules/helpdesk/index.ts'
import { startInboundSmtp, type InboundSmtp } from '../../src/modules/helpdesk/inbound-email.ts'
import { TINY_PNG } from '../../src/modules/helpdesk/testing.ts'
import { expectAccessible, follow, logInWithPassword, readDevMailbox, startJourneyApp, watchProblems, type JourneyApp } from './browser.ts'

// 10:00 WIB: the centre is open, so the ticket is assigned at once.
const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let j: JourneyApp
let smtp: InboundSmtp

beforeAll(async () => {
  j = await startJourneyApp({ clock })
  smtp = await startInboundSmtp(helpdeskDeps(j.t.deps), { port: 0, host: '127.0.0.1', ownAddresses: [j.t.deps.config.helpdesk.address] })
})
afterAll(async () => {
  await smtp?.close()
  await j?.close()
})

const main = async (page: import('playwright-core').Page) => (await page.locator('main').textContent()) ?? ''

describe('journey: the helpdesk', () => {
  it('a web-form complaint handed to the provider comes back answered within its SLA, is rated and closes', async () => {
    const visitorContext = await j.context({ phone: true })
    const visitor = await visitorContext.newPage()
    const visitorProblems = watchProblems(visitor)
    await visitor.goto('/pengaduan')
    await expectAccessible(visitor)
    await visitor.getByLabel('Nama', { exact: true }).fill('Ani Wulandari')
    await visitor.getByLabel('E-mail', { exact: true }).fill('ani@contoh.test')
    await visitor.getByLabel('Tentang apa?').selectOption('certificate')
    await visitor.getByLabel('Pesan', { exact: true }).fill('Kelas sudah selesai tanggal 20 November tetapi sertifikat belum muncul.')
    await visitor.getByLabel('Lampiran (tidak wajib)').setInputFiles({ name: 'layar.png', mimeType: 'image/png', buffer: TINY_PNG })
    await follow(visitor, visitor.getByRole('button', { name: 'Kirim pengaduan' }))
    const tracking = /KRY-\d{4}-[0-9A-Z]{6}/.exec(await visitor.getByRole('status').textContent() ?? '')?.[0]
    expect(tracking).toBeDefined()
    expect(await main(visitor)).toContain('Petugas menjawab paling lambat')
    await expectAccessible(visitor)

    // The agent hands it to the training provider.
    const { page: agent, problems: agentProblems } = await logInWithPassword(j, 'agen@karya.test', DEMO_PASSWORD)
    await agent.goto('/bantuan/tiket')
    await expectAccessible(agent)
    await follow(agent, agent.getByRole('link', { name: tracking! }))
    expect(await main(agent)).toContain('layar.png')
    await expectAccessible(agent)
    await agent.getByLabel('Mitra', { exact: true }).selectOption('demo-provider')
    await agent.getByLabel('Pertanyaan untuk mitra').fill('Mohon cek laporan kelulusan Ani Wulandari, kelas 20 November.')
    await follow(agent, agent.getByRole('button', { name: 'Teruskan', exact: true }))

    await visitor.reload()
    expect(await main(visitor)).toMatch(/Diteruskan ke LP Tani Maju.*jawaban diharapkan paling lambat/)

    // The provider answers in its console.
    const { page: provider, problems: providerProblems } = await logInWithPassword(j, 'lp@karya.test', DEMO_PASSWORD)
    await provider.goto('/mitra/pengaduan')
    expect(await main(provider)).toContain(tracking!)
    await expectAccessible(provider)
    await provider.getByLabel('Jawaban Anda').fill('Laporan kelulusan sudah kami kirim ulang hari ini.')
    await follow(provider, provider.getByRole('button', { name: 'Kirim jawaban' }))
    expect(await provider.getByRole('status').textContent()).toContain(tracking!)

    // The agent resolves it.
    await agent.reload()
    expect(await main(agent)).toContain('Laporan kelulusan sudah kami kirim ulang')
    await agent.getByLabel('Balas ke peserta').fill('Sertifikat Anda sudah terbit. Terima kasih sudah menunggu.')
    await follow(agent, agent.getByRole('button', { name: 'Kirim dan selesaikan' }))
    const row = await j.t.database.db.selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking!).executeTakeFirstOrThrow()
    expect(row.state).toBe('resolved')
    expect(row.resolved_at!.getTime()).toBeLessThanOrEqual(row.resolution_due_at.getTime())

    // The visitor reads the answers, rates, and the agent closes the ticket.
    await visitor.reload()
    const status = await main(visitor)
    expect(status).toContain('Laporan kelulusan sudah kami kirim ulang')
    expect(status).toContain('Sertifikat Anda sudah terbit')
    await visitor.getByText('5', { exact: true }).click()
    await visitor.getByLabel('Komentar (tidak wajib)').fill('Jelas dan cepat')
    await follow(visitor, visitor.getByRole('button', { name: 'Kirim penilaian' }))
    expect(await main(visitor)).toContain('Penilaian Anda: 5 dari 5')
    await expectAccessible(visitor)
    await agent.reload()
    await follow(agent, agent.getByRole('button', { name: 'Tutup', exact: true }))
    await visitor.reload()
    expect(await main(visitor)).toContain('Ditutup')
    expect([...visitorProblems, ...agentProblems, ...providerProblems]).toEqual([])
  })

  it('an e-mail reply threads into its ticket, which the person then opens with the number and their address', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true })
    await transport.sendMail({ from: 'Joko <joko@contoh.test>', to: j.t.deps.config.helpdesk.address, subject: 'Voucher belum muncul', text: 'Saldo terpotong, voucher belum ada.' })
    const context = await j.context()
    const tracking = await readDevMailbox(context, 'joko@contoh.test', /(KRY-\d{4}-[0-9A-Z]{6})/, 'Pengaduan diterima')
    await transport.sendMail({ from: 'joko@contoh.test', to: j.t.deps.config.helpdesk.address, subject: `Re: [${tracking}] Pengaduan diterima / Complaint received`, text: 'Nomor pesanan saya BN-7781.\n\nPada 1 Des 2026 Karya menulis:\n> Pengaduan Anda sudah kami terima' })

    const page = await context.newPage()
    await page.goto('/pengaduan')
    await page.getByLabel('Nomor pengaduan').fill(tracking)
    await page.getByLabel('E-mail atau nomor HP yang Anda pakai saat mengadu').fill('joko@contoh.test')
    await follow(page, page.getByRole('button', { name: 'Buka' }))
    const text = await main(page)
    expect(text).toContain('Saldo terpotong, voucher belum ada.')
    expect(text).toContain('Nomor pesanan saya BN-7781.')
    expect(text).not.toContain('Pengaduan Anda sudah kami terima')
    await expectAccessible(page)
  })
})
