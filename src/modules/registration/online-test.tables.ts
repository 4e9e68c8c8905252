import type { ColumnType, Generated } from 'kysely'

export type ItemKind = 'motivation' | 'numeracy' | 'literacy'
export interface ItemOption {
  id: string
  en: string
  /** Motivation items weigh each answer (0–3) instead of having one right answer. */
  weight?: number
}

export interface TestItemsTable {
  id: Generated<string>
  code: string
  kind: ItemKind
  prompt_id: string
  prompt_en: string
  options: ColumnType<ItemOption[], string, string>
  correct_option: number | null
  active: Generated<boolean>
  created_by: string | null
  created_at: Date
}

export interface TestAttemptsTable {
  id: Generated<string>
  account_id: string
  item_ids: string[]
  time_limit_ms: number
  time_used_ms: Generated<number>
  started_at: Date
  last_seen_at: Date
  submitted_at: Date | null
  ability_correct: number | null
  ability_total: number | null
  motivation_score: number | null
  passed: boolean | null
}

export interface TestAnswersTable {
  attempt_id: string
  item_id: string
  choice: number
  answered_at: Date
}

export interface OnlineTestTables {
  test_items: TestItemsTable
  test_attempts: TestAttemptsTable
  test_answers: TestAnswersTable
}
