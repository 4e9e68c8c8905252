import { sql, type Kysely } from 'kysely'

// Integrity freezes (issue #11): a PMO "freeze" on a signal acts on its subject (an
// account, a partner, a payout account) and is recorded here with the status it had,
// so "clear" can restore it; a subject frozen by two signals stays frozen until both
// are cleared. Payout accounts get their own frozen flag (the incentives module owns it
// and holds payouts to a frozen one).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('integrity_freezes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('target_type', 'text', (c) => c.notNull().check(sql`target_type in ('account', 'partner', 'payout_account')`))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('signal_kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('previous_status', 'text', (c) => c.notNull())
    .addColumn('frozen_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('frozen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cleared_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('cleared_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('integrity_freezes_target').on('integrity_freezes').columns(['target_type', 'target_id']).where(sql<boolean>`cleared_at is null`).execute()
  await db.schema.createIndex('integrity_freezes_signal').on('integrity_freezes').columns(['signal_kind', 'subject']).where(sql<boolean>`cleared_at is null`).execute()
  await db.schema.alterTable('payout_accounts').addColumn('frozen_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payout_accounts').dropColumn('frozen_at').execute()
  await db.schema.dropTable('integrity_freezes').execute()
}
