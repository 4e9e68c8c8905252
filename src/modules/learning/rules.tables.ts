import type { ColumnType, Generated } from 'kysely'

/** The verification rules in force: one row, id 'current'; none means the defaults in code. */
export interface CompletionRulesTable {
  id: 'current'
  voucher_redeemed: boolean
  attendance: boolean
  assignments_passed: boolean
  after_session_end: boolean
  review_sla_days: number
  updated_at: Date
  updated_by: string
}

/** Append-only: every change of the rules, old and new side by side. */
export interface CompletionRuleChangesTable {
  id: Generated<string>
  changed_by: string
  changed_at: Date
  old_rules: ColumnType<Record<string, unknown>, string, never>
  new_rules: ColumnType<Record<string, unknown>, string, never>
  reason: string
}

export interface RulesTables {
  completion_rules: CompletionRulesTable
  completion_rule_changes: CompletionRuleChangesTable
}
