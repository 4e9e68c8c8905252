import { sql, type Kysely } from 'kysely'

// Completion (issue #7), bulk half: providers also report session attendance (with the
// session's redeem code), and a completion for a course already completed is kept as a
// correction (an event; the certificate stays as issued). Both widen a check on learning_reports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table learning_reports drop constraint learning_reports_kind_check`.execute(db)
  await sql`alter table learning_reports add constraint learning_reports_kind_check check (kind in ('assignment', 'completion', 'attendance'))`.execute(db)
  await sql`alter table learning_reports drop constraint learning_reports_outcome_check`.execute(db)
  await sql`alter table learning_reports add constraint learning_reports_outcome_check check (outcome in ('recorded', 'completed', 'review', 'correction'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table learning_reports drop constraint learning_reports_kind_check`.execute(db)
  await sql`alter table learning_reports add constraint learning_reports_kind_check check (kind in ('assignment', 'completion'))`.execute(db)
  await sql`alter table learning_reports drop constraint learning_reports_outcome_check`.execute(db)
  await sql`alter table learning_reports add constraint learning_reports_outcome_check check (outcome in ('recorded', 'completed', 'review'))`.execute(db)
}
