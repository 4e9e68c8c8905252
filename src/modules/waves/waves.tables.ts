import type { ColumnType, Generated } from 'kysely'

export type WaveStatus = 'draft' | 'committed' | 'open' | 'closed' | 'drawn' | 'cancelled'
export type ApplicationOutcome = 'selected' | 'not_selected' | 'ineligible'
export type CardStatus = 'active' | 'revoked' | 'finished'

/** The benefit scheme of a wave; whole rupiah. Presets in scheme.ts. */
export interface Scheme {
  readonly preset: '2020' | '2023' | 'custom'
  readonly trainingBalance: number
  readonly incentiveAmount: number
  readonly incentiveCount: number
  readonly surveyIncentiveAmount: number
  readonly surveyCount: number
  readonly firstPurchaseDays: number
  /** `YYYY-MM-DD`, or null for no expiry. */
  readonly balanceExpiresOn: string | null
  /** Whether recipients of other social-assistance programmes (DTKS) are excluded. */
  readonly excludeOtherProgrammes: boolean
  /** Most recipients per KK, counting earlier waves. */
  readonly maxPerKk: number
}

type Timestamp = ColumnType<Date, Date | string, Date | string>

export interface WavesTable {
  id: Generated<string>
  code: string
  name: string
  status: WaveStatus
  opens_at: Timestamp
  closes_at: Timestamp
  national_quota: number
  scheme: ColumnType<Scheme, string, string>
  commitment: string | null
  seed_sealed: string | null
  seed: string | null
  committed_at: Date | null
  opened_at: Date | null
  closed_at: Date | null
  drawn_at: Date | null
  created_by: string | null
  created_at: Date
  updated_at: Date
}

export interface WaveQuotasTable {
  wave_id: string
  area_code: string
  quota: number
}

export interface WavePriorityEntriesTable {
  wave_id: string
  nik_hash: string
  group_code: string
}

export interface WaveApplicationsTable {
  id: Generated<number>
  wave_id: string
  account_id: string
  pseudonym: string
  nik_hash: string
  kk_hash: string
  province_code: string
  regency_code: string
  other_programme: Generated<boolean>
  carried_from: string | null
  joined_at: Date
}

/**
 * The draw's outcome of one application, written by runDraw (one INSERT … SELECT for the whole
 * wave, decision 0015). No row: not decided yet.
 */
export interface WaveOutcomesTable {
  application_id: number
  wave_id: string
  outcome: ApplicationOutcome
  ineligible_reason: string | null
  draw_area: string | null
  draw_position: number | null
  decided_at: Date
}

/** An application whose "not selected" message went out (after the draw, once). */
export interface WaveOutcomeNoticesTable {
  application_id: number
  wave_id: string
  sent_at: Date
}

export interface WaveDrawsTable {
  wave_id: string
  algorithm: string
  applicants: number
  eligible: number
  selected: number
  export_path: string | null
  export_sha256: string | null
  started_at: Date
  finished_at: Date | null
}

export interface CardsTable {
  id: Generated<string>
  card_number: string
  account_id: string
  nik_hash: string
  kk_hash: string
  wave_id: string
  status: CardStatus
  issued_at: Date
  first_purchase_deadline: Date
  balance_expires_on: string | null
  first_purchase_at: Date | null
  revoked_at: Date | null
  revoke_reason: string | null
  /** Rupiah returned to the programme fund at revocation (migration 202612011440). */
  recovered_amount: number | null
}

export interface BlacklistTable {
  nik_hash: string
  reason: string
  card_id: string | null
  since: Date
}

export interface WaveNotifyRequestsTable {
  account_id: string
  requested_at: Date
  notified_at: Date | null
}

export interface WavesTables {
  waves: WavesTable
  wave_quotas: WaveQuotasTable
  wave_priority_entries: WavePriorityEntriesTable
  wave_applications: WaveApplicationsTable
  wave_outcomes: WaveOutcomesTable
  wave_outcome_notices: WaveOutcomeNoticesTable
  wave_draws: WaveDrawsTable
  cards: CardsTable
  blacklist: BlacklistTable
  wave_notify_requests: WaveNotifyRequestsTable
}
