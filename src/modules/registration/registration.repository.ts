import { sql, type Updateable } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { RegistrationProfilesTable, Step } from './registration.tables.ts'

export type ProfilePatch = Partial<
  Pick<
    Updateable<RegistrationProfilesTable>,
    | 'nik_sealed'
    | 'nik_hash'
    | 'birth_date'
    | 'sex'
    | 'kk_sealed'
    | 'kk_hash'
    | 'full_name'
    | 'address_line'
    | 'rt'
    | 'rw'
    | 'province_code'
    | 'regency_code'
    | 'district_code'
    | 'education'
    | 'employment_status'
    | 'in_formal_education'
  >
>

export async function findProfile(db: Executor, accountId: string) {
  return db.selectFrom('registration_profiles').selectAll().where('account_id', '=', accountId).executeTakeFirst()
}

export async function findAccountByNikHash(db: Executor, nikHash: string): Promise<string | null> {
  const row = await db.selectFrom('registration_profiles').select('account_id').where('nik_hash', '=', nikHash).executeTakeFirst()
  return row?.account_id ?? null
}

/**
 * Saves a step in one statement: the values, the step marked done (or not), its draft kept or
 * cleared, and the submission appended to the history (a CTE). Creates the profile on the first
 * step. Returns the steps done afterwards.
 */
export async function saveStep(
  db: Executor,
  accountId: string,
  step: Step,
  patch: ProfilePatch,
  opts: { done: boolean; draft: Record<string, string> | null; now: Date; history: Record<string, unknown> },
): Promise<Step[]> {
  const drafts = opts.draft
    ? sql<string>`registration_profiles.drafts || jsonb_build_object(${step}::text, ${JSON.stringify(opts.draft)}::jsonb)`
    : sql<string>`registration_profiles.drafts - ${step}::text`
  const steps = opts.done
    ? sql<Step[]>`(select array(select distinct s from unnest(registration_profiles.steps_done || array[${step}::text]) s order by s))`
    : sql<Step[]>`array_remove(registration_profiles.steps_done, ${step}::text)`
  const row = await db
    .with('history', (q) =>
      q.insertInto('registration_step_history').values({ account_id: accountId, step, data: JSON.stringify(opts.history), at: opts.now }),
    )
    .insertInto('registration_profiles')
    .values({
      account_id: accountId,
      ...patch,
      created_at: opts.now,
      updated_at: opts.now,
      // What the update below would make of an empty profile.
      drafts: JSON.stringify(opts.draft ? { [step]: opts.draft } : {}),
      steps_done: opts.done ? [step] : [],
    })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...patch, drafts, steps_done: steps, updated_at: opts.now }))
    .returning('steps_done')
    .executeTakeFirstOrThrow()
  return row.steps_done
}

export async function markCompleted(db: Executor, accountId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('registration_profiles')
    .set({ completed_at: now })
    .where('account_id', '=', accountId)
    .where('completed_at', 'is', null)
    .where(sql<boolean>`steps_done @> array['identitas','keluarga','alamat','pendidikan']::text[]`)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function appendHistory(db: Executor, accountId: string, step: Step, data: Record<string, unknown>, at: Date): Promise<void> {
  await db.insertInto('registration_step_history').values({ account_id: accountId, step, data: JSON.stringify(data), at }).execute()
}

export async function historyOf(db: Executor, accountId: string) {
  return db.selectFrom('registration_step_history').select(['step', 'data', 'at']).where('account_id', '=', accountId).orderBy('id').execute()
}
