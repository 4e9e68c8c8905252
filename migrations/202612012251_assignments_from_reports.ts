import { sql, type Kysely } from 'kysely'

// Issue #7: an assignment's status is its latest report row (learning_reports, kind
// 'assignment'), read where it is needed; learning_assignments only kept a copy of it, one
// more row written per assignment report. Decision 0006 (amendment "Report rows in the timeline").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('learning_assignments').execute()
}

// Down: the table again, filled from the report rows (each assignment's latest).
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('learning_assignments')
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('assignment_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('not_submitted', 'pending', 'success', 'failed')`))
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_assignments_pk', ['purchase_id', 'assignment_ref'])
    .execute()
  await sql`
    insert into learning_assignments (purchase_id, assignment_ref, status, reported_at)
    select distinct on (purchase_id, payload->>'assignmentRef') purchase_id, payload->>'assignmentRef', payload->>'status', received_at
    from learning_reports where kind = 'assignment'
    order by purchase_id, payload->>'assignmentRef', id desc`.execute(db)
}
