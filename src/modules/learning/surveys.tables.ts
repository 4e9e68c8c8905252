import type { ColumnType, Generated } from 'kysely'

/** Append-only: one response per purchase per survey. */
export interface SurveyResponsesTable {
  id: Generated<string>
  survey_id: string
  purchase_id: string
  account_id: string
  answers: ColumnType<Record<string, number | string>, string, never>
  answered_at: Date
}

export interface SurveysTables {
  survey_responses: SurveyResponsesTable
}
