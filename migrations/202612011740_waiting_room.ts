import { sql, type Kysely } from 'kysely'

// The waiting room in front of sign-up, shared by every process through the database:
// one sequence hands out places, one row holds the admission watermark (starting at the epoch, so the first arrivals find one second of burst ready), and admissions
// count their sign-up attempts so one admission cannot be shared by a crowd.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence waiting_room_seq as bigint start 1 cache 1`.execute(db)
  await db.schema
    .createTable('waiting_room_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('admitted_through', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('advanced_at', 'timestamptz', (c) => c.notNull())
    .addColumn('episode_start_seq', 'bigint')
    .addColumn('episode_started_at', 'timestamptz')
    .addColumn('opening_last_seq', 'bigint')
    .addColumn('issued_seen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('drained_at', 'timestamptz')
    .addCheckConstraint('waiting_room_episode_whole', sql`(episode_start_seq is null) = (episode_started_at is null)`)
    .execute()
  await sql`insert into waiting_room_state (id, admitted_through, advanced_at) values (1, 0, 'epoch')`.execute(db)
  await db.schema
    .createTable('waiting_room_admissions')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('sign_up_posts', 'integer', (c) => c.notNull())
    .addColumn('first_post_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('waiting_room_admissions').execute()
  await db.schema.dropTable('waiting_room_state').execute()
  await sql`drop sequence waiting_room_seq`.execute(db)
}
