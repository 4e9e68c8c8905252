import { sql, type Kysely } from 'kysely'

// After a draw, everyone not selected is told so, and that they will be entered in the next
// wave without filling anything in again (the real programme left people guessing). One row
// per application told, appended in the message's own transaction, so the job can stop and
// run again without telling anyone twice; a table of its own keeps wave_outcomes narrow and
// unchanged (decision 0015). Applications decided before this migration are marked as told:
// their waves are over and a late "not selected" would only confuse.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table wave_outcome_notices (
      application_id bigint primary key,
      wave_id uuid not null,
      sent_at timestamptz not null
    )`.execute(db)
  await sql`
    insert into wave_outcome_notices (application_id, wave_id, sent_at)
    select application_id, wave_id, decided_at from wave_outcomes where outcome = 'not_selected'
    order by application_id`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table wave_outcome_notices`.execute(db)
}
