/** All SQL of waves, applications and notify-me requests (cards and the funnel: cards.repository.ts). */
import { sql } from 'kysely'
import type { Executor, Trx } from '../../platform/db/database.ts'
import type { ApplicationOutcome, Scheme, WaveStatus } from './waves.tables.ts'

export type WaveRow = Awaited<ReturnType<typeof findWave>> & {}

const WAVE_COLUMNS = [
  'id', 'code', 'name', 'status', 'opens_at', 'closes_at', 'national_quota', 'scheme', 'commitment', 'seed_sealed', 'seed',
  'committed_at', 'opened_at', 'closed_at', 'drawn_at', 'created_at', 'updated_at',
] as const

export async function findWave(ex: Executor, id: string) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function findWaveByCode(ex: Executor, code: string) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).where('code', '=', code).executeTakeFirst()
}

/** Locks the wave row for a change of status or configuration. */
export async function lockWave(trx: Trx, id: string) {
  return trx.selectFrom('waves').select(WAVE_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listWaves(ex: Executor) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).orderBy('opens_at', 'desc').execute()
}

/** Waves people can see: everything past its draft, newest first. */
export async function listPublicWaves(ex: Executor) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).where('status', 'not in', ['draft', 'cancelled']).orderBy('opens_at', 'desc').execute()
}

export async function listOpenWaves(ex: Executor) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).where('status', '=', 'open').orderBy('closes_at').execute()
}

/** The next wave that is announced (committed) but not open yet. */
export async function nextCommittedWave(ex: Executor) {
  return ex.selectFrom('waves').select(WAVE_COLUMNS).where('status', '=', 'committed').orderBy('opens_at').limit(1).executeTakeFirst()
}

export interface WaveConfig {
  code: string
  name: string
  opensAt: Date
  closesAt: Date
  nationalQuota: number
  scheme: Scheme
}

export async function insertWave(trx: Trx, c: WaveConfig, by: string | null, now: Date): Promise<string> {
  const r = await trx
    .insertInto('waves')
    .values({
      code: c.code,
      name: c.name,
      status: 'draft',
      opens_at: c.opensAt,
      closes_at: c.closesAt,
      national_quota: c.nationalQuota,
      scheme: JSON.stringify(c.scheme),
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function updateWaveConfig(trx: Trx, id: string, c: WaveConfig, now: Date): Promise<void> {
  await trx
    .updateTable('waves')
    .set({ code: c.code, name: c.name, opens_at: c.opensAt, closes_at: c.closesAt, national_quota: c.nationalQuota, scheme: JSON.stringify(c.scheme), updated_at: now })
    .where('id', '=', id)
    .execute()
}

export async function codeTaken(ex: Executor, code: string, exceptId: string | null): Promise<boolean> {
  let q = ex.selectFrom('waves').select('id').where('code', '=', code)
  if (exceptId) q = q.where('id', '<>', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}

export async function setWaveStatus(
  trx: Trx,
  id: string,
  to: WaveStatus,
  patch: { commitment?: string; seed_sealed?: string; committed_at?: Date; opened_at?: Date; closed_at?: Date },
  now: Date,
): Promise<void> {
  await trx.updateTable('waves').set({ status: to, ...patch, updated_at: now }).where('id', '=', id).execute()
}

export async function replaceQuotas(trx: Trx, waveId: string, areas: ReadonlyArray<{ areaCode: string; quota: number }>): Promise<void> {
  await trx.deleteFrom('wave_quotas').where('wave_id', '=', waveId).execute()
  if (areas.length > 0) {
    await trx.insertInto('wave_quotas').values(areas.map((a) => ({ wave_id: waveId, area_code: a.areaCode, quota: a.quota }))).execute()
  }
}

export async function listQuotas(ex: Executor, waveId: string) {
  return ex.selectFrom('wave_quotas').select(['area_code', 'quota']).where('wave_id', '=', waveId).orderBy('area_code').execute()
}

/** A NIK in two groups keeps the last one given. */
export async function upsertPriorityEntries(trx: Trx, waveId: string, groupCode: string, nikHashes: readonly string[]): Promise<void> {
  for (let i = 0; i < nikHashes.length; i += 1000) {
    const chunk = nikHashes.slice(i, i + 1000).map((h) => ({ wave_id: waveId, nik_hash: h, group_code: groupCode }))
    await trx
      .insertInto('wave_priority_entries')
      .values(chunk)
      .onConflict((oc) => oc.columns(['wave_id', 'nik_hash']).doUpdateSet({ group_code: groupCode }))
      .execute()
  }
}

export async function priorityGroupCounts(ex: Executor, waveId: string) {
  const rows = await ex
    .selectFrom('wave_priority_entries')
    .select(['group_code', (eb) => eb.fn.countAll<string>().as('n')])
    .where('wave_id', '=', waveId)
    .groupBy('group_code')
    .orderBy('group_code')
    .execute()
  return rows.map((r) => ({ groupCode: r.group_code, count: Number(r.n) }))
}

export async function findDraw(ex: Executor, waveId: string) {
  return ex.selectFrom('wave_draws').selectAll().where('wave_id', '=', waveId).executeTakeFirst()
}

// Applications

export interface NewApplication {
  waveId: string
  accountId: string
  pseudonym: string
  nikHash: string
  kkHash: string
  provinceCode: string
  regencyCode: string
  otherProgramme: boolean
  carriedFrom: string | null
  joinedAt: Date
}

function applicationValues(a: NewApplication) {
  return {
    wave_id: a.waveId,
    account_id: a.accountId,
    pseudonym: a.pseudonym,
    nik_hash: a.nikHash,
    kk_hash: a.kkHash,
    province_code: a.provinceCode,
    regency_code: a.regencyCode,
    other_programme: a.otherProgramme,
    carried_from: a.carriedFrom,
    joined_at: a.joinedAt,
  }
}

/** false when the person is already in the wave (the unique constraint decides). */
export async function insertApplication(ex: Executor, a: NewApplication): Promise<boolean> {
  const r = await ex
    .insertInto('wave_applications')
    .values(applicationValues(a))
    .onConflict((oc) => oc.columns(['wave_id', 'account_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return r !== undefined
}

export async function insertApplications(ex: Executor, rows: readonly NewApplication[]): Promise<string[]> {
  if (rows.length === 0) return []
  const r = await ex
    .insertInto('wave_applications')
    .values(rows.map(applicationValues))
    .onConflict((oc) => oc.columns(['wave_id', 'account_id']).doNothing())
    .returning('account_id')
    .execute()
  return r.map((x) => x.account_id)
}

export async function findApplication(ex: Executor, waveId: string, accountId: string) {
  return ex.selectFrom('wave_applications').selectAll().where('wave_id', '=', waveId).where('account_id', '=', accountId).executeTakeFirst()
}

/** The person's newest application with its wave. */
export async function latestApplication(ex: Executor, accountId: string) {
  return ex
    .selectFrom('wave_applications as a')
    .innerJoin('waves as w', 'w.id', 'a.wave_id')
    // The draw's outcome, if the wave was drawn (decision 0015).
    .leftJoin('wave_outcomes as o', 'o.application_id', 'a.id')
    .select([
      'a.id', 'a.wave_id', 'a.pseudonym', 'o.outcome', 'o.ineligible_reason', 'o.draw_area', 'o.draw_position', 'a.joined_at', 'a.carried_from',
      'w.code as wave_code', 'w.name as wave_name', 'w.status as wave_status', 'w.closes_at', 'w.opens_at',
    ])
    .where('a.account_id', '=', accountId)
    .orderBy('a.joined_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/**
 * People to carry into `waveId`: their newest application (in another wave) was not
 * selected, they hold no card and are not in this wave yet.
 */
export async function carryOverCandidates(ex: Executor, waveId: string, limit: number) {
  const latest = ex
    .selectFrom('wave_applications as a')
    .leftJoin('wave_outcomes as o', 'o.application_id', 'a.id')
    .distinctOn('a.account_id')
    .select(['a.account_id', 'a.wave_id', 'o.outcome', 'a.nik_hash', 'a.kk_hash', 'a.province_code', 'a.regency_code', 'a.other_programme'])
    .orderBy('a.account_id')
    .orderBy('a.joined_at', 'desc')
    .orderBy('a.id', 'desc')
    .as('l')
  return ex
    .selectFrom(latest)
    .selectAll('l')
    .where('l.outcome', '=', 'not_selected')
    .where('l.wave_id', '<>', waveId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('cards').select('cards.id').whereRef('cards.account_id', '=', 'l.account_id'))))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('wave_applications as n').select('n.id').whereRef('n.account_id', '=', 'l.account_id').where('n.wave_id', '=', waveId))),
    )
    .limit(limit)
    .execute()
}

/**
 * Claims up to `limit` not-selected applications of the wave after `afterId` (id order, so a
 * run walks the primary key once) whose message has not gone out, marks them told in the
 * caller's transaction, and returns their accounts and the last id looked at (null: none
 * left). Two workers at once never claim the same application: the insert's key decides.
 */
export async function claimNotSelectedNotices(ex: Executor, waveId: string, afterId: number, at: Date, limit: number): Promise<{ accountIds: string[]; lastId: number | null }> {
  const rows = await sql<{ account_id: string | null; last_id: string | null }>`
    with todo as (
      select o.application_id from wave_outcomes o
      where o.application_id > ${afterId} and o.wave_id = ${waveId} and o.outcome = 'not_selected'
        and not exists (select 1 from wave_outcome_notices n where n.application_id = o.application_id)
      order by o.application_id
      limit ${limit}
    ), told as (
      insert into wave_outcome_notices (application_id, wave_id, sent_at)
      select application_id, ${waveId}, ${at} from todo
      on conflict do nothing
      returning application_id
    )
    select a.account_id, (select max(application_id) from todo)::text as last_id
    from (select 1) one left join (told join wave_applications a on a.id = told.application_id) on true`.execute(ex)
  const last = rows.rows[0]?.last_id ?? null
  return { accountIds: rows.rows.flatMap((r) => (r.account_id ? [r.account_id] : [])), lastId: last === null ? null : Number(last) }
}

/** Selected applications after `afterId` whose person holds no card yet, in id order. */
export async function selectedWithoutCard(ex: Executor, waveId: string, afterId: number, limit: number) {
  return ex
    .selectFrom('wave_applications as a')
    .innerJoin('wave_outcomes as o', 'o.application_id', 'a.id')
    .select(['a.id', 'a.account_id', 'a.nik_hash', 'a.kk_hash', 'a.pseudonym'])
    .where('a.wave_id', '=', waveId)
    .where('o.outcome', '=', 'selected' satisfies ApplicationOutcome)
    .where('a.id', '>', afterId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('cards').select('cards.id').where((c) => c.or([c('cards.account_id', '=', c.ref('a.account_id')), c('cards.nik_hash', '=', c.ref('a.nik_hash'))])))))
    .orderBy('a.id')
    .limit(limit)
    .execute()
}

// Notify-me

export async function insertNotifyRequest(ex: Executor, accountId: string, at: Date): Promise<void> {
  await ex
    .insertInto('wave_notify_requests')
    .values({ account_id: accountId, requested_at: at, notified_at: null })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ requested_at: at, notified_at: null }))
    .execute()
}

export async function findNotifyRequest(ex: Executor, accountId: string) {
  return ex.selectFrom('wave_notify_requests').selectAll().where('account_id', '=', accountId).executeTakeFirst()
}

/** Claims up to `limit` waiting requests (marks them notified) and returns their accounts. */
export async function claimNotifyRequests(trx: Trx, now: Date, limit: number): Promise<string[]> {
  const rows = await trx
    .updateTable('wave_notify_requests')
    .set({ notified_at: now })
    .where('account_id', 'in', (eb) => eb.selectFrom('wave_notify_requests').select('account_id').where('notified_at', 'is', null).limit(limit))
    .returning('account_id')
    .execute()
  return rows.map((r) => r.account_id)
}

export * from './cards.repository.ts'
