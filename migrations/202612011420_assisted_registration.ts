import { sql, type Kysely } from 'kysely'

// Assisted registration: a person registered in person by a registration officer of their
// regency, with the consent they gave (when, how, to whom, which text), and the single-use
// activation codes printed on the slip for people who have no phone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assisted_registrations')
    .addColumn('account_id', 'uuid', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('consent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consent_method', 'text', (c) => c.notNull().check(sql`consent_method in ('spoken','signed')`))
    .addColumn('consent_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz')
    .addColumn('activated_via', 'text', (c) => c.check(sql`activated_via in ('activation_code','sms')`))
    .execute()
  await db.schema.createIndex('assisted_registrations_region_idx').on('assisted_registrations').columns(['region_code', 'created_at']).execute()

  await db.schema
    .createTable('assisted_activation_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('assisted_activation_codes_account_idx').on('assisted_activation_codes').columns(['account_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assisted_activation_codes').execute()
  await db.schema.dropTable('assisted_registrations').execute()
}
