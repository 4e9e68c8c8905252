import { sql, type Kysely } from 'kysely'

// Partners: the platforms that sell courses and take the card, and the providers that run
// them. Each holds API credentials it can rotate; a secret is stored sealed (it must be read
// back to check an HMAC) and a rotated-out one keeps working for a grace period. Nonces
// already used inside the replay window are refused.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z0-9][a-z0-9-]{1,39}$'`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('platform', 'provider')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'suspended')`))
    // The real programme's HMAC-SHA1 scheme, for providers moving over unchanged.
    .addColumn('legacy_allowed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('contact_email', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('partner_credentials')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('client_code', 'text', (c) => c.notNull().unique())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('accounts.id'))
    // Set when a newer credential replaces this one: it keeps working until then.
    .addColumn('retires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('partner_credentials_partner_idx').on('partner_credentials').columns(['partner_code', 'created_at']).execute()

  await db.schema
    .createTable('partner_nonces')
    .addColumn('client_code', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_nonces_pk', ['client_code', 'nonce'])
    .execute()
  await db.schema.createIndex('partner_nonces_seen_idx').on('partner_nonces').column('seen_at').execute()

  // A platform and a provider owned by the same people: flagged when PMO curates (issue #6).
  await db.schema
    .createTable('partner_affiliations')
    .addColumn('platform_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('provider_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_affiliations_pk', ['platform_code', 'provider_code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['partner_affiliations', 'partner_nonces', 'partner_credentials', 'partners']) await db.schema.dropTable(t).execute()
}
