import type { ColumnType, Generated } from 'kysely'

/** int8 is read as a JS number (see platform/db/database.ts). */
type Int8 = ColumnType<number, number, number>
type Day = ColumnType<string, string, string>

/** One pre-aggregated fact: how many (or how many rupiah) of `metric` happened on `day` in one cell. */
export interface ReportDailyFactsTable {
  /** `YYYY-MM-DD` in WIB, read back as text. */
  day: Day
  metric: string
  /** '' = not tied to a wave. */
  wave_id: Generated<string>
  province_code: Generated<string>
  regency_code: Generated<string>
  reason: Generated<string>
  value: Int8
}

export interface ReportRefreshesTable {
  id: Generated<string>
  started_at: Date
  finished_at: Date
  /** null for a full recompute. */
  from_day: Day | null
  to_day: Day
  mode: 'full' | 'recent'
  source: string
  duration_ms: number
  rows_deleted: Int8
  rows_written: Int8
  per_source: ColumnType<Record<string, { rows: number; ms: number }>, string, never>
}

export type IntegrityAction = 'freeze' | 'clear' | 'refer'

/** A PMO decision on an integrity signal; the latest per (signal_kind, subject) is its state. */
export interface IntegrityActionsTable {
  id: Generated<string>
  signal_kind: string
  subject: string
  action: IntegrityAction
  note: string
  actor_id: string
  at: Date
}

export type FreezeTargetType = 'account' | 'partner' | 'payout_account'

/** A freeze in force (cleared_at null) or lifted, with the status to give back on clearing. */
export interface IntegrityFreezesTable {
  id: Generated<string>
  target_type: FreezeTargetType
  target_id: string
  signal_kind: string
  subject: string
  previous_status: string
  frozen_by: string
  frozen_at: Date
  cleared_by: string | null
  cleared_at: Date | null
}

export interface ReportsTables {
  report_daily_facts: ReportDailyFactsTable
  report_refreshes: ReportRefreshesTable
  integrity_actions: IntegrityActionsTable
  integrity_freezes: IntegrityFreezesTable
}
