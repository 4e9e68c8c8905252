import { sql, type Kysely } from 'kysely'

// Evaluation surveys (issue #7): after a course is completed the participant answers the
// course evaluation, and once in the programme the post-programme survey. One response per
// purchase per survey, never changed afterwards: the survey incentive is paid on it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('purchase_id', 'uuid', (c) => c.notNull().references('purchases.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('survey_responses_once', ['survey_id', 'purchase_id'])
    .execute()
  await db.schema.createIndex('survey_responses_account').on('survey_responses').columns(['account_id', 'answered_at']).execute()
  await sql`
    create function survey_responses_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'survey_responses is append-only (% refused)', tg_op using errcode = '55000';
    end $$`.execute(db)
  await sql`
    create trigger survey_responses_no_change before update or delete on survey_responses
    for each row execute function survey_responses_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_responses').execute()
  await sql`drop function if exists survey_responses_append_only()`.execute(db)
}
