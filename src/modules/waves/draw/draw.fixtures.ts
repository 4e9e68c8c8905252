/**
 * Test fixtures for the draw: waves, applicants, checks, cards written straight into the
 * tables (the draw must not depend on the wave pages to be tested). Used by the draw tests
 * and the verifier's tests only.
 */
import crypto from 'node:crypto'
import type { IdentityCipher } from '../../../platform/crypto/identity.ts'
import type { Db } from '../../../platform/db/database.ts'
import type { Scheme } from '../waves.tables.ts'
import type { CheckOutcome } from '../../registration/checks.tables.ts'
import { newSeedHex, seedCommitment } from './algorithm.ts'

export const TEST_SCHEME: Scheme = {
  preset: '2020',
  trainingBalance: 1_000_000,
  incentiveAmount: 600_000,
  incentiveCount: 4,
  surveyIncentiveAmount: 50_000,
  surveyCount: 3,
  firstPurchaseDays: 30,
  balanceExpiresOn: null,
  excludeOtherProgrammes: true,
  maxPerKk: 2,
}

let waveNo = 0

export async function insertWave(
  db: Db,
  identity: IdentityCipher,
  opts: { national: number; quotas?: Record<string, number>; scheme?: Partial<Scheme>; status?: 'open' | 'closed'; seed?: string },
): Promise<{ id: string; code: string; seed: string }> {
  const seed = opts.seed ?? newSeedHex()
  const code = `G-${++waveNo}-${crypto.randomBytes(3).toString('hex')}`
  const now = new Date('2026-11-01T00:00:00Z')
  const wave = await db
    .insertInto('waves')
    .values({
      code,
      name: `Gelombang ${code}`,
      status: opts.status ?? 'closed',
      opens_at: now,
      closes_at: new Date(now.getTime() + 7 * 86_400_000),
      national_quota: opts.national,
      scheme: JSON.stringify({ ...TEST_SCHEME, ...opts.scheme }),
      commitment: seedCommitment(seed),
      seed_sealed: identity.encrypt(seed),
      committed_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const quotas = Object.entries(opts.quotas ?? {})
  if (quotas.length > 0) await db.insertInto('wave_quotas').values(quotas.map(([area_code, quota]) => ({ wave_id: wave.id, area_code, quota }))).execute()
  return { id: wave.id, code, seed }
}

export interface ApplicantSpec {
  pseudonym: string
  nik?: string
  kk?: string
  province?: string
  regency?: string
  otherProgramme?: boolean
  /** Latest-round check outcomes; default all passed. 'none' for no checks at all. */
  checks?: 'passed' | 'failed' | 'queued' | 'none' | 'old_failed_new_passed' | 'old_passed_new_queued'
  accountStatus?: 'active' | 'closed' | 'frozen'
  priority?: boolean
}

export interface InsertedApplicant {
  accountId: string
  nikHash: string
  kkHash: string
  pseudonym: string
}

export async function insertApplicants(db: Db, waveId: string, specs: readonly ApplicantSpec[]): Promise<InsertedApplicant[]> {
  const out: InsertedApplicant[] = []
  for (const s of specs) {
    const account = await db
      .insertInto('accounts')
      .values({ display_name: `Peserta ${s.pseudonym}`, role: 'participant', status: s.accountStatus ?? 'active' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const nikHash = `nik-${s.nik ?? s.pseudonym}`
    const kkHash = `kk-${s.kk ?? s.pseudonym}`
    const province = s.province ?? '13'
    await db
      .insertInto('wave_applications')
      .values({
        wave_id: waveId,
        account_id: account.id,
        pseudonym: s.pseudonym,
        nik_hash: nikHash,
        kk_hash: kkHash,
        province_code: province,
        regency_code: s.regency ?? `${province}.01`,
        other_programme: s.otherProgramme ?? false,
        joined_at: new Date('2026-11-02T00:00:00Z'),
      })
      .execute()
    await insertChecks(db, account.id, s.checks ?? 'passed')
    if (s.priority) await db.insertInto('wave_priority_entries').values({ wave_id: waveId, nik_hash: nikHash, group_code: 'phk' }).execute()
    out.push({ accountId: account.id, nikHash, kkHash, pseudonym: s.pseudonym })
  }
  return out
}

async function insertChecks(db: Db, accountId: string, kind: NonNullable<ApplicantSpec['checks']>): Promise<void> {
  if (kind === 'none') return
  const at = new Date('2026-10-01T00:00:00Z')
  const round = (r: number, outcomes: [CheckOutcome, CheckOutcome, CheckOutcome]) =>
    (['civil_registry', 'education', 'exclusions'] as const).map((k, i) => ({ account_id: accountId, round: r, kind: k, attempt: 1, outcome: outcomes[i]!, details: '{}', at }))
  const rows =
    kind === 'passed'
      ? round(1, ['passed', 'passed', 'passed'])
      : kind === 'failed'
        ? round(1, ['passed', 'passed', 'failed'])
        : kind === 'queued'
          ? round(1, ['passed', 'queued', 'passed'])
          : kind === 'old_failed_new_passed'
            ? [...round(1, ['failed', 'passed', 'passed']), ...round(2, ['passed', 'passed', 'passed'])]
            : [...round(1, ['passed', 'passed', 'passed']), ...round(2, ['passed', 'queued', 'queued'])]
  await db.insertInto('registration_checks').values(rows).execute()
}

/** A card from an earlier wave (for has_card and the KK cap); also creates its account. */
export async function insertPriorCard(db: Db, earlierWaveId: string, nikHash: string, kkHash: string, cardNumber: string): Promise<string> {
  const account = await db.insertInto('accounts').values({ display_name: 'Penerima lama', role: 'participant' }).returning('id').executeTakeFirstOrThrow()
  const card = await db
    .insertInto('cards')
    .values({
      card_number: cardNumber,
      account_id: account.id,
      nik_hash: nikHash,
      kk_hash: kkHash,
      wave_id: earlierWaveId,
      status: 'active',
      issued_at: new Date('2026-06-01T00:00:00Z'),
      first_purchase_deadline: new Date('2026-07-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return card.id
}
