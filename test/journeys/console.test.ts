/**
 * The programme office console and the public transparency pages in a real browser: a PMO
 * admin opens the overview (SVG charts, each with its table) and downloads a CSV; an
 * auditor reads the same pages with no action on them (and a forged request is refused);
 * anyone finds a drawn wave's seed, export and verify command on /status, and the export
 * downloaded from that link verifies with Karya's own verifier. The admin freezes an account
 * from an integrity signal and reads the staff list filtered by role.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeWave, commitWave, createWave, drawAndIssue, joinWave, openWave } from '../../src/modules/waves/index.ts'
import { fundProgramme, participant, waveForm } from '../../src/modules/waves/testing.ts'
import { REPORT_SOURCES, refreshFacts } from '../../src/modules/reports/index.ts'
import { verifyExportFile } from '../../src/modules/waves/draw/verify.ts'
import { DEMO_PASSWORD } from '../../src/demo/seed.ts'
import { expectAccessible, follow, logInWithPassword, startJourneyApp, type JourneyApp } from './browser.ts'

let j: JourneyApp
let suspect: string
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-console-'))

beforeAll(async () => {
  j = await startJourneyApp()
  const deps = { ...j.t.deps, db: j.t.deps.database.db }
  const pmo = { id: null, role: 'pmo_admin' }
  await fundProgramme(deps)
  const people = [await participant(deps.db, deps.identity), await participant(deps.db, deps.identity), await participant(deps.db, deps.identity, { regency: '32.73' })]
  suspect = (await participant(deps.db, deps.identity, { checks: 'failed' })).accountId
  const waveId = await createWave(deps, pmo, waveForm({ code: 'G-KONSOL', name: 'Gelombang Konsol', nationalQuota: '2' }))
  await commitWave(deps, pmo, waveId, { scheduleJobs: false })
  await openWave(deps, pmo, waveId, { carryOver: false })
  for (const p of people) await joinWave(deps, p.accountId, 'G-KONSOL')
  await closeWave(deps, pmo, waveId)
  await drawAndIssue({ ...deps, exportDir: path.join(j.t.deps.config.dataDir, 'draws') }, waveId)
  await refreshFacts({ db: deps.db, clock: deps.clock, sources: REPORT_SOURCES }, { source: 'test' })
})
afterAll(async () => {
  await j?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('journey: programme office console and public transparency', () => {
  it('a PMO admin opens the overview, reads the funnel chart and its table, and downloads the CSV', async () => {
    const { page, problems } = await logInWithPassword(j, 'pmo@karya.test', DEMO_PASSWORD)
    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Ringkasan program' }))
    await page.getByLabel('Dari tanggal (TTTT-BB-HH)').fill('2026-10-01')
    await follow(page, page.getByRole('button', { name: 'Tampilkan' }))
    const funnel = page.getByRole('img', { name: /Corong: dari pendaftaran sampai sertifikat/ })
    await expect(funnel.isVisible()).resolves.toBe(true)
    const table = page.getByRole('table', { name: 'Corong: dari pendaftaran sampai sertifikat' })
    expect(await table.getByRole('row', { name: /Terpilih/ }).textContent()).toContain('2')
    await expectAccessible(page)

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#corong-title ~ p').getByRole('link', { name: 'Unduh tabel ini (CSV)' }).click()])
    expect(download.suggestedFilename()).toMatch(/^karya-corong-2026-10-01-\d{4}-\d{2}-\d{2}\.csv$/)
    const file = path.join(tmp, download.suggestedFilename())
    await download.saveAs(file)
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('Tahap,Jumlah,% dari tahap sebelumnya')
    expect(lines).toContain('Terpilih,2,66.7')
    await expect(page.getByRole('button', { name: 'Perbarui sekarang (35 hari terakhir)' }).count()).resolves.toBe(1)
    expect(problems).toEqual([])
  })

  it('a PMO admin freezes an account from an integrity signal, with a reason, and reads the staff list by role', async () => {
    const { page, problems } = await logInWithPassword(j, 'pmo@karya.test', DEMO_PASSWORD)
    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Integritas' }))
    await follow(page, page.getByRole('link', { name: suspect }))
    await expect(page.getByRole('listitem').filter({ hasText: `Akun: ${suspect}` }).count()).resolves.toBe(1)
    await page.getByLabel('Bekukan').check()
    await page.getByLabel('Alasan (wajib, tersimpan di log audit)').fill('NIK ditolak Dukcapil; menunggu dokumen asli')
    await follow(page, page.getByRole('button', { name: 'Simpan keputusan' }))
    await expect(page.getByRole('status').textContent()).resolves.toContain('Keputusan disimpan')
    await expect(page.getByRole('heading', { name: 'Sedang dibekukan oleh sinyal ini' }).count()).resolves.toBe(1)
    await expectAccessible(page)
    const status = await j.t.deps.database.db.selectFrom('accounts').select('status').where('id', '=', suspect).executeTakeFirstOrThrow()
    expect(status.status).toBe('frozen')

    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Staf dan mitra' }))
    await page.getByLabel('Saring menurut peran').selectOption('officer')
    await follow(page, page.getByRole('button', { name: 'Tampilkan' }))
    const staff = page.getByRole('table', { name: 'Akun staf' })
    await expect(staff.getByRole('row', { name: /petugas@karya\.test/ }).count()).resolves.toBe(1)
    await expect(staff.getByRole('row', { name: /auditor@karya\.test/ }).count()).resolves.toBe(0)
    await expect(page.getByRole('link', { name: /Cari log audit/ }).getAttribute('href')).resolves.toBe('/pmo/audit')
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  it('an auditor reads the overview and the money page with no action on them, and a forged action is refused', async () => {
    const { page, problems } = await logInWithPassword(j, 'auditor@karya.test', DEMO_PASSWORD)
    await page.goto('/pmo/ringkasan?dari=2026-10-01')
    await expect(page.getByRole('img', { name: /Corong/ }).count()).resolves.toBe(1)
    await expect(page.getByRole('button', { name: /Perbarui sekarang|Hitung ulang/ }).count()).resolves.toBe(0)
    await expectAccessible(page)
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value')
    const forged = await page.request.post('/pmo/ringkasan/segarkan', { form: { _csrf: csrf ?? '', mode: 'full' }, maxRedirects: 0 })
    expect(forged.status()).toBe(403)
    await page.goto('/pmo/keuangan')
    expect(await page.locator('h1').textContent()).toBe('Keuangan program')
    await expect(page.getByRole('table', { name: 'Saldo menurut jenis rekening' }).count()).resolves.toBe(1)
    await expectAccessible(page)
    await page.goto('/pmo/staf')
    await expect(page.getByRole('table', { name: 'Akun staf' }).count()).resolves.toBe(1)
    await expect(page.getByRole('button', { name: /Buat akun|Nonaktifkan/ }).count()).resolves.toBe(0)
    expect(problems).toEqual([])
  })

  it('anyone finds a drawn wave\'s seed, export and verify command on /status, and the export verifies', async () => {
    const context = await j.context({ phone: true })
    const page = await context.newPage()
    await page.goto('/')
    await follow(page, page.getByRole('link', { name: 'Status program dan undian gelombang' }))
    const wave = page.getByRole('region', { name: 'Gelombang Konsol' })
    const text = (await wave.textContent()) ?? ''
    expect(text).toMatch(/Benih[0-9a-f]{64}/)
    expect(text).toContain('npm run draw:verify -- undian-G-KONSOL.ndjson.gz')
    await expectAccessible(page)
    const href = await wave.getByRole('link', { name: 'undian-G-KONSOL.ndjson.gz' }).getAttribute('href')
    const res = await page.request.get(href!)
    expect(res.status()).toBe(200)
    const file = path.join(tmp, 'undian-G-KONSOL.ndjson.gz')
    fs.writeFileSync(file, await res.body())
    const report = await verifyExportFile(file)
    expect(report.ok).toBe(true)
    await follow(page, page.getByRole('link', { name: 'Statistik program' }))
    await expect(page.getByRole('img').count()).resolves.toBe(4) // recipients, months, incentive rates, complaints
    await expectAccessible(page)
  })
})
