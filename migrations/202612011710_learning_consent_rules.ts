import { sql, type Kysely } from 'kysely'

// Completion (issue #7), second half. What an employer sees: the participant may also show
// the grade on the public verification page (hidden unless they choose to). The programme
// office switches the verification rules and the review SLA: the current setting is one row,
// every change an append-only history row (who, when, old and new).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('certificates').addColumn('show_grade', 'boolean', (c) => c.notNull().defaultTo(false)).execute()

  await db.schema
    .createTable('completion_rules')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id = 'current'`))
    .addColumn('voucher_redeemed', 'boolean', (c) => c.notNull())
    .addColumn('attendance', 'boolean', (c) => c.notNull())
    .addColumn('assignments_passed', 'boolean', (c) => c.notNull())
    .addColumn('after_session_end', 'boolean', (c) => c.notNull())
    .addColumn('review_sla_days', 'integer', (c) => c.notNull().check(sql`review_sla_days between 1 and 30`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .execute()

  await db.schema
    .createTable('completion_rule_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('changed_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('old_rules', 'jsonb', (c) => c.notNull())
    .addColumn('new_rules', 'jsonb', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute()
  await sql`
    create function completion_rule_changes_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'completion_rule_changes is append-only (% refused)', tg_op using errcode = '55000';
    end $$`.execute(db)
  await sql`
    create trigger completion_rule_changes_no_change before update or delete on completion_rule_changes
    for each row execute function completion_rule_changes_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('completion_rule_changes').execute()
  await sql`drop function if exists completion_rule_changes_append_only()`.execute(db)
  await db.schema.dropTable('completion_rules').execute()
  await db.schema.alterTable('certificates').dropColumn('show_grade').execute()
}
