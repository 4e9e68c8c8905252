import { sql, type Kysely } from 'kysely'

// The draw's outcome per application in a narrow table of its own (decision 0015) instead
// of five columns of wave_applications: the draw wrote them with one UPDATE of every
// application, a new version of every wide row (10 million at the benchmark's size); it now
// appends one narrow row per application with one INSERT … SELECT, in application id order.
// An application without a row here is not decided yet (the wave is open, closed or being
// drawn); readers join it (waves.repository, cards.repository, reports' sources).
//
// No foreign keys: the only writer is runDraw, which inserts exactly the ids it has just read
// from wave_applications in the same transaction, and no code deletes applications or waves;
// a check per row would be ten million lookups (decision 0009's amendment, the same reasoning).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table wave_outcomes (
      application_id bigint primary key,
      wave_id uuid not null,
      outcome text not null check (outcome in ('selected', 'not_selected', 'ineligible')),
      ineligible_reason text,
      draw_area text,
      draw_position integer,
      decided_at timestamptz not null
    )`.execute(db)
  await sql`
    insert into wave_outcomes (application_id, wave_id, outcome, ineligible_reason, draw_area, draw_position, decided_at)
    select id, wave_id, outcome, ineligible_reason, draw_area, draw_position, coalesce(decided_at, joined_at)
    from wave_applications where outcome is not null
    order by id`.execute(db)
  for (const c of ['outcome', 'ineligible_reason', 'draw_area', 'draw_position', 'decided_at']) {
    await sql`alter table wave_applications drop column ${sql.ref(c)}`.execute(db)
  }
  // Room on each page was kept for those rows' new versions (202612011430); no longer needed.
  await sql`alter table wave_applications reset (fillfactor)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table wave_applications
      add column outcome text check (outcome in ('selected', 'not_selected', 'ineligible')),
      add column ineligible_reason text,
      add column draw_area text,
      add column draw_position integer,
      add column decided_at timestamptz`.execute(db)
  await sql`
    update wave_applications a set outcome = o.outcome, ineligible_reason = o.ineligible_reason, draw_area = o.draw_area,
      draw_position = o.draw_position, decided_at = o.decided_at
    from wave_outcomes o where o.application_id = a.id`.execute(db)
  await sql`drop table wave_outcomes`.execute(db)
  await sql`alter table wave_applications set (fillfactor = 45)`.execute(db)
}
