import { sql, type Kysely } from 'kysely'

// Sign-up and verification: verified-at stamps, one-time codes (hashed), login stages,
// failed-login counters and fraud signals such as "this was not me".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('phone_verified_at', 'timestamptz')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .execute()

  // 'password': password accepted, second factor (SMS code) still owed.
  await db.schema
    .alterTable('sessions')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('full').check(sql`stage in ('full','password')`))
    .execute()

  await db.schema
    .createTable('verification_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('email_verify','phone_verify','login')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email','sms')`))
    .addColumn('sent_to', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('link_token_hash', 'text', (c) => c.unique())
    .addColumn('not_me_token_hash', 'text', (c) => c.unique())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('verification_codes_account_idx')
    .on('verification_codes')
    .columns(['account_id', 'purpose', 'created_at'])
    .execute()

  await db.schema
    .createTable('auth_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('auth_failures_ip_idx').on('auth_failures').columns(['ip', 'at']).execute()

  await db.schema
    .createTable('fraud_signals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('ip', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','cleared','referred')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('fraud_signals_created_idx').on('fraud_signals').columns(['kind', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fraud_signals').execute()
  await db.schema.dropTable('auth_failures').execute()
  await db.schema.dropTable('verification_codes').execute()
  await db.schema.alterTable('sessions').dropColumn('stage').execute()
  await db.schema
    .alterTable('accounts')
    .dropColumn('email_verified_at')
    .dropColumn('phone_verified_at')
    .dropColumn('failed_logins')
    .dropColumn('locked_until')
    .execute()
}
