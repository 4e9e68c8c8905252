import { sql, type Kysely } from 'kysely'

// The online test: an item bank PMO maintains, attempts timed by the time actually spent
// (so a dropped connection does not eat the clock), answers saved one by one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('test_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('motivation','numeracy','literacy')`))
    .addColumn('prompt_id', 'text', (c) => c.notNull())
    .addColumn('prompt_en', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('correct_option', 'integer')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('test_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('item_ids', sql`uuid[]`, (c) => c.notNull())
    .addColumn('time_limit_ms', 'integer', (c) => c.notNull())
    .addColumn('time_used_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('ability_correct', 'integer')
    .addColumn('ability_total', 'integer')
    .addColumn('motivation_score', 'integer')
    .addColumn('passed', 'boolean')
    .execute()
  await sql`create unique index test_attempts_one_open on test_attempts (account_id) where submitted_at is null`.execute(db)

  await db.schema
    .createTable('test_answers')
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('test_attempts.id'))
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('test_items.id'))
    .addColumn('choice', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('test_answers_pk', ['attempt_id', 'item_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('test_answers').execute()
  await db.schema.dropTable('test_attempts').execute()
  await db.schema.dropTable('test_items').execute()
}
