/** All SQL for the programme office's verification rules and their history (issue #7). */
import type { Executor } from '../../platform/db/database.ts'
import { DEFAULT_RULES, type CompletionRules } from './learning.service.ts'

function toRules(r: { voucher_redeemed: boolean; attendance: boolean; assignments_passed: boolean; after_session_end: boolean; review_sla_days: number }): CompletionRules {
  return { voucherRedeemed: r.voucher_redeemed, attendance: r.attendance, assignmentsPassed: r.assignments_passed, afterSessionEnd: r.after_session_end, reviewSlaDays: r.review_sla_days }
}

/** The rules in force: what the programme office last saved, or the defaults in code. */
export async function loadCompletionRules(db: Executor): Promise<CompletionRules> {
  const r = await db.selectFrom('completion_rules').selectAll().where('id', '=', 'current').executeTakeFirst()
  return r ? toRules(r) : DEFAULT_RULES
}

/** Locks the current rules for a change (creating the row with the defaults the first time). */
export async function lockCompletionRules(db: Executor, actorId: string, now: Date): Promise<CompletionRules> {
  const d = DEFAULT_RULES
  await db
    .insertInto('completion_rules')
    .values({ id: 'current', voucher_redeemed: d.voucherRedeemed, attendance: d.attendance, assignments_passed: d.assignmentsPassed, after_session_end: d.afterSessionEnd, review_sla_days: d.reviewSlaDays, updated_at: now, updated_by: actorId })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return toRules(await db.selectFrom('completion_rules').selectAll().where('id', '=', 'current').forUpdate().executeTakeFirstOrThrow())
}

export async function saveCompletionRules(db: Executor, old: CompletionRules, next: CompletionRules, actorId: string, now: Date, reason: string): Promise<void> {
  await db
    .updateTable('completion_rules')
    .set({ voucher_redeemed: next.voucherRedeemed, attendance: next.attendance, assignments_passed: next.assignmentsPassed, after_session_end: next.afterSessionEnd, review_sla_days: next.reviewSlaDays, updated_at: now, updated_by: actorId })
    .where('id', '=', 'current')
    .execute()
  await db.insertInto('completion_rule_changes').values({ changed_by: actorId, changed_at: now, old_rules: JSON.stringify(old), new_rules: JSON.stringify(next), reason }).execute()
}

export interface RuleChange {
  readonly changedAt: Date
  readonly changedBy: string
  readonly old: CompletionRules
  readonly next: CompletionRules
  readonly reason: string
}

/** Newest first. */
export async function ruleChanges(db: Executor, limit = 50): Promise<RuleChange[]> {
  const rows = await db
    .selectFrom('completion_rule_changes as h')
    .innerJoin('accounts as a', 'a.id', 'h.changed_by')
    .select(['h.changed_at', 'a.display_name', 'h.old_rules', 'h.new_rules', 'h.reason'])
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ changedAt: r.changed_at, changedBy: r.display_name, old: r.old_rules as unknown as CompletionRules, next: r.new_rules as unknown as CompletionRules, reason: r.reason }))
}
