/** All SQL of the identity checks: the append-only check history and what the checks read of a profile. */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { CheckDetails, CheckKind, CheckOutcome } from './checks.tables.ts'

/** The profile as the checks need it, only once all four steps are done. */
export async function findCompletedProfile(db: Executor, accountId: string) {
  return db
    .selectFrom('registration_profiles')
    .select(['nik_sealed', 'kk_sealed', 'full_name', 'birth_date', 'in_formal_education'])
    .where('account_id', '=', accountId)
    .where('completed_at', 'is not', null)
    .where(sql<boolean>`steps_done @> array['identitas','keluarga','alamat','pendidikan']::text[]`)
    .executeTakeFirst()
}

/**
 * The next round for the account. Called after the profile row was written in the same
 * transaction, so that row's lock keeps two saves from taking the same number.
 */
export async function nextRound(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('registration_checks')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return Number(row?.round ?? 0) + 1
}

export async function latestRound(db: Executor, accountId: string): Promise<number | null> {
  const row = await db
    .selectFrom('registration_checks')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return row?.round === null || row?.round === undefined ? null : Number(row.round)
}

export interface CheckRow {
  account_id: string
  round: number
  kind: CheckKind
  attempt: number
  outcome: CheckOutcome
  details: CheckDetails
  at: Date
}

/** Appends a row. A second settled outcome for the same check and round is ignored: false. */
export async function appendCheck(db: Executor, row: CheckRow): Promise<boolean> {
  const r = await db
    .insertInto('registration_checks')
    .values({ ...row, details: JSON.stringify(row.details) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  return r !== undefined
}

export async function isSettled(db: Executor, accountId: string, round: number, kind: CheckKind): Promise<boolean> {
  const row = await db
    .selectFrom('registration_checks')
    .select('id')
    .where('account_id', '=', accountId)
    .where('round', '=', round)
    .where('kind', '=', kind)
    .where('outcome', 'in', ['passed', 'failed', 'gave_up'])
    .executeTakeFirst()
  return row !== undefined
}

/** Every row of the account's newest round, oldest first. */
export async function newestRoundRows(db: Executor, accountId: string) {
  return db
    .selectFrom('registration_checks')
    .select(['round', 'kind', 'attempt', 'outcome', 'details', 'at'])
    .where('account_id', '=', accountId)
    .where('round', '=', (eb) => eb.selectFrom('registration_checks').select((e) => e.fn.max('round').as('r')).where('account_id', '=', accountId))
    .orderBy('id')
    .execute()
}

/** The passed or failed outcome of one check in the account's newest round, if it has settled so. */
export async function newestRoundVerdict(db: Executor, accountId: string, kind: CheckKind) {
  return db
    .selectFrom('registration_checks')
    .select(['outcome', 'details', 'at'])
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('outcome', 'in', ['passed', 'failed'])
    .where('round', '=', (eb) => eb.selectFrom('registration_checks').select((e) => e.fn.max('round').as('r')).where('account_id', '=', accountId))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/**
 * Checks that gave up in the account's newest round and were not settled since: what PMO
 * must look at. A newer round (the person saved the profile again) takes a check off the list.
 */
export async function listGaveUp(db: Executor, limit: number) {
  return db
    .selectFrom('registration_checks as c')
    .select(['c.account_id', 'c.round', 'c.kind', 'c.attempt', 'c.details', 'c.at'])
    .where('c.outcome', '=', 'gave_up')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('registration_checks as n').select('n.id').whereRef('n.account_id', '=', 'c.account_id').whereRef('n.round', '>', 'c.round'))),
    )
    .orderBy('c.at')
    .limit(limit)
    .execute()
}

/** Every check row of the account, oldest first: for the person's data export and for audits. */
export async function checkHistory(db: Executor, accountId: string) {
  return db
    .selectFrom('registration_checks')
    .select(['round', 'kind', 'attempt', 'outcome', 'details', 'at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute()
}
