/** All SQL over the reporting module's own tables: the daily facts and the refresh log. */
import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../../platform/db/schema.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { ReportFilters } from './filters.ts'

type Facts = ExpressionBuilder<DB, 'report_daily_facts'>

/** The rollup marker: regency '*' = a province's total; province and regency '*' = national. */
export const ALL = '*'

/** Day range and wave, on any level. */
function period(eb: Facts, f: ReportFilters) {
  const conds = [eb('day', '>=', f.from), eb('day', '<=', f.to)]
  if (f.waveId) conds.push(eb('wave_id', '=', f.waveId))
  return conds
}

/** The filtered cells at the coarsest level that answers: a regency's rows, a province's or the nation's rollup. */
function within(eb: Facts, f: ReportFilters) {
  const conds = period(eb, f)
  if (f.regency) conds.push(eb('regency_code', '=', f.regency))
  else if (f.province) conds.push(eb('province_code', '=', f.province), eb('regency_code', '=', ALL))
  else conds.push(eb('province_code', '=', ALL), eb('regency_code', '=', ALL))
  return eb.and(conds)
}

/** The regency-level rows (what the sources wrote) in the filters' area. */
function raw(eb: Facts, f: ReportFilters) {
  const conds = [...period(eb, f), eb('regency_code', '!=', ALL), eb('province_code', '!=', ALL)]
  if (f.province) conds.push(eb('province_code', '=', f.province))
  if (f.regency) conds.push(eb('regency_code', '=', f.regency))
  return eb.and(conds)
}

export async function lockRefresh(ex: Executor): Promise<void> {
  // Two refreshes at once (the nightly job and a "refresh now") would both delete and insert.
  await sql`select pg_advisory_xact_lock(hashtext('reports.refresh'))`.execute(ex)
}

export async function deleteFacts(ex: Executor, from: string | null): Promise<number> {
  let q = ex.deleteFrom('report_daily_facts')
  if (from !== null) q = q.where('day', '>=', from)
  const res = await q.executeTakeFirst()
  return Number(res.numDeletedRows)
}

/** The province and national rollups of the days from `from`, summed from the regency-level rows. */
export async function writeRollups(ex: Executor, from: string | null): Promise<number> {
  const since = from === null ? sql`true` : sql`day >= ${from}::date`
  const province = await sql`insert into report_daily_facts (day, metric, wave_id, province_code, regency_code, reason, value)
    select day, metric, wave_id, province_code, ${ALL}, reason, sum(value) from report_daily_facts
     where regency_code <> ${ALL} and province_code <> ${ALL} and ${since} group by day, metric, wave_id, province_code, reason`.execute(ex)
  const national = await sql`insert into report_daily_facts (day, metric, wave_id, province_code, regency_code, reason, value)
    select day, metric, wave_id, ${ALL}, ${ALL}, reason, sum(value) from report_daily_facts
     where regency_code = ${ALL} and province_code <> ${ALL} and ${since} group by day, metric, wave_id, reason`.execute(ex)
  return Number(province.numAffectedRows ?? 0n) + Number(national.numAffectedRows ?? 0n)
}

export async function insertRefresh(ex: Executor, row: {
  startedAt: Date
  finishedAt: Date
  fromDay: string | null
  toDay: string
  mode: 'full' | 'recent'
  source: string
  durationMs: number
  rowsDeleted: number
  rowsWritten: number
  perSource: Record<string, { rows: number; ms: number }>
}): Promise<void> {
  await ex
    .insertInto('report_refreshes')
    .values({
      started_at: row.startedAt,
      finished_at: row.finishedAt,
      from_day: row.fromDay,
      to_day: row.toDay,
      mode: row.mode,
      source: row.source,
      duration_ms: row.durationMs,
      rows_deleted: row.rowsDeleted,
      rows_written: row.rowsWritten,
      per_source: JSON.stringify(row.perSource),
    })
    .execute()
}

export async function latestRefresh(ex: Executor) {
  return ex.selectFrom('report_refreshes').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst()
}

export async function recentRefreshes(ex: Executor, limit: number) {
  return ex.selectFrom('report_refreshes').selectAll().orderBy('id', 'desc').limit(limit).execute()
}

/** Sum of each metric in the filtered cells. */
export async function totals(ex: Executor, f: ReportFilters): Promise<Array<{ metric: string; value: number }>> {
  return ex
    .selectFrom('report_daily_facts')
    .select(['metric', sql<number>`sum(value)::int8`.as('value')])
    .where((eb) => within(eb, f))
    .groupBy('metric')
    .execute()
}

/** One value per (bucket, metric) for a time series; buckets begin on their first day. */
export async function series(ex: Executor, f: ReportFilters, metrics: readonly string[], bucket: 'day' | 'week' | 'month') {
  const b = bucket === 'day' ? sql<string>`day` : sql<string>`date_trunc(${bucket}, day)::date`
  return ex
    .selectFrom('report_daily_facts')
    .select([b.as('bucket'), 'metric', sql<number>`sum(value)::int8`.as('value')])
    .where((eb) => within(eb, f))
    .where('metric', 'in', [...metrics])
    .groupBy([sql`1`, 'metric'])
    .orderBy(sql`1`)
    .execute()
}

/** The metrics per area: each province (from their rollups), or the regencies of the chosen province. */
export async function byArea(ex: Executor, f: ReportFilters, metrics: readonly string[]) {
  if (f.province) {
    return ex
      .selectFrom('report_daily_facts')
      .select(['regency_code as area', 'metric', sql<number>`sum(value)::int8`.as('value')])
      .where((eb) => raw(eb, f))
      .where('metric', 'in', [...metrics])
      .groupBy(['regency_code', 'metric'])
      .orderBy('regency_code')
      .execute()
  }
  return ex
    .selectFrom('report_daily_facts')
    .select(['province_code as area', 'metric', sql<number>`sum(value)::int8`.as('value')])
    .where((eb) => eb.and([...period(eb, f), eb('regency_code', '=', ALL), eb('province_code', '!=', ALL)]))
    .where('metric', 'in', [...metrics])
    .groupBy(['province_code', 'metric'])
    .orderBy('province_code')
    .execute()
}

/** Counts by reason for the metrics that have one (failed checks, ineligible, revoked). */
export async function reasons(ex: Executor, f: ReportFilters, metrics: readonly string[]) {
  return ex
    .selectFrom('report_daily_facts')
    .select(['metric', 'reason', sql<number>`sum(value)::int8`.as('value')])
    .where((eb) => within(eb, f))
    .where('metric', 'in', [...metrics])
    .groupBy(['metric', 'reason'])
    .orderBy('metric')
    .orderBy(sql`3`, 'desc')
    .execute()
}

export interface FactKey {
  readonly day: string
  readonly metric: string
  readonly wave_id: string
  readonly province_code: string
  readonly regency_code: string
  readonly reason: string
}

/**
 * One page of raw facts after `after`, in primary-key order: the export walks the table
 * page by page (keyset, served by the primary key), so memory stays one page whatever
 * the size, and no transaction or cursor is held open while a slow client downloads.
 */
export async function factsPage(ex: Executor, f: ReportFilters, after: FactKey | null, limit: number) {
  let q = ex
    .selectFrom('report_daily_facts')
    .select(['day', 'metric', 'wave_id', 'province_code', 'regency_code', 'reason', 'value'])
    .where((eb) => raw(eb, f))
  if (after) {
    q = q.where(
      sql<boolean>`(day, metric, wave_id, province_code, regency_code, reason) > (${after.day}::date, ${after.metric}, ${after.wave_id}, ${after.province_code}, ${after.regency_code}, ${after.reason})`,
    )
  }
  return q.orderBy('day').orderBy('metric').orderBy('wave_id').orderBy('province_code').orderBy('regency_code').orderBy('reason').limit(limit).execute()
}

/** The programme-wide totals of the public statistics page (no filters, every day). */
export async function allTimeByProvince(ex: Executor, metrics: readonly string[]) {
  return ex
    .selectFrom('report_daily_facts')
    .select(['province_code', 'metric', sql<number>`sum(value)::int8`.as('value')])
    .where('regency_code', '=', ALL)
    .where('province_code', '!=', ALL)
    .where('metric', 'in', [...metrics])
    .groupBy(['province_code', 'metric'])
    .orderBy('province_code')
    .execute()
}

/** National all-time sums by reason (the complaint channel, for instance). */
export async function allTimeByReason(ex: Executor, metrics: readonly string[]) {
  return ex
    .selectFrom('report_daily_facts')
    .select(['reason', 'metric', sql<number>`sum(value)::int8`.as('value')])
    .where('province_code', '=', ALL)
    .where('metric', 'in', [...metrics])
    .groupBy(['reason', 'metric'])
    .orderBy('reason')
    .execute()
}

export async function allTimeByMonth(ex: Executor, metrics: readonly string[]) {
  return ex
    .selectFrom('report_daily_facts')
    .select([sql<string>`to_char(day, 'YYYY-MM')`.as('month'), 'metric', sql<number>`sum(value)::int8`.as('value')])
    .where('province_code', '=', ALL)
    .where('metric', 'in', [...metrics])
    .groupBy([sql`1`, 'metric'])
    .orderBy(sql`1`)
    .execute()
}

/** Waves for the filter list: a read of the waves module's table, for reporting only. */
export async function waveOptions(ex: Executor) {
  return ex.selectFrom('waves').select(['id', 'code', 'name']).where('status', 'not in', ['draft', 'cancelled']).orderBy('opens_at', 'desc').execute()
}

/**
 * Balances per ledger account type, summed from the ledger's cached balances: a read of
 * the ledger's table for reporting (the ledger stays the only code that writes it).
 * Credit-normal: balance = credits − debits; pending = money held, not yet posted.
 */
export async function balancesByAccountType(ex: Executor) {
  return ex
    .selectFrom('ledger_accounts')
    .select([
      'type',
      sql<number>`count(*)::int8`.as('accounts'),
      sql<number>`sum(credits_posted - debits_posted)::int8`.as('posted'),
      sql<number>`sum(debits_pending)::int8`.as('held'),
    ])
    .groupBy('type')
    .orderBy('type')
    .execute()
}

/** The waves the public status page lists (a read of the waves module's table, for reporting). */
export async function publicWaves(ex: Executor) {
  return ex
    .selectFrom('waves')
    .leftJoin('wave_draws', 'wave_draws.wave_id', 'waves.id')
    .select(['waves.code', 'waves.name', 'waves.status', 'waves.opens_at', 'waves.closes_at', 'waves.commitment', 'waves.seed', 'wave_draws.export_sha256', 'wave_draws.selected'])
    .where('waves.status', 'in', ['committed', 'open', 'closed', 'drawn'])
    .orderBy('waves.opens_at', 'desc')
    .limit(50)
    .execute()
}
