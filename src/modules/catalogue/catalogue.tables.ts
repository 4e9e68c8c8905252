import type { ColumnType, Generated } from 'kysely'

export type CourseMode = 'webinar' | 'self_paced' | 'offline'
export type CourseStatus = 'submitted' | 'changes_requested' | 'approved' | 'rejected' | 'withdrawn'
export type ReviewDecision = 'approved' | 'changes_requested' | 'rejected'

export interface CoursesTable {
  id: Generated<string>
  provider_code: string
  platform_code: string
  provider_ref: string
  title: string
  description: string
  category: string
  mode: CourseMode
  regency_code: string | null
  province_code: string | null
  address: string | null
  hours: number
  price: number
  market_price: number
  status: CourseStatus
  version: Generated<number>
  submitted_at: Date
  decided_at: Date | null
  search: ColumnType<string, never, never>
}

export interface CourseSessionsTable {
  id: Generated<string>
  course_id: string
  provider_ref: string
  starts_at: ColumnType<Date, Date | string, Date | string>
  ends_at: ColumnType<Date, Date | string, Date | string>
  seats: number
  status: Generated<'scheduled' | 'cancelled'>
}

/**
 * A session's seats split into a few rows (up to 8), each with its share of the seats and
 * its own count, so buyers of one session do not queue on one row (decision 0009). Kept in
 * step with course_sessions by a trigger; seats taken = the sum over the shards.
 */
export interface CourseSessionSeatsTable {
  session_id: string
  shard: number
  seats: number
  seats_taken: Generated<number>
}

export interface CourseReviewsTable {
  id: Generated<number>
  course_id: string
  version: number
  decision: ReviewDecision
  reason: string | null
  conflict_flagged: Generated<boolean>
  reviewer_id: string
  at: Date
}

export interface CourseDemandTable {
  id: Generated<number>
  account_id: string | null
  topic: string
  category: string | null
  mode: string | null
  province_code: string | null
  regency_code: string | null
  at: Date
}

export interface CatalogueTables {
  courses: CoursesTable
  course_sessions: CourseSessionsTable
  course_session_seats: CourseSessionSeatsTable
  course_reviews: CourseReviewsTable
  course_demand: CourseDemandTable
}
