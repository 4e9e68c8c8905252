import { sql, type Kysely } from 'kysely'

// Buying a course with the card: a purchase moves otp_sent → held (ledger hold and seat,
// together) → paid (posted, voucher) → redeemed (at the provider) → completed, or ends as
// expired / refunded / cancelled. Every step is also a row in purchase_events, the
// participant's timeline. Redeem codes admit a person to one session.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('platform_card_bindings')
    .addColumn('platform_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('platform_user_ref', 'text', (c) => c.notNull())
    .addColumn('card_id', 'uuid', (c) => c.notNull().references('cards.id'))
    .addColumn('bound_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('platform_card_bindings_pk', ['platform_code', 'platform_user_ref'])
    // One card per platform account, and one platform account per card on a platform.
    .addUniqueConstraint('platform_card_bindings_card', ['platform_code', 'card_id'])
    .execute()

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('platform_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('order_ref', 'text', (c) => c.notNull())
    .addColumn('platform_user_ref', 'text', (c) => c.notNull())
    .addColumn('card_id', 'uuid', (c) => c.notNull().references('cards.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('course_id', 'uuid', (c) => c.notNull().references('courses.id'))
    .addColumn('provider_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('session_id', 'uuid', (c) => c.references('course_sessions.id'))
    .addColumn('price', 'bigint', (c) => c.notNull().check(sql`price > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('otp_sent', 'held', 'paid', 'redeemed', 'completed', 'expired', 'refunded', 'cancelled')`),
    )
    .addColumn('otp_hash', 'text')
    .addColumn('otp_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('otp_expires_at', 'timestamptz')
    .addColumn('hold_id', 'bigint')
    .addColumn('hold_expires_at', 'timestamptz')
    // Set when bought while an earlier course is unfinished: it starts once that one completes.
    .addColumn('after_purchase_id', 'uuid', (c) => c.references('purchases.id'))
    .addColumn('voucher_code', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('held_at', 'timestamptz')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('redeemed_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .addUniqueConstraint('purchases_order', ['platform_code', 'order_ref'])
    .execute()
  await db.schema.createIndex('purchases_account_idx').on('purchases').columns(['account_id', 'created_at']).execute()
  await sql`create index purchases_held_idx on purchases (hold_expires_at) where status = 'held'`.execute(db)
  await db.schema.createIndex('purchases_session_idx').on('purchases').columns(['session_id', 'status']).execute()

  await db.schema
    .createTable('purchase_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('purchase_events_account_idx').on('purchase_events').columns(['account_id', 'id']).execute()

  await db.schema
    .createTable('redeem_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('course_sessions.id'))
    .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addUniqueConstraint('redeem_codes_once', ['purchase_id', 'session_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['redeem_codes', 'purchase_events', 'purchases', 'platform_card_bindings']) await db.schema.dropTable(t).execute()
}
