/** Set-up shared by the purchase tests and the purchase benchmark: partners, a course, cards with balance. */
import crypto from 'node:crypto'
import type { Clock } from '../../platform/clock.ts'
import type { Db } from '../../platform/db/database.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { createLedger } from '../ledger/index.ts'
import { ensurePartnerWithSecret } from '../partners/index.ts'

export const PLATFORM = { code: 'toko-kursus', client: 'toko-kursus-key', secret: 'toko-kursus-secret' }
export const PROVIDER = { code: 'lp-ternak', client: 'lp-ternak-key', secret: 'lp-ternak-secret' }
export const OTHER_PROVIDER = { code: 'lp-lain', client: 'lp-lain-key', secret: 'lp-lain-secret' }

export interface Fixture {
  courseId: string
  selfPacedId: string
  sessionId: string
  laterSessionId: string
}

export async function partnersAndCourses(deps: { db: Db; clock: Clock; identity: IdentityCipher }, opts: { seats?: number } = {}): Promise<Fixture> {
  await ensurePartnerWithSecret(deps, { code: PLATFORM.code, kind: 'platform', name: 'Toko Kursus', clientCode: PLATFORM.client, secret: PLATFORM.secret })
  await ensurePartnerWithSecret(deps, { code: PROVIDER.code, kind: 'provider', name: 'LP Ternak Jaya', clientCode: PROVIDER.client, secret: PROVIDER.secret, legacyAllowed: true })
  await ensurePartnerWithSecret(deps, { code: OTHER_PROVIDER.code, kind: 'provider', name: 'LP Lain', clientCode: OTHER_PROVIDER.client, secret: OTHER_PROVIDER.secret })
  const now = deps.clock.now()
  const day = 86_400_000
  const course = await deps.db
    .insertInto('courses')
    .values({
      provider_code: PROVIDER.code,
      platform_code: PLATFORM.code,
      provider_ref: `AYAM-${crypto.randomUUID().slice(0, 8)}`,
      title: 'Beternak ayam kampung',
      description: 'Kandang, pakan dan vaksin ayam kampung untuk peternak rumahan di desa.',
      category: 'livestock',
      mode: 'offline',
      regency_code: '13.06',
      province_code: '13',
      address: 'Balai Desa Sungai Sariak',
      hours: 16,
      price: 1_000_000,
      market_price: 1_200_000,
      status: 'approved',
      submitted_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const selfPaced = await deps.db
    .insertInto('courses')
    .values({
      provider_code: PROVIDER.code,
      platform_code: PLATFORM.code,
      provider_ref: `VID-${crypto.randomUUID().slice(0, 8)}`,
      title: 'Pembukuan usaha ternak',
      description: 'Mencatat pemasukan, pengeluaran dan stok pakan dengan buku dan ponsel.',
      category: 'entrepreneurship',
      mode: 'self_paced',
      hours: 15,
      price: 700_000,
      market_price: 700_000,
      status: 'approved',
      submitted_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const session = await deps.db
    .insertInto('course_sessions')
    .values({ course_id: course.id, provider_ref: 'S1', starts_at: new Date(now.getTime() + 3 * day), ends_at: new Date(now.getTime() + 3 * day + 8 * 3_600_000), seats: opts.seats ?? 2 })
    .returning('id')
    .executeTakeFirstOrThrow()
  const later = await deps.db
    .insertInto('course_sessions')
    .values({ course_id: course.id, provider_ref: 'S2', starts_at: new Date(now.getTime() + 10 * day), ends_at: new Date(now.getTime() + 10 * day + 8 * 3_600_000), seats: 30 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { courseId: course.id, selfPacedId: selfPaced.id, sessionId: session.id, laterSessionId: later.id }
}

/** A drawn wave to hang cards on. */
export async function testWave(db: Db, clock: Clock): Promise<string> {
  const now = clock.now()
  const w = await db
    .insertInto('waves')
    .values({
      code: `T-${crypto.randomUUID().slice(0, 8)}`,
      name: 'Gelombang uji',
      status: 'drawn',
      opens_at: new Date(now.getTime() - 20 * 86_400_000),
      closes_at: new Date(now.getTime() - 10 * 86_400_000),
      national_quota: 1000,
      scheme: JSON.stringify({ preset: '2023', trainingBalance: 3_500_000, incentiveAmount: 600_000, incentiveCount: 1, surveyIncentiveAmount: 100_000, surveyCount: 2, firstPurchaseDays: 30, balanceExpiresOn: null, excludeOtherProgrammes: false, maxPerKk: 2 }),
      commitment: 'x'.repeat(64),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return w.id
}

/** A card for an account, credited through the ledger as the draw would. */
export async function cardWithBalance(deps: { db: Db; clock: Clock; jobs: Jobs }, waveId: string, accountId: string, balance: number): Promise<string> {
  const now = deps.clock.now()
  // Any 16 digits do for a test card; real ones carry a Luhn check digit (waves/card-number.ts).
  const number = `9${String(crypto.randomInt(0, 2 ** 47)).padStart(15, '0').slice(-15)}`
  const card = await deps.db
    .insertInto('cards')
    .values({
      card_number: number,
      account_id: accountId,
      nik_hash: crypto.randomUUID(),
      kk_hash: crypto.randomUUID(),
      wave_id: waveId,
      status: 'active',
      issued_at: now,
      first_purchase_deadline: new Date(now.getTime() + 30 * 86_400_000),
    })
    .returning('card_number')
    .executeTakeFirstOrThrow()
  const ledger = createLedger({ jobs: deps.jobs, clock: deps.clock })
  const budget = await ledger.openAccount(deps.db, 'state_budget')
  const fund = await ledger.openAccount(deps.db, 'programme_fund')
  await ledger.transfer(deps.db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: balance, code: 'fund_deposit', reference: { type: 'test', id: accountId }, idempotencyKey: `test-deposit-${accountId}` })
  const training = await ledger.openAccount(deps.db, 'participant_training', accountId)
  await ledger.transfer(deps.db, { debitAccountId: fund.id, creditAccountId: training.id, amount: balance, code: 'credit_balance', reference: { type: 'card', id: accountId }, idempotencyKey: `test-credit-${accountId}` })
  return card.card_number
}
