import { sql, type Kysely } from 'kysely'

// Incentives (issue #8): payout accounts linked through a payment partner and confirmed by
// SMS code, scheduled payouts with their attempts and events, partner statements and the
// findings of reconciliation, and repayment claims. Money itself moves only in the ledger.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payout_accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('bank', 'ewallet')`))
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending_otp', 'active', 'replaced', 'refused')`))
    .addColumn('otp_hash', 'text')
    .addColumn('otp_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('otp_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('usable_from', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .execute()
  await sql`create unique index payout_accounts_one_active on payout_accounts (account_id) where status = 'active'`.execute(db)
  await db.schema.createIndex('payout_accounts_owner').on('payout_accounts').columns(['account_id', 'created_at']).execute()

  await db.schema
    .createTable('incentive_payouts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('course', 'survey')`))
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('scheduled', 'sending', 'sent', 'unknown', 'paid', 'failed', 'cancelled')`),
    )
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('payout_account_id', 'uuid', (c) => c.references('payout_accounts.id'))
    .addColumn('partner', 'text')
    .addColumn('masked_account', 'text')
    .addColumn('hold_id', 'bigint')
    .addColumn('batch_id', 'uuid')
    .addColumn('partner_ref', 'text')
    .addColumn('failure', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('incentive_payouts_once', ['account_id', 'kind', 'source_ref', 'sequence'])
    .execute()
  await db.schema.createIndex('incentive_payouts_due').on('incentive_payouts').columns(['status', 'due_at']).execute()
  await db.schema.createIndex('incentive_payouts_owner').on('incentive_payouts').columns(['account_id', 'due_at']).execute()

  await db.schema
    .createTable('payout_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('payout_id', 'uuid', (c) => c.notNull().references('incentive_payouts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('payout_events_payout').on('payout_events').columns(['payout_id', 'id']).execute()

  await db.schema
    .createTable('payout_batches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('payouts', 'integer', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('payout_statements')
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('reconciled_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_statements_pk', ['partner', 'day'])
    .execute()

  await db.schema
    .createTable('reconciliation_findings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('missing', 'duplicate', 'mismatch', 'unknown', 'confirmed')`))
    .addColumn('payout_id', 'uuid', (c) => c.references('incentive_payouts.id'))
    .addColumn('partner_key', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('reconciliation_findings_once', ['partner', 'day', 'kind', 'partner_key'])
    .execute()

  await db.schema
    .createTable('repayment_claims')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'repaid', 'overdue')`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('settled_at', 'timestamptz')
    .execute()
  await sql`create unique index repayment_claims_one_open on repayment_claims (account_id) where status in ('open', 'overdue')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['repayment_claims', 'reconciliation_findings', 'payout_statements', 'payout_batches', 'payout_events', 'incentive_payouts', 'payout_accounts']) {
    await db.schema.dropTable(t).execute()
  }
}
