import { sql, type Kysely } from 'kysely'

// The participant's profile, filled in steps and saved as a draft at each one. NIK and KK are
// stored sealed (AES-GCM) with a keyed hash for lookups; every submitted step is also kept in
// an append-only history so nothing a person entered is lost.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registration_profiles')
    .addColumn('account_id', 'uuid', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('nik_sealed', 'text')
    .addColumn('nik_hash', 'text', (c) => c.unique())
    .addColumn('birth_date', 'date')
    .addColumn('sex', 'text', (c) => c.check(sql`sex in ('F','M')`))
    .addColumn('kk_sealed', 'text')
    .addColumn('kk_hash', 'text')
    .addColumn('full_name', 'text')
    .addColumn('address_line', 'text')
    .addColumn('rt', 'text')
    .addColumn('rw', 'text')
    .addColumn('province_code', 'text')
    .addColumn('regency_code', 'text')
    .addColumn('district_code', 'text')
    .addColumn('education', 'text')
    .addColumn('employment_status', 'text')
    .addColumn('in_formal_education', 'boolean')
    // What was typed at a step that did not pass its checks yet, so it is shown again, not lost.
    .addColumn('drafts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('steps_done', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('registration_profiles_kk_idx').on('registration_profiles').column('kk_hash').execute()
  await db.schema.createIndex('registration_profiles_regency_idx').on('registration_profiles').column('regency_code').execute()

  await db.schema
    .createTable('registration_step_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('registration_step_history_account_idx').on('registration_step_history').columns(['account_id', 'at']).execute()
  await sql`
    create function registration_step_history_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'registration_step_history is append-only (% refused)', tg_op using errcode = '55000';
    end $$`.execute(db)
  await sql`
    create trigger registration_step_history_no_change before update or delete on registration_step_history
    for each row execute function registration_step_history_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('registration_step_history').execute()
  await db.schema.dropTable('registration_profiles').execute()
  await sql`drop function if exists registration_step_history_append_only()`.execute(db)
}
