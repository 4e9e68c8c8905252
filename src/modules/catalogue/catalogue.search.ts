/**
 * Finding courses: the participants' search (Indonesian full text and filters) and the
 * "I want a course on …" requests PMO reads by region.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { CATEGORIES } from './catalogue.rules.ts'
import type { CourseMode } from './catalogue.tables.ts'
import type { CatalogueDeps } from './catalogue.service.ts'
import { seatsTaken } from './catalogue.seats.ts'

export interface SearchFilters {
  readonly q?: string
  readonly category?: string
  readonly mode?: CourseMode
  readonly provinceCode?: string
  readonly regencyCode?: string
  readonly maxPrice?: number
  /** `YYYY-MM-DD` (WIB): a session starting on or after that day. */
  readonly startsFrom?: string
  readonly platformCode?: string
  readonly limit?: number
  readonly offset?: number
}

export interface SearchHit {
  readonly id: string
  readonly title: string
  readonly category: string
  readonly mode: CourseMode
  readonly regencyCode: string | null
  readonly provinceCode: string | null
  readonly price: number
  readonly marketPrice: number
  readonly hours: number
  readonly providerName: string
  readonly platformName: string
  readonly platformCode: string
  readonly nextSessionAt: Date | null
  readonly seatsLeft: number | null
}

/**
 * Approved courses matching the filters. Region: offline courses in that area; online
 * courses reach everyone, so they are included unless the mode filter says offline.
 * Courses with sessions are listed only while a future session has a seat left.
 */
export async function searchCatalogue(db: Executor, f: SearchFilters, now: Date): Promise<SearchHit[]> {
  const startFrom = f.startsFrom && /^\d{4}-\d{2}-\d{2}$/.test(f.startsFrom) ? new Date(`${f.startsFrom}T00:00:00+07:00`) : now
  const from = startFrom > now ? startFrom : now
  const q = f.q?.trim() ?? ''
  let query = db
    .selectFrom('courses as c')
    .innerJoin('partners as pv', 'pv.code', 'c.provider_code')
    .innerJoin('partners as pf', 'pf.code', 'c.platform_code')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('course_sessions as s')
          .select(['s.starts_at', sql<number>`s.seats - ${seatsTaken(sql`s.id`)}`.as('seats_left')])
          .whereRef('s.course_id', '=', 'c.id')
          .where('s.status', '=', 'scheduled')
          .where('s.starts_at', '>=', from)
          .where(sql<boolean>`${seatsTaken(sql`s.id`)} < s.seats`)
          .orderBy('s.starts_at')
          .limit(1)
          .as('n'),
      (j) => j.onTrue(),
    )
    .select(['c.id', 'c.title', 'c.category', 'c.mode', 'c.regency_code', 'c.province_code', 'c.price', 'c.market_price', 'c.hours', 'pv.name as provider_name', 'pf.name as platform_name', 'c.platform_code', 'n.starts_at', 'n.seats_left'])
    .where('c.status', '=', 'approved')
    .where('pv.status', '=', 'active')
    .where('pf.status', '=', 'active')
    .where((eb) => eb.or([eb('c.mode', '=', 'self_paced'), eb('n.starts_at', 'is not', null)]))
  if (q) query = query.where(sql<boolean>`c.search @@ websearch_to_tsquery('indonesian', ${q})`)
  if (f.category && f.category in CATEGORIES) query = query.where('c.category', '=', f.category)
  if (f.mode) query = query.where('c.mode', '=', f.mode)
  if (f.platformCode) query = query.where('c.platform_code', '=', f.platformCode)
  if (f.regencyCode) query = query.where((eb) => eb.or([eb('c.mode', '<>', 'offline'), eb('c.regency_code', '=', f.regencyCode!)]))
  else if (f.provinceCode) query = query.where((eb) => eb.or([eb('c.mode', '<>', 'offline'), eb('c.province_code', '=', f.provinceCode!)]))
  if (f.maxPrice !== undefined && Number.isFinite(f.maxPrice)) query = query.where('c.price', '<=', f.maxPrice)
  query = q
    ? query.orderBy(sql`ts_rank(c.search, websearch_to_tsquery('indonesian', ${q}))`, 'desc').orderBy('c.id')
    : query.orderBy(sql`n.starts_at`, (ob) => ob.asc().nullsLast()).orderBy('c.id')
  const rows = await query.limit(Math.min(f.limit ?? 20, 100)).offset(f.offset ?? 0).execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    category: r.category,
    mode: r.mode,
    regencyCode: r.regency_code,
    provinceCode: r.province_code,
    price: r.price,
    marketPrice: r.market_price,
    hours: r.hours,
    providerName: r.provider_name,
    platformName: r.platform_name,
    platformCode: r.platform_code,
    nextSessionAt: r.starts_at ?? null,
    seatsLeft: r.seats_left === null || r.seats_left === undefined ? null : Number(r.seats_left),
  }))
}

export async function recordDemand(
  deps: CatalogueDeps,
  input: { accountId: string | null; topic: string; category?: string | null; mode?: string | null; provinceCode?: string | null; regencyCode?: string | null },
): Promise<void> {
  const topic = input.topic.trim()
  if (topic.length < 3 || topic.length > 200) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'topic', id: 'Tulis topik pelatihan yang Anda cari (3–200 karakter).', en: 'Write the course topic you are looking for (3–200 characters).' }] })
  }
  await deps.db
    .insertInto('course_demand')
    .values({
      account_id: input.accountId,
      topic,
      category: input.category && input.category in CATEGORIES ? input.category : null,
      mode: input.mode ?? null,
      province_code: input.provinceCode ?? null,
      regency_code: input.regencyCode ?? null,
      at: deps.clock.now(),
    })
    .execute()
}

export interface DemandRow {
  readonly provinceCode: string | null
  readonly regencyCode: string | null
  readonly category: string | null
  readonly requests: number
  readonly topics: string[]
}

/** What people asked for where nothing fitted, by region and category, biggest first. */
export async function demandByRegion(db: Executor, limit = 100): Promise<DemandRow[]> {
  const rows = await db
    .selectFrom('course_demand')
    .select(['province_code', 'regency_code', 'category', sql<number>`count(*)::int`.as('n'), sql<string[]>`(array_agg(topic order by at desc))[1:5]`.as('topics')])
    .groupBy(['province_code', 'regency_code', 'category'])
    .orderBy('n', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ provinceCode: r.province_code, regencyCode: r.regency_code, category: r.category, requests: r.n, topics: r.topics }))
}
