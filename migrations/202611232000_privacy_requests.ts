import { sql, type Kysely } from 'kysely'

// Personal-data requests under UU 27/2022: a person's request to correct what Karya holds,
// kept with its answer; never deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_correction_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('requested_value', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('received').check(sql`status in ('received','in_review','corrected','refused')`))
    .addColumn('answer', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('data_correction_requests_account_idx').on('data_correction_requests').columns(['account_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_correction_requests').execute()
}
