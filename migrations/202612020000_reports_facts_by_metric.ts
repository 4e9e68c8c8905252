import { sql, type Kysely } from 'kysely'

// The PMO overview (issue #11) asks the daily facts for a few metrics at a time: per area
// (each province's rollup, or the regencies of one province), a series, the reasons. The
// area indexes found those rows by area and day and filtered the metric in the heap, which
// at 1 M participants (2.3 M facts, most of them complaint facts of other metrics) cost
// 0.25–2 s per query. These two lead with the metric, then the level the query fixes by
// equality (the rollup marker for the nation's per-province view, the province for a
// province's per-regency view) and carry the summed value, so each query reads only its
// metrics' rows of its area, from the index alone. They are not partial: the planner keeps
// the area indexes for the all-metric totals when those are cheaper.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index report_daily_facts_metric_level on report_daily_facts (metric, regency_code, province_code, day) include (wave_id, value)`.execute(db)
  await sql`create index report_daily_facts_metric_area on report_daily_facts (metric, province_code, regency_code, day) include (wave_id, value)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_daily_facts_metric_area').execute()
  await db.schema.dropIndex('report_daily_facts_metric_level').execute()
}
