import { sql, type Kysely } from 'kysely'

// The identity checks (civil registry, education registries, exclusion lists) as an
// append-only history: every queued check, every attempt a registry could not answer, and
// every outcome is a row. A person's status is the newest row of each check in the newest
// round; a round starts each time a completed profile is saved.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registration_checks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('round', 'integer', (c) => c.notNull().check(sql`round > 0`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('civil_registry', 'education', 'exclusions')`))
    .addColumn('attempt', 'integer', (c) => c.notNull().check(sql`attempt >= 0`))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('queued', 'unavailable', 'passed', 'failed', 'gave_up')`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('registration_checks_account_idx').on('registration_checks').columns(['account_id', 'round', 'id']).execute()
  // One settled outcome per check and round: a job that runs twice records it once.
  await sql`
    create unique index registration_checks_settled_once on registration_checks (account_id, round, kind)
    where outcome in ('passed', 'failed', 'gave_up')`.execute(db)
  // PMO's list of checks that never got through.
  await sql`create index registration_checks_gave_up_idx on registration_checks (at) where outcome = 'gave_up'`.execute(db)
  await sql`
    create function registration_checks_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'registration_checks is append-only (% refused)', tg_op using errcode = '55000';
    end $$`.execute(db)
  await sql`
    create trigger registration_checks_no_change before update or delete on registration_checks
    for each row execute function registration_checks_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('registration_checks').execute()
  await sql`drop function if exists registration_checks_append_only()`.execute(db)
}
