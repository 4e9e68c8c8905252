/**
 * The catalogue: providers submit courses over the partner API, PMO curates them, and
 * participants search what is approved. Every PMO decision is audited and kept.
 */
import { sql } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { validateCourse, type CourseInput } from './catalogue.rules.ts'
import type { CourseMode, CourseStatus, ReviewDecision } from './catalogue.tables.ts'
import { seatsTaken } from './catalogue.seats.ts'

export interface CatalogueDeps {
  db: Db
  clock: Clock
}

export interface Actor {
  readonly id: string
  readonly role: string
  readonly requestId?: string | null
  readonly ip?: string | null
}

export interface SubmitResult {
  readonly id: string
  readonly status: CourseStatus
  readonly version: number
  readonly created: boolean
}

/** A provider's submission: creates the course or, when its content changed, sends it back to review. */
export async function submitCourse(deps: CatalogueDeps, providerCode: string, input: CourseInput): Promise<SubmitResult> {
  const now = deps.clock.now()
  const v = validateCourse(input, now)
  if (!v.ok) throw new AppError('VALIDATION_FAILED', { fields: v.fields })
  const c = v.course
  return transaction(deps.db, async (trx) => {
    const platform = await trx.selectFrom('partners').select(['kind', 'status']).where('code', '=', c.platformCode).executeTakeFirst()
    if (!platform || platform.kind !== 'platform' || platform.status !== 'active') {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'platformCode', id: 'Platform penjual tidak dikenal atau tidak aktif.', en: 'The selling platform is unknown or not active.' }] })
    }
    const existing = await trx
      .selectFrom('courses')
      .selectAll()
      .where('provider_code', '=', providerCode)
      .where('platform_code', '=', c.platformCode)
      .where('provider_ref', '=', c.ref)
      .forUpdate()
      .executeTakeFirst()
    const content = {
      title: c.title.trim(),
      description: c.description.trim(),
      category: c.category,
      mode: c.mode,
      regency_code: c.regencyCode ?? null,
      province_code: c.provinceCode,
      address: c.address ?? null,
      hours: c.hours,
      price: c.price,
      market_price: c.marketPrice,
    }
    let id: string
    let status: CourseStatus
    let version: number
    let created = false
    if (!existing) {
      const row = await trx
        .insertInto('courses')
        .values({ ...content, provider_code: providerCode, platform_code: c.platformCode, provider_ref: c.ref, status: 'submitted', submitted_at: now })
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow()
      ;({ id, status, version } = row)
      created = true
    } else {
      if (existing.status === 'rejected') throw new AppError('COURSE_REJECTED')
      const changed = (Object.keys(content) as Array<keyof typeof content>).some((k) => String(existing[k] ?? '') !== String(content[k] ?? ''))
      if (changed) {
        const row = await trx
          .updateTable('courses')
          .set({ ...content, status: 'submitted', version: existing.version + 1, submitted_at: now, decided_at: null })
          .where('id', '=', existing.id)
          .returning(['id', 'status', 'version'])
          .executeTakeFirstOrThrow()
        ;({ id, status, version } = row)
      } else {
        ;({ id, status, version } = existing)
      }
    }
    for (const s of c.sessionTimes) {
      const prior = await trx.selectFrom('course_sessions').select(['id', seatsTaken(sql`course_sessions.id`).as('seats_taken'), 'status']).where('course_id', '=', id).where('provider_ref', '=', s.ref).executeTakeFirst()
      if (!prior) {
        await trx.insertInto('course_sessions').values({ course_id: id, provider_ref: s.ref, starts_at: s.start, ends_at: s.end, seats: s.seats }).execute()
      } else if (prior.status === 'scheduled') {
        if (s.seats < prior.seats_taken) {
          throw new AppError('VALIDATION_FAILED', { fields: [{ field: `sessions.${s.ref}.seats`, id: `Sesi ${s.ref} sudah terisi ${prior.seats_taken} kursi; kursi tidak bisa dikurangi di bawah itu.`, en: `Session ${s.ref} already has ${prior.seats_taken} seats taken; seats cannot go below that.` }] })
        }
        await trx.updateTable('course_sessions').set({ starts_at: s.start, ends_at: s.end, seats: s.seats }).where('id', '=', prior.id).execute()
      }
    }
    return { id, status, version, created }
  })
}

export async function withdrawCourse(deps: CatalogueDeps, providerCode: string, platformCode: string, ref: string): Promise<void> {
  const r = await deps.db
    .updateTable('courses')
    .set({ status: 'withdrawn', decided_at: deps.clock.now() })
    .where('provider_code', '=', providerCode)
    .where('platform_code', '=', platformCode)
    .where('provider_ref', '=', ref)
    .where('status', '<>', 'withdrawn')
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) throw new AppError('NOT_FOUND')
}

export interface ProviderCourse {
  readonly id: string
  readonly ref: string
  readonly platformCode: string
  readonly title: string
  readonly status: CourseStatus
  readonly version: number
  readonly lastReason: string | null
}

export async function listProviderCourses(db: Executor, providerCode: string): Promise<ProviderCourse[]> {
  const rows = await db
    .selectFrom('courses as c')
    .select(['c.id', 'c.provider_ref', 'c.platform_code', 'c.title', 'c.status', 'c.version'])
    .select((eb) =>
      eb.selectFrom('course_reviews as r').select('r.reason').whereRef('r.course_id', '=', 'c.id').orderBy('r.id', 'desc').limit(1).as('last_reason'),
    )
    .where('c.provider_code', '=', providerCode)
    .orderBy('c.submitted_at', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, ref: r.provider_ref, platformCode: r.platform_code, title: r.title, status: r.status, version: r.version, lastReason: r.last_reason ?? null }))
}

/** Whether the platform and the provider are owned by the same people (PMO records it). */
export async function conflictOfInterest(db: Executor, platformCode: string, providerCode: string): Promise<string | null> {
  const r = await db
    .selectFrom('partner_affiliations')
    .select('note')
    .where('platform_code', '=', platformCode)
    .where('provider_code', '=', providerCode)
    .executeTakeFirst()
  return r?.note ?? null
}

export async function reviewCourse(
  deps: CatalogueDeps,
  actor: Actor,
  input: { courseId: string; version: number; decision: ReviewDecision; reason: string },
): Promise<void> {
  const reason = input.reason.trim()
  if (input.decision !== 'approved' && reason.length < 10) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reason', id: 'Tulis alasan (minimal 10 karakter) agar LP tahu apa yang harus diperbaiki.', en: 'Give a reason (at least 10 characters) so the provider knows what to fix.' }] })
  }
  await transaction(deps.db, async (trx) => {
    const c = await trx.selectFrom('courses').select(['id', 'status', 'version', 'platform_code', 'provider_code', 'title']).where('id', '=', input.courseId).forUpdate().executeTakeFirst()
    if (!c) throw new AppError('NOT_FOUND')
    // PMO decides on the version it read; a newer submission needs a fresh look.
    if (c.status !== 'submitted' || c.version !== input.version) throw new AppError('COURSE_NOT_UNDER_REVIEW')
    const conflict = await conflictOfInterest(trx, c.platform_code, c.provider_code)
    const now = deps.clock.now()
    await trx.insertInto('course_reviews').values({ course_id: c.id, version: c.version, decision: input.decision, reason: reason || null, conflict_flagged: conflict !== null, reviewer_id: actor.id, at: now }).execute()
    await trx.updateTable('courses').set({ status: input.decision, decided_at: now }).where('id', '=', c.id).execute()
    await record(
      trx,
      { actorId: actor.id, actorRole: actor.role, action: `course.${input.decision}`, subjectType: 'course', subjectId: c.id, details: { version: c.version, reason: reason || null, conflict: conflict, title: c.title }, requestId: actor.requestId ?? null, ip: actor.ip ?? null },
      deps.clock,
    )
  })
}

export interface ReviewRow {
  readonly id: string
  readonly title: string
  readonly providerCode: string
  readonly platformCode: string
  readonly category: string
  readonly mode: CourseMode
  readonly price: number
  readonly submittedAt: Date
  readonly version: number
  readonly conflict: boolean
}

export async function listForReview(db: Executor): Promise<ReviewRow[]> {
  const rows = await db
    .selectFrom('courses as c')
    .leftJoin('partner_affiliations as a', (j) => j.onRef('a.platform_code', '=', 'c.platform_code').onRef('a.provider_code', '=', 'c.provider_code'))
    .select(['c.id', 'c.title', 'c.provider_code', 'c.platform_code', 'c.category', 'c.mode', 'c.price', 'c.submitted_at', 'c.version', 'a.note'])
    .where('c.status', '=', 'submitted')
    .orderBy('c.submitted_at')
    .limit(200)
    .execute()
  return rows.map((r) => ({ id: r.id, title: r.title, providerCode: r.provider_code, platformCode: r.platform_code, category: r.category, mode: r.mode, price: r.price, submittedAt: r.submitted_at, version: r.version, conflict: r.note !== null }))
}

export interface SessionView {
  readonly id: string
  readonly ref: string
  readonly startsAt: Date
  readonly endsAt: Date
  readonly seats: number
  readonly seatsLeft: number
  readonly status: 'scheduled' | 'cancelled'
}

export interface CourseView {
  readonly id: string
  readonly ref: string
  readonly providerCode: string
  readonly providerName: string
  readonly platformCode: string
  readonly platformName: string
  /** Where to buy it: the platform's page for this course, when the platform gave one. */
  readonly buyUrl: string | null
  readonly title: string
  readonly description: string
  readonly category: string
  readonly mode: CourseMode
  readonly regencyCode: string | null
  readonly provinceCode: string | null
  readonly address: string | null
  readonly hours: number
  readonly price: number
  readonly marketPrice: number
  readonly status: CourseStatus
  readonly version: number
  readonly sessions: readonly SessionView[]
  readonly reviews: ReadonlyArray<{ decision: ReviewDecision; reason: string | null; at: Date; conflict: boolean; version: number }>
  readonly conflict: string | null
}

export async function getCourse(db: Executor, id: string): Promise<CourseView | null> {
  const c = await db
    .selectFrom('courses as c')
    .innerJoin('partners as pv', 'pv.code', 'c.provider_code')
    .innerJoin('partners as pf', 'pf.code', 'c.platform_code')
    .selectAll('c')
    .select(['pv.name as provider_name', 'pf.name as platform_name', 'pf.course_url_template'])
    .where('c.id', '=', id)
    .executeTakeFirst()
  if (!c) return null
  const sessions = await db.selectFrom('course_sessions').selectAll().select(seatsTaken(sql`course_sessions.id`).as('seats_taken')).where('course_id', '=', id).orderBy('starts_at').execute()
  const reviews = await db.selectFrom('course_reviews').select(['decision', 'reason', 'at', 'conflict_flagged', 'version']).where('course_id', '=', id).orderBy('id', 'desc').execute()
  return {
    id: c.id,
    ref: c.provider_ref,
    providerCode: c.provider_code,
    providerName: c.provider_name,
    platformCode: c.platform_code,
    platformName: c.platform_name,
    buyUrl: c.course_url_template ? c.course_url_template.replace('{id}', c.id) : null,
    title: c.title,
    description: c.description,
    category: c.category,
    mode: c.mode,
    regencyCode: c.regency_code,
    provinceCode: c.province_code,
    address: c.address,
    hours: c.hours,
    price: c.price,
    marketPrice: c.market_price,
    status: c.status,
    version: c.version,
    sessions: sessions.map((s) => ({ id: s.id, ref: s.provider_ref, startsAt: s.starts_at, endsAt: s.ends_at, seats: s.seats, seatsLeft: s.seats - s.seats_taken, status: s.status })),
    reviews: reviews.map((r) => ({ decision: r.decision, reason: r.reason, at: r.at, conflict: r.conflict_flagged, version: r.version })),
    conflict: await conflictOfInterest(db, c.platform_code, c.provider_code),
  }
}
