import { sql, type Kysely } from 'kysely'

// Reporting (issue #11): daily facts per (day, wave, province, regency, metric, reason),
// recomputed by a job from the other modules' tables so the PMO console and the public
// statistics never scan millions of rows per request; and the log of each refresh's cost.
// '' stands for "none" in the key columns, so the primary key needs no nullable column;
// '*' marks the rollups the refresh adds (regency '*' = a province's total, province and
// regency '*' = the national total), so wide views read thousands of rows, not millions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_daily_facts')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('wave_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('province_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('regency_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_daily_facts_pk', ['day', 'metric', 'wave_id', 'province_code', 'regency_code', 'reason'])
    .execute()
  // The console filters by area first; the primary key serves day ranges and the export's keyset.
  await db.schema.createIndex('report_daily_facts_area').on('report_daily_facts').columns(['province_code', 'regency_code', 'day']).execute()
  await db.schema.createIndex('report_daily_facts_wave').on('report_daily_facts').columns(['wave_id', 'day']).execute()
  await db.schema.createIndex('report_daily_facts_level').on('report_daily_facts').columns(['regency_code', 'day']).execute()

  await db.schema
    .createTable('report_refreshes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .addColumn('from_day', 'date')
    .addColumn('to_day', 'date', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('full', 'recent')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('rows_deleted', 'bigint', (c) => c.notNull())
    .addColumn('rows_written', 'bigint', (c) => c.notNull())
    .addColumn('per_source', 'jsonb', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_refreshes').execute()
  await db.schema.dropTable('report_daily_facts').execute()
}
