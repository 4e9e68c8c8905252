/**
 * Who is owed what, and when. A participant becomes eligible for the wave's incentive once
 * the first course is completed with a certificate, a rating is given and a payout account
 * is linked; the scheme's payments (e.g. Rp 600 000 × 4, monthly) are then written down as
 * scheduled payouts, once (a unique key per participant, wave and number). Survey
 * incentives are scheduled by whoever runs the surveys, through `scheduleSurveyIncentive`.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import type { Scheme } from '../waves/scheme.ts'
import type { IncentivesDeps } from './deps.ts'

export interface Eligibility {
  readonly certificate: boolean
  readonly rating: boolean
  readonly account: boolean
  readonly eligible: boolean
  readonly waveId: string | null
  readonly scheme: Scheme | null
}

/** `due` plus `months` calendar months (the 31st becomes the month's last day). */
export function addMonths(due: Date, months: number): Date {
  const d = new Date(due.getTime())
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}

/** The payments of a scheme from a start date: amount × count, a month apart. */
export function planFromScheme(scheme: Pick<Scheme, 'incentiveAmount' | 'incentiveCount'>, start: Date): { sequence: number; amount: number; dueAt: Date }[] {
  if (scheme.incentiveAmount <= 0) return []
  return Array.from({ length: scheme.incentiveCount }, (_, i) => ({ sequence: i + 1, amount: scheme.incentiveAmount, dueAt: addMonths(start, i) }))
}

async function cardWave(ex: Executor, accountId: string): Promise<{ waveId: string; scheme: Scheme } | null> {
  const c = await ex
    .selectFrom('cards')
    .innerJoin('waves', 'waves.id', 'cards.wave_id')
    .select(['waves.id as waveId', 'waves.scheme as scheme'])
    .where('cards.account_id', '=', accountId)
    .where('cards.status', '!=', 'revoked')
    .orderBy('cards.issued_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!c) return null
  const scheme = typeof c.scheme === 'string' ? (JSON.parse(c.scheme) as Scheme) : c.scheme
  return { waveId: c.waveId, scheme }
}

export async function eligibility(ex: Executor, accountId: string): Promise<Eligibility> {
  const [cert, rating, account, wave] = await Promise.all([
    ex.selectFrom('certificates').select('number').where('account_id', '=', accountId).limit(1).executeTakeFirst(),
    ex.selectFrom('course_ratings').select('purchase_id').where('account_id', '=', accountId).limit(1).executeTakeFirst(),
    ex.selectFrom('payout_accounts').select('id').where('account_id', '=', accountId).where('status', '=', 'active').executeTakeFirst(),
    cardWave(ex, accountId),
  ])
  const e = { certificate: !!cert, rating: !!rating, account: !!account }
  return { ...e, eligible: e.certificate && e.rating && e.account && wave !== null, waveId: wave?.waveId ?? null, scheme: wave?.scheme ?? null }
}

/** Writes the course incentive's payouts once the participant is eligible; a no-op otherwise or when already written. */
export async function ensureSchedule(deps: Pick<IncentivesDeps, 'clock'>, ex: Executor, accountId: string): Promise<number> {
  const e = await eligibility(ex, accountId)
  if (!e.eligible || !e.scheme || !e.waveId) return 0
  const plan = planFromScheme(e.scheme, deps.clock.now())
  if (plan.length === 0) return 0
  const now = deps.clock.now()
  const r = await ex
    .insertInto('incentive_payouts')
    .values(plan.map((p) => ({ account_id: accountId, kind: 'course' as const, source_ref: e.waveId!, sequence: p.sequence, amount: p.amount, due_at: p.dueAt, status: 'scheduled' as const, created_at: now })))
    .onConflict((oc) => oc.constraint('incentive_payouts_once').doNothing())
    .execute()
  return r.reduce((n, x) => n + Number(x.numInsertedOrUpdatedRows ?? 0), 0)
}

/** Schedules every eligible participant who has no course incentive yet (the daily job's first step). */
export async function scheduleAllEligible(deps: IncentivesDeps): Promise<number> {
  const rows = await deps.db
    .selectFrom('payout_accounts as p')
    .select('p.account_id')
    .where('p.status', '=', 'active')
    .where(sql<boolean>`exists (select 1 from certificates c where c.account_id = p.account_id)`)
    .where(sql<boolean>`exists (select 1 from course_ratings r where r.account_id = p.account_id)`)
    .where(sql<boolean>`not exists (select 1 from incentive_payouts i where i.account_id = p.account_id and i.kind = 'course')`)
    .execute()
  let n = 0
  for (const r of rows) n += await ensureSchedule(deps, deps.db, r.account_id)
  return n
}

export interface SurveyIncentiveInput {
  readonly accountId: string
  /** The survey's own id: one payout per participant and survey, however often this is called. */
  readonly surveyId: string
  /** Rupiah; the participant's wave scheme's survey incentive when absent. */
  readonly amount?: number
  /** Default: now (paid in the next daily run once an account is linked). */
  readonly dueAt?: Date
}

/**
 * Schedules the incentive for a completed survey (public: the surveys module calls it in
 * its own transaction). Idempotent by (participant, survey); returns the payout id.
 */
export async function scheduleSurveyIncentive(deps: Pick<IncentivesDeps, 'clock'>, ex: Executor, input: SurveyIncentiveInput): Promise<{ payoutId: string; created: boolean }> {
  let amount = input.amount
  if (amount === undefined) amount = (await cardWave(ex, input.accountId))?.scheme.surveyIncentiveAmount
  if (!amount || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'amount', id: 'Tidak ada insentif survei untuk peserta ini.', en: 'There is no survey incentive for this participant.' }] })
  }
  const now = deps.clock.now()
  const inserted = await ex
    .insertInto('incentive_payouts')
    .values({ account_id: input.accountId, kind: 'survey', source_ref: input.surveyId, sequence: 1, amount, due_at: input.dueAt ?? now, status: 'scheduled', created_at: now })
    .onConflict((oc) => oc.constraint('incentive_payouts_once').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { payoutId: inserted.id, created: true }
  const existing = await ex
    .selectFrom('incentive_payouts')
    .select('id')
    .where('account_id', '=', input.accountId)
    .where('kind', '=', 'survey')
    .where('source_ref', '=', input.surveyId)
    .where('sequence', '=', 1)
    .executeTakeFirstOrThrow()
  return { payoutId: existing.id, created: false }
}

/**
 * Survey incentives for the evaluation surveys answered (the learning module's responses,
 * read here as the eligibility rules above read certificates and ratings): one payout per
 * participant and survey, at most the wave scheme's survey count, none when the scheme pays
 * no survey incentive. Run by the daily job; repeating it changes nothing.
 */
export async function scheduleAnsweredSurveys(deps: Pick<IncentivesDeps, 'db' | 'clock'>): Promise<number> {
  const answered = await sql<{ account_id: string; survey_id: string }>`
    select r.account_id, r.survey_id, min(r.answered_at) as first_at from survey_responses r
    where not exists (select 1 from incentive_payouts i where i.account_id = r.account_id and i.kind = 'survey' and i.source_ref = r.survey_id)
    group by r.account_id, r.survey_id
    order by first_at, r.account_id, r.survey_id`.execute(deps.db)
  let n = 0
  for (const r of answered.rows) {
    const wave = await cardWave(deps.db, r.account_id)
    const amount = wave?.scheme.surveyIncentiveAmount ?? 0
    if (!wave || amount <= 0) continue
    const already = await deps.db.selectFrom('incentive_payouts').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', r.account_id).where('kind', '=', 'survey').executeTakeFirstOrThrow()
    if (Number(already.n) >= wave.scheme.surveyCount) continue
    if ((await scheduleSurveyIncentive(deps, deps.db, { accountId: r.account_id, surveyId: r.survey_id, amount })).created) n++
  }
  return n
}
