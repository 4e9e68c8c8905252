/**
 * Set-up shared by the incentive tests, the payout benchmark and the browser journey: a
 * funded programme, and a participant whose first course is completed with a certificate
 * and rated — written straight into the tables, as the learning module would leave them.
 */
import crypto from 'node:crypto'
import type { Clock } from '../../platform/clock.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Db } from '../../platform/db/database.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { createLedger } from '../ledger/index.ts'
import type { Scheme } from '../waves/scheme.ts'
import { partnersAndCourses, PLATFORM, PROVIDER } from '../purchases/testing.ts'

export interface SetupDeps {
  db: Db
  clock: Clock
  jobs: Jobs
  identity: IdentityCipher
}

export async function fundProgramme(deps: Pick<SetupDeps, 'db' | 'clock' | 'jobs'>, amount: number): Promise<void> {
  const ledger = createLedger({ jobs: deps.jobs, clock: deps.clock })
  const budget = await ledger.openAccount(deps.db, 'state_budget')
  const fund = await ledger.openAccount(deps.db, 'programme_fund')
  await ledger.transfer(deps.db, { debitAccountId: budget.id, creditAccountId: fund.id, amount, code: 'fund_deposit', reference: { type: 'budget_allocation', id: 'incentives-test' }, idempotencyKey: `incentive-fund-${crypto.randomUUID()}` })
}

export interface World {
  readonly waveId: string
  readonly courseId: string
}

/** Partners, a course and a drawn wave with the given scheme (default: Rp 600 000 × 4). */
export async function incentiveWorld(deps: SetupDeps, scheme: Partial<Scheme> = {}): Promise<World> {
  const f = await partnersAndCourses(deps)
  const now = deps.clock.now()
  const full: Scheme = { preset: 'custom', trainingBalance: 1_000_000, incentiveAmount: 600_000, incentiveCount: 4, surveyIncentiveAmount: 50_000, surveyCount: 3, firstPurchaseDays: 30, balanceExpiresOn: null, excludeOtherProgrammes: false, maxPerKk: 2, ...scheme }
  const w = await deps.db
    .insertInto('waves')
    .values({ code: `I-${crypto.randomUUID().slice(0, 8)}`, name: 'Gelombang insentif', status: 'drawn', opens_at: new Date(now.getTime() - 60 * 86_400_000), closes_at: new Date(now.getTime() - 50 * 86_400_000), national_quota: 1000, scheme: JSON.stringify(full), commitment: 'x'.repeat(64), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { waveId: w.id, courseId: f.selfPacedId }
}

export interface Person {
  readonly id: string
  readonly email: string
  readonly phone: string
  readonly nik: string
  readonly name: string
}

export function randomNik(): string {
  return `3273${String(crypto.randomInt(0, 1e12)).padStart(12, '0')}`
}

/** An active participant with a verified phone and a complete profile (NIK sealed as registration does). */
export async function participant(deps: SetupDeps, opts: { name?: string; email?: string; passwordHash?: string | null } = {}): Promise<Person> {
  const id = crypto.randomUUID()
  const now = deps.clock.now()
  const phone = `+62812${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`
  const name = opts.name ?? 'Siti Aminah Lubis'
  const email = opts.email ?? `${id.slice(0, 8)}@insentif.test`
  const nik = randomNik()
  await deps.db
    .insertInto('accounts')
    .values({ id, email, phone, display_name: name, password_hash: opts.passwordHash ?? null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: now, email_verified_at: now, phone_verified_at: now, locked_until: null })
    .execute()
  await deps.db
    .insertInto('registration_profiles')
    .values({ account_id: id, nik_sealed: deps.identity.encrypt(nik), nik_hash: deps.identity.lookupHash(nik), full_name: name, birth_date: null, sex: null, kk_sealed: null, kk_hash: null, address_line: null, rt: null, rw: null, province_code: null, regency_code: null, district_code: null, education: null, employment_status: null, in_formal_education: null, completed_at: now, created_at: now, updated_at: now })
    .execute()
  return { id, email, phone, nik, name }
}

/** A card on the wave, a completed purchase with a certificate, and (unless told otherwise) a rating. */
export async function completedCourse(deps: SetupDeps, world: World, who: Person, opts: { rated?: boolean } = {}): Promise<void> {
  const now = deps.clock.now()
  const card = await deps.db
    .insertInto('cards')
    .values({ card_number: `8${String(crypto.randomInt(0, 2 ** 47)).padStart(15, '0').slice(-15)}`, account_id: who.id, nik_hash: deps.identity.lookupHash(who.nik), kk_hash: crypto.randomUUID(), wave_id: world.waveId, status: 'active', issued_at: now, first_purchase_deadline: new Date(now.getTime() + 30 * 86_400_000), first_purchase_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const purchase = await deps.db
    .insertInto('purchases')
    .values({ platform_code: PLATFORM.code, order_ref: crypto.randomUUID(), platform_user_ref: `u-${who.id}`, card_id: card.id, account_id: who.id, course_id: world.courseId, provider_code: PROVIDER.code, session_id: null, price: 700_000, status: 'completed', created_at: now, completed_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await deps.db
    .insertInto('certificates')
    .values({ number: `KRY-${crypto.randomUUID().slice(0, 14).toUpperCase()}`, purchase_id: purchase.id, account_id: who.id, course_id: world.courseId, provider_code: PROVIDER.code, provider_number: null, provider_url: null, grade: 88, completed_on: now, issued_at: now })
    .execute()
  if (opts.rated !== false) {
    await deps.db.insertInto('course_ratings').values({ purchase_id: purchase.id, account_id: who.id, course_id: world.courseId, stars: 5, review: 'Pelatihan yang sangat bermanfaat.', created_at: now }).execute()
  }
}
