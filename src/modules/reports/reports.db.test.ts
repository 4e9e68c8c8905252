/**
 * The daily facts from a real wave (registrations, checks, applications, the draw, cards,
 * balances), the refresh's idempotence and cost log, and the console: charts with their
 * tables, bad ranges, regional scoping, the auditor's read-only view and streamed CSV.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { closeWave, commitWave, createWave, drawAndIssue, joinWave, openWave } from '../waves/index.ts'
import { fundProgramme, participant, waveForm } from '../waves/testing.ts'
import { factRows } from './overview.pages.tsx'
import { refreshFacts } from './refresh.service.ts'
import { BUILT_IN_SOURCES } from './sources.repository.ts'

let t: TestApp
let pmo: Browser
let auditor: Browser
let officer: Browser
const html = { accept: 'text/html' }
const RANGE = 'dari=2026-10-01&sampai=2026-12-31'
let waveId: string

beforeAll(async () => {
  t = await startTestApp({ runWorkers: true })
  const deps = { ...t.deps, db: t.deps.database.db }
  await fundProgramme(deps)
  const people = [await participant(deps.db, deps.identity), await participant(deps.db, deps.identity), await participant(deps.db, deps.identity)]
  await participant(deps.db, deps.identity, { regency: '32.73', checks: 'failed' })
  waveId = await createWave(deps, { id: null, role: 'pmo_admin' }, waveForm({ code: 'G-RPT', nationalQuota: '2' }))
  await commitWave(deps, { id: null, role: 'pmo_admin' }, waveId, { scheduleJobs: false })
  await openWave(deps, { id: null, role: 'pmo_admin' }, waveId, { carryOver: false })
  for (const p of people) await joinWave(deps, p.accountId, 'G-RPT')
  await closeWave(deps, { id: null, role: 'pmo_admin' }, waveId)
  await drawAndIssue({ ...deps, exportDir: path.join(t.deps.config.dataDir, 'draws') }, waveId)
  pmo = await loggedIn(t.app, 'pmo_admin', deps.db)
  auditor = await loggedIn(t.app, 'auditor', deps.db)
  officer = await loggedIn(t.app, 'officer', deps.db)
})
afterAll(async () => t?.close())

const allFacts = () => t.deps.database.db.selectFrom('report_daily_facts').selectAll().orderBy('day').orderBy('metric').orderBy('wave_id').orderBy('province_code').orderBy('regency_code').orderBy('reason').execute()
/** The regency-level rows the sources wrote, without the '*' rollups. */
const facts = async () => (await allFacts()).filter((r) => r.regency_code !== '*' && r.province_code !== '*')
const sum = (rows: Array<{ metric: string; value: number }>, metric: string) => rows.filter((r) => r.metric === metric).reduce((a, r) => a + Number(r.value), 0)

describe('refreshing the daily facts', () => {
  it('counts the funnel from the source tables, with areas, waves and reasons', async () => {
    const s = await refreshFacts({ db: t.deps.database.db, clock: t.deps.clock, sources: BUILT_IN_SOURCES }, { source: 'test' })
    expect(s.mode).toBe('full')
    expect(s.rowsWritten).toBeGreaterThan(0)
    expect(Object.keys(s.perSource)).toEqual([...BUILT_IN_SOURCES.map((x) => x.name), 'rollups'])
    // The rollups add up to the regency-level rows: the national total equals the sum of every cell.
    const all = await allFacts()
    expect(sum(all.filter((r) => r.province_code === '*'), 'applied')).toBe(3)
    expect(sum(all.filter((r) => r.province_code === '13' && r.regency_code === '*'), 'selected')).toBe(2)
    const rows = await facts()
    expect(sum(rows, 'applied')).toBe(3)
    expect(sum(rows, 'selected')).toBe(2)
    expect(sum(rows, 'not_selected')).toBe(1)
    expect(sum(rows, 'card_issued')).toBe(2)
    expect(sum(rows, 'credited_rp')).toBeGreaterThan(0)
    expect(rows.find((r) => r.metric === 'selected')).toMatchObject({ wave_id: waveId, province_code: '13', regency_code: '13.06' })
    expect(rows.find((r) => r.metric === 'check_failed')).toMatchObject({ reason: 'civil_registry:nik_not_found', regency_code: '32.73' })
    // Demo participants plus ours; every one of ours counted in its regency.
    expect(sum(rows.filter((r) => r.regency_code === '32.73'), 'registered')).toBe(1)
  })

  it('is idempotent: a second refresh, full or recent, leaves the same facts and logs its cost', async () => {
    const before = await allFacts()
    const full = await refreshFacts({ db: t.deps.database.db, clock: t.deps.clock, sources: BUILT_IN_SOURCES }, { mode: 'full', source: 'test' })
    expect(await allFacts()).toEqual(before)
    expect(full.rowsDeleted).toBe(before.length)
    const recent = await refreshFacts({ db: t.deps.database.db, clock: t.deps.clock, sources: BUILT_IN_SOURCES }, { source: 'test' })
    expect(recent.mode).toBe('recent')
    expect(recent.fromDay).not.toBeNull()
    expect(await allFacts()).toEqual(before)
    const log = await t.deps.database.db.selectFrom('report_refreshes').selectAll().orderBy('id').execute()
    expect(log.map((r) => r.mode)).toEqual(['full', 'full', 'recent'])
    expect(log[2]!.per_source.cards).toBeDefined()
  })
})

describe('the overview page', () => {
  it('draws the funnel and the series as SVG, each followed by its table, with CSV links', async () => {
    const res = await pmo.request({ method: 'GET', url: `/pmo/ringkasan?${RANGE}`, headers: html })
    expect(res.statusCode).toBe(200)
    expect(res.body.match(/<svg [^>]*role="img"/g)).toHaveLength(4) // funnel, series, incentives, complaints
    expect(res.body).toMatch(/<\/svg><\/figure><div class="table-wrap"/)
    expect(res.body).toContain('/pmo/ringkasan/ekspor/corong.csv?dari=2026-10-01&sampai=2026-12-31')
    expect(res.body).toContain('Dukcapil: NIK tidak ditemukan')
    expect(res.body).toContain('action="/pmo/ringkasan/segarkan"')
  })

  it('refuses a reversed or absurd range with an error summary naming the field', async () => {
    const reversed = await pmo.request({ method: 'GET', url: '/pmo/ringkasan?dari=2026-11-30&sampai=2026-11-01', headers: html })
    expect(reversed.statusCode).toBe(400)
    expect(reversed.body).toContain('class="error-summary"')
    expect(reversed.body).toContain('href="#sampai"')
    expect(reversed.body).not.toContain('<svg')
    const long = await pmo.request({ method: 'GET', url: '/pmo/ringkasan/ekspor/corong.csv?dari=2020-01-01&sampai=2026-11-30' })
    expect(long.statusCode).toBe(400)
    expect(long.json().error.code).toBe('REPORT_RANGE_INVALID')
  })

  it('shows an officer only their regency and refuses another region', async () => {
    const own = await officer.request({ method: 'GET', url: `/pmo/ringkasan?${RANGE}`, headers: html })
    expect(own.statusCode).toBe(200)
    expect(own.body).toContain('Wilayah Anda')
    expect(own.body).not.toContain('action="/pmo/ringkasan/segarkan"')
    const csv = await officer.request({ method: 'GET', url: `/pmo/ringkasan/ekspor/fakta.csv?${RANGE}` })
    expect(csv.statusCode).toBe(200)
    const regencies = new Set(csv.body.trim().split('\r\n').slice(1).map((l) => l.split(',')[4]))
    expect([...regencies]).toEqual(['13.06'])
    const other = await officer.request({ method: 'GET', url: `/pmo/ringkasan?${RANGE}&provinsi=32`, headers: html })
    expect(other.statusCode).toBe(403)
    const otherCsv = await officer.request({ method: 'GET', url: `/pmo/ringkasan/ekspor/wilayah.csv?${RANGE}&kabupaten=13.07` })
    expect(otherCsv.statusCode).toBe(403)
    expect(otherCsv.json().error.code).toBe('REPORT_REGION_FORBIDDEN')
  })

  it('lets the auditor read everything and change nothing', async () => {
    const page = await auditor.request({ method: 'GET', url: `/pmo/ringkasan?${RANGE}&provinsi=32`, headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('action="/pmo/ringkasan/segarkan"')
    const token = await auditor.csrfFrom('/pmo/ringkasan')
    const post = await auditor.request({ method: 'POST', url: '/pmo/ringkasan/segarkan', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}&mode=recent` })
    expect(post.statusCode).toBe(403)
  })

  it('a PMO admin asks for a refresh: the job runs it and the request is audited', async () => {
    const before = await t.deps.database.db.selectFrom('report_refreshes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const token = await pmo.csrfFrom('/pmo/ringkasan')
    const post = await pmo.request({ method: 'POST', url: '/pmo/ringkasan/segarkan', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}&mode=recent` })
    expect(post.statusCode).toBe(303)
    await t.deps.jobs.waitIdle(20_000)
    const after = await t.deps.database.db.selectFrom('report_refreshes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n) + 1)
    const audit = await t.deps.database.db.selectFrom('audit_log').select('action').where('action', '=', 'reports.refresh_requested').execute()
    expect(audit).toHaveLength(1)
  })
})

describe('CSV exports', () => {
  it('streams a table as an attachment, the same rows as on screen', async () => {
    const res = await pmo.request({ method: 'GET', url: `/pmo/ringkasan/ekspor/corong.csv?${RANGE}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toBe('attachment; filename="karya-corong-2026-10-01-2026-12-31.csv"')
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe('Tahap,Jumlah,% dari tahap sebelumnya')
    expect(lines).toContain('Terpilih,2,66.7')
  })

  it('walks the raw facts page by page (keyset) and gets every row exactly once', async () => {
    const f = { from: '2026-10-01', to: '2026-12-31', waveId: null, province: null, regency: null }
    const collect = async (pageSize: number) => {
      let out = ''
      for await (const chunk of factRows(t.deps, f, pageSize)) out += chunk
      return out
    }
    const small = await collect(2)
    expect(small).toBe(await collect(5_000))
    const inRange = (await facts()).filter((r) => r.day >= f.from && r.day <= f.to)
    expect(small.trim().split('\r\n')).toHaveLength(inRange.length + 1)
  })
})

describe('the money page', () => {
  it('shows balances by kind of account, money by month and the latest ledger check, to PMO and auditors only', async () => {
    const { checkLedger, recordCheck } = await import('../ledger/index.ts')
    await recordCheck(t.deps.database.db, t.deps.clock, await checkLedger(t.deps.database.db, t.deps.clock), { source: 'cli' })
    for (const b of [pmo, auditor]) {
      const res = await b.request({ method: 'GET', url: '/pmo/keuangan', headers: html })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('Saldo pelatihan peserta yang belum terpakai')
      expect(res.body).toMatch(/Seimbang \(\d+ rekening/)
      expect(res.body.match(/<svg [^>]*role="img"/g)).toHaveLength(1)
    }
    expect((await officer.request({ method: 'GET', url: '/pmo/keuangan', headers: html })).statusCode).toBe(403)
  })
})

describe('the public pages', () => {
  it('/status says whether registration is open and shows each drawn wave\'s commitment, seed, export and verify command', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/status', headers: html })
    expect(anon.statusCode).toBe(200)
    // The demo data's wave decides which; either way the page says it in one sentence.
    const demoOpen = await t.deps.database.db.selectFrom('waves').select('name').where('status', '=', 'open').where('closes_at', '>', new Date()).executeTakeFirst()
    expect(anon.body).toContain(demoOpen ? `Pendaftaran gelombang ${demoOpen.name} DIBUKA` : 'Pendaftaran gelombang sedang DITUTUP.')
    const w = await t.deps.database.db.selectFrom('waves').select(['commitment', 'seed']).where('id', '=', waveId).executeTakeFirstOrThrow()
    expect(anon.body).toContain(w.commitment!)
    expect(anon.body).toContain(w.seed!)
    expect(anon.body).toContain('href="/gelombang/G-RPT/ekspor"')
    expect(anon.body).toContain('npm run draw:verify -- undian-G-RPT.ndjson.gz')
    expect(anon.body).toContain('href="/sertifikat"')
    expect(anon.body).toContain('href="/masuk"')
    const participantView = await (await loggedIn(t.app, 'participant', t.deps.database.db)).request({ method: 'GET', url: '/status', headers: html })
    expect(participantView.body).toContain('action="/gelombang/kabari"')
  })

  it('/statistik shows totals and provinces from the daily facts, with the date of the last refresh', async () => {
    await refreshFacts({ db: t.deps.database.db, clock: t.deps.clock, sources: BUILT_IN_SOURCES }, { source: 'test' })
    const res = await t.app.inject({ method: 'GET', url: '/statistik', headers: html })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Pembaruan terakhir')
    expect(res.body).toContain('Sumatera Barat')
    expect(res.body.match(/<svg [^>]*role="img"/g)).toHaveLength(4) // recipients, months, incentive rates, complaints
  })
})
