import { sql, type Kysely } from 'kysely'

// learning_reports and purchase_events are append-only logs written in bulk (a provider's
// 100 000-row report request writes about 100 000 of each). Their foreign keys cost a lookup
// in the referenced table per written row, and the services that write them have just read
// (and locked) the purchase, its account and the provider they name: the check was paid
// twice. No code deletes purchases, accounts or partners, so nothing can leave these rows
// pointing nowhere afterwards. A new writer of these tables must check the rows it names
// itself. Decision 0009 (amendment for issue #7).
const FKS = [
  ['learning_reports', 'learning_reports_provider_code_fkey', 'provider_code', 'partners (code)'],
  ['learning_reports', 'learning_reports_purchase_id_fkey', 'purchase_id', 'purchases (id)'],
  ['purchase_events', 'purchase_events_purchase_id_fkey', 'purchase_id', 'purchases (id)'],
  ['purchase_events', 'purchase_events_account_id_fkey', 'account_id', 'accounts (id)'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, name] of FKS) await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.ref(name)}`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, name, column, target] of FKS) {
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(name)} foreign key (${sql.ref(column)}) references ${sql.raw(target)}`.execute(db)
  }
}
