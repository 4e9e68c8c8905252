import { sql, type Kysely } from 'kysely'

// Recovery: password-reset codes, and changes of e-mail that take effect only after a
// cooling-off period during which the old address can cancel them (a known takeover path).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table verification_codes drop constraint verification_codes_purpose_check`.execute(db)
  await sql`alter table verification_codes add constraint verification_codes_purpose_check
    check (purpose in ('email_verify','phone_verify','login','password_reset','email_change'))`.execute(db)

  await db.schema
    .createTable('contact_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('email','phone')`))
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text', (c) => c.notNull())
    .addColumn('cancel_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('effective_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('applied_at', 'timestamptz')
    .addColumn('outcome_note', 'text')
    .execute()
  await db.schema.createIndex('contact_changes_account_idx').on('contact_changes').columns(['account_id', 'requested_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_changes').execute()
  await sql`alter table verification_codes drop constraint verification_codes_purpose_check`.execute(db)
  await sql`alter table verification_codes add constraint verification_codes_purpose_check
    check (purpose in ('email_verify','phone_verify','login'))`.execute(db)
}
