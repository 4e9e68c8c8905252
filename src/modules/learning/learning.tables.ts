import type { ColumnType, Generated } from 'kysely'
import type { RulesTables } from './rules.tables.ts'
import type { SurveysTables } from './surveys.tables.ts'

export type AssignmentStatus = 'not_submitted' | 'pending' | 'success' | 'failed'

export interface LearningReportsTable {
  id: Generated<string>
  provider_code: string
  report_id: string
  purchase_id: string
  kind: 'assignment' | 'completion' | 'attendance'
  payload: ColumnType<Record<string, unknown>, string, never>
  outcome: 'recorded' | 'completed' | 'review' | 'correction'
  received_at: Date
  /** Its place in the purchase's timeline (purchase_events' sequence); null for rows written before the timeline read them (their copies are purchase events). */
  timeline_seq: ColumnType<string | null, string | undefined, never>
}

export interface CompletionReviewsTable {
  id: Generated<string>
  purchase_id: string
  report_row_id: string
  broken_rules: ColumnType<string[], string, string>
  status: 'pending' | 'approved' | 'rejected'
  due_at: Date
  created_at: Date
  reviewer_id: string | null
  decided_at: Date | null
  reason: string | null
}

export interface CertificatesTable {
  number: string
  purchase_id: string
  account_id: string
  course_id: string
  provider_code: string
  provider_number: string | null
  provider_url: string | null
  grade: number
  completed_on: Date
  issued_at: Date
  show_full_name: Generated<boolean>
  show_grade: Generated<boolean>
}

export interface CourseRatingsTable {
  purchase_id: string
  account_id: string
  course_id: string
  stars: number
  review: string
  created_at: Date
}

export interface LearningTables extends RulesTables, SurveysTables {
  learning_reports: LearningReportsTable
  completion_reviews: CompletionReviewsTable
  certificates: CertificatesTable
  course_ratings: CourseRatingsTable
}
