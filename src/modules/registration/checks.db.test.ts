/**
 * Identity checks as jobs, end to end: profile completed over HTTP → jobs against the
 * sandbox registries (workers running) → the status the person sees. Outages are switched
 * on and off through the sandbox's live fault settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser } from '../../../test/app.ts'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { loadConfig } from '../../config.ts'
import { wire, type Composed } from '../../compose.ts'
import { buildApp, type BuiltApp } from '../../app.ts'
import { systemClock } from '../../platform/clock.ts'
import { seedDemo } from '../../demo/seed.ts'
import { createSandboxRegistries, type SandboxRegistries } from '../../sandboxes/registries/index.ts'
import { generatePeople, type Person } from '../../sandboxes/population/index.ts'
import { hashPassword, insertAccountIfAbsent } from '../accounts/index.ts'
import { ageOn } from './age.ts'
import { todayInJakarta } from './dates.ts'
import { checkHistory, checksNeedingAttention, checkStatus, otherProgrammeMembership } from './checks.service.ts'

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REGISTRY_CHECK_RETRY_LIMIT: '2', REGISTRY_CHECK_RETRY_DELAY_SECONDS: '1' })
const FOREVER = { from: new Date(0), to: new Date(8.64e15) }

let database: TestDatabase
let deps: Composed
let built: BuiltApp
let registries: SandboxRegistries
const people = { clean: [] as Person[], civilServant: null as Person | null, student: null as Person | null, otherProgramme: null as Person | null }

beforeAll(async () => {
  registries = createSandboxRegistries(config.registrySandbox, systemClock)
  database = await openTestDatabase()
  deps = await wire(config, database, { runWorkers: true, pollingIntervalSeconds: 0.5, registries })
  await seedDemo(deps)
  built = await buildApp(deps)
  const today = todayInJakarta()
  // The registry holds exactly the people of its seed and size: pick test subjects from them.
  for (const p of generatePeople({ seed: config.registrySandbox.seed, size: config.registrySandbox.size })) {
    const age = ageOn(p.dateOfBirth, today)
    if (age < 19 || age > 60) continue
    const f = p.flags
    const listed = f.civilServant || f.military || f.police || f.villageOfficial || f.stateOfficial
    const excluded = listed || f.otherProgrammes.length > 0
    if (!excluded && !f.student) people.clean.push(p)
    else if (!listed && !f.student && f.otherProgrammes.length > 0) people.otherProgramme ??= p
    else if (f.civilServant && !f.student && f.otherProgrammes.length === 0) people.civilServant ??= p
    else if (f.student && !excluded) people.student ??= p
  }
}, 60_000)
afterAll(async () => {
  await built?.app.close()
  await deps?.jobs.stop()
  await database?.dispose()
})

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
const page = (b: Browser, url: string) => b.request({ method: 'GET', url, headers: { accept: 'text/html' } }).then((r) => r.body)
async function submit(b: Browser, step: string, fields: Record<string, string>) {
  const token = await b.csrfFrom(`/profil/${step}`)
  const res = await b.request({ method: 'POST', url: `/profil/${step}`, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303)
}
let n = 0
/** A new participant who fills in the four steps as the person's KTP and KK say, name replaceable. */
async function register(p: Person, fullName = p.fullName): Promise<{ b: Browser; accountId: string }> {
  const email = `uji${++n}@example.id`
  const accountId = await insertAccountIfAbsent(deps.database.db, { email, phone: null, displayName: 'Uji', passwordHash: await hashPassword('sapi perah di agam'), role: 'participant' })
  const b = new Browser(built.app)
  expect((await b.login(email, 'sapi perah di agam')).statusCode).toBe(303)
  await submit(b, 'identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })
  await submit(b, 'keluarga', { kk: p.kk })
  await address(b, p, fullName)
  await submit(b, 'pendidikan', { education: 'sma', employmentStatus: 'tidak_bekerja', inFormalEducation: 'tidak' })
  return { b, accountId: accountId! }
}
function address(b: Browser, p: Person, fullName: string) {
  const a = p.address
  return submit(b, 'alamat', { fullName, addressLine: a.line, rt: a.rt, rw: a.rw, provinceCode: a.provinceCode, regencyCode: a.regencyCode, districtCode: a.districtCode })
}
async function until(what: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Until every check of the person's newest round has settled (passed, failed, or handed to PMO).
 * Not the whole queue: the demo data also queues jobs due weeks from now.
 */
async function settled(accountId: string, ms = 15_000) {
  await until(async () => {
    const s = await checkStatus(deps.database.db, accountId)
    return s.checks.length === 3 && s.checks.every((c) => c.state !== 'being_checked' || c.flagged)
  }, ms)
}

/** The flag the draw reads (decision 0015), kept by a trigger as the checks settle. */
async function checksPassed(accountId: string): Promise<boolean> {
  const r = await deps.database.db.selectFrom('accounts').select('checks_passed').where('id', '=', accountId).executeTakeFirstOrThrow()
  return r.checks_passed
}

describe('identity checks', () => {
  it('passes a person whose data is as the registries hold it, and tells them they are ready for a wave', async () => {
    const { b, accountId } = await register(people.clean[0]!)
    await settled(accountId)
    const status = await checkStatus(deps.database.db, accountId)
    expect(status.state).toBe('passed')
    expect(await checksPassed(accountId)).toBe(true)
    expect(status.checks.map((c) => [c.kind, c.state])).toEqual([
      ['civil_registry', 'passed'],
      ['education', 'passed'],
      ['exclusions', 'passed'],
    ])
    expect(await page(b, '/beranda')).toContain('Lolos pemeriksaan — siap ikut gelombang')
    const profil = await page(b, '/profil')
    expect(profil).toContain('Pemeriksaan data')
    expect(profil.match(/>Lolos</g)).toHaveLength(3)
  })

  it('names the field when the name differs from Dukcapil, and checks again after the person corrects it', async () => {
    const p = people.clean[1]!
    const last = p.fullName.at(-1) === 'Q' ? 'Z' : 'Q'
    const { b, accountId } = await register(p, `${p.fullName.slice(0, -1)}${last}`)
    await settled(accountId)
    const status = await checkStatus(deps.database.db, accountId)
    expect(status.state).toBe('failed')
    expect(status.reasons).toEqual([{ code: 'mismatch', field: 'name' }])
    expect(await checksPassed(accountId)).toBe(false)
    expect(status.checks.find((c) => c.kind === 'exclusions')?.state).toBe('passed')
    expect(await page(b, '/profil')).toContain('Nama tidak cocok dengan data Dukcapil: periksa ejaan nama di langkah 3 sesuai KTP.')
    expect(await page(b, '/beranda')).toContain('Tidak lolos: Nama tidak cocok dengan data Dukcapil')

    // Written the way people write it on forms: lower case, with a title. Still the same name.
    await address(b, p, `H. ${p.fullName.toLowerCase()}`)
    await settled(accountId)
    expect((await checkStatus(deps.database.db, accountId)).state).toBe('passed')
    expect(await checksPassed(accountId)).toBe(true)
    const history = await checkHistory(deps.database.db, accountId)
    expect(history.filter((h) => h.kind === 'civil_registry').map((h) => [h.round, h.outcome])).toEqual([
      [1, 'queued'],
      [1, 'failed'],
      [2, 'queued'],
      [2, 'passed'],
    ])
  })

  it('fails a civil servant with the list that excludes them', async () => {
    const { b, accountId } = await register(people.civilServant!)
    await settled(accountId)
    const status = await checkStatus(deps.database.db, accountId)
    expect(status.state).toBe('failed')
    expect(status.reasons).toEqual([{ code: 'excluded', list: 'asn', detail: 'Pegawai Negeri Sipil (BKN)' }])
    expect(await checksPassed(accountId)).toBe(false)
    expect(await page(b, '/beranda')).toContain('Tidak lolos: Anda tercatat sebagai Aparatur Sipil Negara (ASN)')
  })

  it('passes someone on another programme, recording it for the wave to judge by its scheme', async () => {
    const p = people.otherProgramme!
    const { b, accountId } = await register(p)
    const db = deps.database.db
    await settled(accountId)
    const status = await checkStatus(db, accountId)
    expect(status.state).toBe('passed')
    expect(status.reasons).toEqual([])
    expect(await checksPassed(accountId)).toBe(true)
    const exclusions = (await checkHistory(db, accountId)).filter((h) => h.kind === 'exclusions').at(-1)!
    expect(exclusions.outcome).toBe('passed')
    expect(exclusions.details.notes).toHaveLength(p.flags.otherProgrammes.length)
    expect(exclusions.details.notes![0]).toMatchObject({ list: 'dtks_other_programme', detail: expect.stringContaining(p.flags.otherProgrammes[0]!) })
    const membership = await otherProgrammeMembership(db, accountId)
    expect(membership).toMatchObject({ member: true, checkedAt: exclusions.at })
    expect(membership.detail).toBe(exclusions.details.notes!.map((n) => n.detail).join('; '))
    expect(await page(b, '/beranda')).toContain('Lolos pemeriksaan — siap ikut gelombang')

    // Someone on no list, and someone not checked yet, are not known to be on another programme.
    const clean = await register(people.clean[4]!)
    await settled(clean.accountId)
    expect(await otherProgrammeMembership(db, clean.accountId)).toMatchObject({ member: false, detail: null, checkedAt: expect.any(Date) })
    expect(await otherProgrammeMembership(db, '00000000-0000-4000-8000-000000000000')).toEqual({ member: false, detail: null, checkedAt: null })
  })

  it('fails a student still enrolled, naming where', async () => {
    const { b, accountId } = await register(people.student!)
    await settled(accountId)
    const status = await checkStatus(deps.database.db, accountId)
    expect(status.state).toBe('failed')
    expect(status.reasons).toHaveLength(1)
    expect(status.reasons[0]).toMatchObject({ code: 'enrolled', institution: expect.stringMatching(/Dapodik|PDDikti|EMIS/) })
    expect(await checksPassed(accountId)).toBe(false)
    expect(await page(b, '/profil')).toContain('tercatat masih pelajar atau mahasiswa aktif di')
  })

  it('retries through a Dukcapil outage, showing "being checked", and passes once it ends', async () => {
    registries.faults.civil.outage = FOREVER
    try {
      const { b, accountId } = await register(people.clean[2]!)
      const db = deps.database.db
      await until(async () => (await checkHistory(db, accountId)).some((h) => h.outcome === 'unavailable'))
      const during = await checkStatus(db, accountId)
      expect(during.state).toBe('being_checked')
      expect(await checksPassed(accountId)).toBe(false)
      expect(during.checks.find((c) => c.kind === 'civil_registry')).toMatchObject({ state: 'being_checked', retrying: true, flagged: false })
      expect(await page(b, '/beranda')).toContain('sedang diperiksa')
      expect(await page(b, '/profil')).toContain('layanan registri belum menjawab, kami mencoba lagi otomatis')
      registries.faults.civil.outage = null
      await settled(accountId, 20_000)
      expect((await checkStatus(db, accountId)).state).toBe('passed')
      expect(await checksPassed(accountId)).toBe(true)
      const civil = (await checkHistory(db, accountId)).filter((h) => h.kind === 'civil_registry')
      expect(civil[0]).toMatchObject({ outcome: 'queued', attempt: 0 })
      expect(civil[1]).toMatchObject({ outcome: 'unavailable', attempt: 1, details: { registry: 'civil_registry', problem: 'outage' } })
      expect(civil.at(-1)).toMatchObject({ outcome: 'passed' })
      expect(civil.at(-1)!.attempt).toBeGreaterThan(1)
    } finally {
      registries.faults.civil.outage = null
    }
  }, 40_000)

  it('never rejects a person because a registry stayed silent: after the last retry PMO is asked to look', async () => {
    registries.faults.education.outage = FOREVER
    try {
      const { b, accountId } = await register(people.clean[3]!)
      await settled(accountId, 30_000)
      const db = deps.database.db
      const status = await checkStatus(db, accountId)
      expect(status.state).toBe('being_checked')
      expect(status.checks.find((c) => c.kind === 'education')).toMatchObject({ state: 'being_checked', flagged: true, reasons: [] })
      expect(await checksPassed(accountId)).toBe(false)
      const education = (await checkHistory(db, accountId)).filter((h) => h.kind === 'education').map((h) => [h.attempt, h.outcome])
      expect(education).toEqual([
        [0, 'queued'],
        [1, 'unavailable'],
        [2, 'unavailable'],
        [3, 'unavailable'],
        [3, 'gave_up'],
      ])
      expect((await checkHistory(db, accountId)).some((h) => h.outcome === 'failed')).toBe(false)
      expect((await checksNeedingAttention(db)).map((c) => [c.account_id, c.kind])).toContainEqual([accountId, 'education'])
      expect(await page(b, '/beranda')).toContain('sedang diperiksa')
      expect(await page(b, '/profil')).toContain('tim Manajemen Pelaksana menindaklanjutinya')
    } finally {
      registries.faults.education.outage = null
    }
  }, 40_000)

  it('keeps the check history append-only', async () => {
    await expect(deps.database.db.deleteFrom('registration_checks').execute()).rejects.toThrow(/append-only/)
  })
})
