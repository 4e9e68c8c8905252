import { sql, type Kysely } from 'kysely'

// Completion (issue #7): providers report assignments and completions through the partner
// API, each idempotent by the provider's own report id. Reports are append-only; a
// completion that meets the rules completes the purchase and issues a certificate, one
// that breaks a rule waits in a review queue with an SLA. Participants rate a completed course.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('learning_reports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('provider_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('assignment', 'completion')`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('recorded', 'completed', 'review')`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('learning_reports_idempotency', ['provider_code', 'report_id'])
    .execute()
  await db.schema.createIndex('learning_reports_purchase').on('learning_reports').columns(['purchase_id', 'id']).execute()

  await db.schema
    .createTable('learning_assignments')
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('assignment_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('not_submitted', 'pending', 'success', 'failed')`))
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('learning_assignments_pk', ['purchase_id', 'assignment_ref'])
    .execute()

  await db.schema
    .createTable('completion_reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('report_row_id', 'bigint', (c) => c.notNull().references('learning_reports.id'))
    .addColumn('broken_rules', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reviewer_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .execute()
  // At most one open review per purchase.
  await sql`create unique index completion_reviews_open on completion_reviews (purchase_id) where status = 'pending'`.execute(db)
  await db.schema.createIndex('completion_reviews_queue').on('completion_reviews').columns(['status', 'due_at']).execute()

  await db.schema
    .createTable('certificates')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().unique().references('purchases.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('course_id', 'uuid', (c) => c.notNull().references('courses.id'))
    .addColumn('provider_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('provider_number', 'text')
    .addColumn('provider_url', 'text')
    .addColumn('grade', 'integer', (c) => c.notNull().check(sql`grade between 0 and 100`))
    .addColumn('completed_on', 'timestamptz', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('show_full_name', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()

  await db.schema
    .createTable('course_ratings')
    .addColumn('purchase_id', 'uuid', (c) => c.primaryKey().references('purchases.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('course_id', 'uuid', (c) => c.notNull().references('courses.id'))
    .addColumn('stars', 'integer', (c) => c.notNull().check(sql`stars between 1 and 5`))
    .addColumn('review', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['course_ratings', 'certificates', 'completion_reviews', 'learning_assignments', 'learning_reports']) await db.schema.dropTable(t).execute()
}
