import { sql, type Kysely } from 'kysely'

// Issue #7: a report row (assignment, attendance, completion reported, correction) is shown in
// the purchase's timeline from learning_reports itself instead of from a copy in
// purchase_events; only the state changes it causes (completed, under review) are purchase
// events. To keep one order across the two tables, a report row takes its place from the
// purchase events' own sequence (timeline_seq). Rows written before this migration have none:
// their copies are already in purchase_events, so the timeline shows them from there.
// Decision 0006 (amendment "Report rows in the timeline").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('learning_reports').addColumn('timeline_seq', 'bigint').execute()
  // Set after the column exists, so the rows already there keep null.
  await sql`alter table learning_reports alter column timeline_seq set default nextval('purchase_events_id_seq')`.execute(db)
}

// Down: report rows written since lose their place in the timeline (the rows themselves stay).
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('learning_reports').dropColumn('timeline_seq').execute()
}
