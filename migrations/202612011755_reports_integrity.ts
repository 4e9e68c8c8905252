import { sql, type Kysely } from 'kysely'

// Integrity (issue #11): PMO's decisions on fraud signals computed from existing data
// (freeze, clear, refer), one row per decision, append-only by habit: the latest row per
// signal is its state, earlier ones its history. Each decision is also audited.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integrity_actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('signal_kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('freeze', 'clear', 'refer')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('integrity_actions_signal').on('integrity_actions').columns(['signal_kind', 'subject', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('integrity_actions').execute()
}
