import { sql, type Kysely } from 'kysely'

// The course catalogue: courses a provider submits for a platform to sell, their sessions
// and seats, PMO's curation decisions (append-only), and what participants asked for when
// nothing fitted. Full-text search in Indonesian (snowball stemmer: "beternak" finds "ternak").
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('platform_code', 'text', (c) => c.notNull().references('partners.code'))
    // The provider's own id for the course: submissions with the same one update it.
    .addColumn('provider_ref', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('webinar', 'self_paced', 'offline')`))
    .addColumn('regency_code', 'text')
    .addColumn('province_code', 'text')
    .addColumn('address', 'text')
    .addColumn('hours', 'integer', (c) => c.notNull().check(sql`hours >= 15`))
    .addColumn('price', 'bigint', (c) => c.notNull().check(sql`price > 0`))
    .addColumn('market_price', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('search', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`setweight(to_tsvector('indonesian', coalesce(title, '')), 'A') || setweight(to_tsvector('indonesian', coalesce(description, '')), 'B')`).stored(),
    )
    .addCheckConstraint('courses_market_price', sql`market_price >= price`)
    .addCheckConstraint('courses_offline_place', sql`mode <> 'offline' or (regency_code is not null and address is not null)`)
    .addUniqueConstraint('courses_provider_ref', ['provider_code', 'platform_code', 'provider_ref'])
    .execute()
  await sql`create index courses_search_idx on courses using gin (search)`.execute(db)
  await sql`create index courses_listed_idx on courses (category, mode, price) where status = 'approved'`.execute(db)
  await db.schema.createIndex('courses_review_idx').on('courses').columns(['status', 'submitted_at']).execute()

  await db.schema
    .createTable('course_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('course_id', 'uuid', (c) => c.notNull().references('courses.id'))
    .addColumn('provider_ref', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull().check(sql`seats > 0`))
    .addColumn('seats_taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled', 'cancelled')`))
    .addCheckConstraint('course_sessions_window', sql`ends_at > starts_at`)
    // Never more taken than there are: the database refuses an oversold seat.
    .addCheckConstraint('course_sessions_seats', sql`seats_taken >= 0 and seats_taken <= seats`)
    .addUniqueConstraint('course_sessions_ref', ['course_id', 'provider_ref'])
    .execute()
  await db.schema.createIndex('course_sessions_start_idx').on('course_sessions').columns(['course_id', 'starts_at']).execute()

  await db.schema
    .createTable('course_reviews')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('course_id', 'uuid', (c) => c.notNull().references('courses.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('approved', 'changes_requested', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('conflict_flagged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reviewer_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('course_demand')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('mode', 'text')
    .addColumn('province_code', 'text')
    .addColumn('regency_code', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('course_demand_region_idx').on('course_demand').columns(['province_code', 'regency_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['course_demand', 'course_reviews', 'course_sessions', 'courses']) await db.schema.dropTable(t).execute()
}
