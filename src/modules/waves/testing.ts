/**
 * Test set-up for the waves module: a participant whose profile is complete and whose
 * registry checks passed, written straight into the tables (registration is tested on its
 * own), and the wave services on a test database with a movable clock.
 */
import crypto from 'node:crypto'
import { loadConfig } from '../../config.ts'
import { fixedClock } from '../../platform/clock.ts'
import { createIdentityCipher, type IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Database, Db } from '../../platform/db/database.ts'
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts'
import { createMail } from '../../platform/mail/index.ts'
import { insertAccountIfAbsent } from '../accounts/index.ts'
import { createLedger } from '../ledger/index.ts'
import type { WaveForm } from './wave-form.ts'
import { defineWaveJobs, type WaveJobsDeps } from './waves.jobs.ts'

export interface WavesFixture {
  deps: WaveJobsDeps
  clock: ReturnType<typeof fixedClock>
  jobs: Jobs
  stop(): Promise<void>
}

export async function wavesFixture(database: Database, exportDir: string, start = new Date('2026-12-01T00:00:00Z')): Promise<WavesFixture> {
  const config = loadConfig({ NODE_ENV: 'test' })
  const clock = fixedClock(start)
  const jobs = createJobs(database, { runWorkers: false })
  const mail = createMail({ jobs, config, clock })
  const identity = createIdentityCipher(config.identityKeys, config.identityLookupKey)
  const deps: WaveJobsDeps = { db: database.db, clock, identity, jobs, mail, exportDir }
  defineWaveJobs(jobs, deps)
  await jobs.start()
  return { deps, clock, jobs, stop: () => jobs.stop() }
}

/** Money in the programme fund, as the state budget puts it there. */
export async function fundProgramme(deps: Pick<WaveJobsDeps, 'db' | 'jobs' | 'clock'>, amount = 1_000_000_000_000): Promise<void> {
  const ledger = createLedger(deps)
  const budget = await ledger.openAccount(deps.db, 'state_budget')
  const fund = await ledger.openAccount(deps.db, 'programme_fund')
  await ledger.transfer(deps.db, {
    debitAccountId: budget.id,
    creditAccountId: fund.id,
    amount,
    code: 'fund_deposit',
    reference: { type: 'budget_allocation', id: 'APBN-TEST' },
    idempotencyKey: `test-deposit-${crypto.randomUUID()}`,
  })
}

const digits = (n: number) => Array.from(crypto.randomBytes(n), (b) => String(b % 10)).join('')

export interface Person {
  accountId: string
  email: string
  phone: string
  nik: string
  kk: string
}

/**
 * A participant with a complete profile in `regency` and, unless `checks` says otherwise,
 * every registry check passed. Several people can share a KK.
 */
export async function participant(
  db: Db,
  identity: IdentityCipher,
  opts: { regency?: string; kk?: string; checks?: 'passed' | 'failed' | 'none'; complete?: boolean; passwordHash?: string; withPhone?: boolean; otherProgramme?: boolean } = {},
): Promise<Person> {
  const regency = opts.regency ?? '13.06'
  const nik = `${regency.replace('.', '')}02${digits(10)}`
  const kk = opts.kk ?? `${regency.replace('.', '')}02${digits(10)}`
  const email = `p-${crypto.randomUUID()}@karya.test`
  const phone = `+62812${digits(8)}`
  const accountId = (await insertAccountIfAbsent(db, { email, phone: opts.withPhone === false ? null : phone, displayName: 'Peserta Uji', passwordHash: opts.passwordHash ?? null, role: 'participant', verifiedAt: new Date() }))!
  const now = new Date('2026-11-01T00:00:00Z')
  const complete = opts.complete ?? true
  await db
    .insertInto('registration_profiles')
    .values({
      account_id: accountId,
      nik_sealed: identity.encrypt(nik),
      nik_hash: identity.lookupHash(nik),
      birth_date: '1995-03-14',
      sex: 'F',
      kk_sealed: identity.encrypt(kk),
      kk_hash: identity.lookupHash(kk),
      full_name: 'PESERTA UJI',
      address_line: 'Jl. Uji No. 1',
      rt: '001',
      rw: '002',
      province_code: regency.slice(0, 2),
      regency_code: regency,
      district_code: null,
      education: 'sma',
      employment_status: 'tidak_bekerja',
      in_formal_education: false,
      drafts: '{}',
      steps_done: complete ? ['identitas', 'keluarga', 'alamat', 'pendidikan'] : ['identitas', 'keluarga'],
      completed_at: complete ? now : null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const checks = opts.checks ?? 'passed'
  if (checks !== 'none') {
    for (const kind of ['civil_registry', 'education', 'exclusions'] as const) {
      const failed = checks === 'failed' && kind === 'civil_registry'
      await db
        .insertInto('registration_checks')
        .values({ account_id: accountId, round: 1, kind, attempt: 1, outcome: failed ? 'failed' : 'passed', details: JSON.stringify(failed ? { reasons: [{ code: 'nik_not_found' }] } : kind === 'exclusions' && opts.otherProgramme ? { notes: [{ list: 'dtks_other_programme', detail: 'DTKS' }] } : {}), at: now })
        .execute()
    }
  }
  return { accountId, email, phone, nik, kk }
}

/** A wave form with a window around the fixture clock's start (times in WIB). */
export function waveForm(over: Partial<WaveForm> = {}): WaveForm {
  return {
    code: `G-${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
    name: 'Gelombang Uji',
    opensAt: '2026-12-01T08:00',
    closesAt: '2026-12-08T23:59',
    nationalQuota: '100',
    quotas: '',
    preset: '2023',
    ...over,
  }
}
