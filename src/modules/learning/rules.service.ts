/**
 * The programme office switches the verification rules and sets the review SLA (issue #7).
 * Every change is kept (who, when, old → new, why) and audited in the same transaction; the
 * next report is verified under the new rules, reports already decided are not touched.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/audit.service.ts'
import type { CompletionRules } from './learning.service.ts'
import { lockCompletionRules, saveCompletionRules } from './rules.repository.ts'

export const MAX_SLA_DAYS = 30

export interface RulesActor {
  readonly id: string
  readonly role: string
  readonly requestId?: string
  readonly ip?: string
}

/** Checks a change before anything is written; the form's fields, named as on the page. */
export function checkRulesChange(slaDays: number, reason: string): FieldError[] {
  const fields: FieldError[] = []
  if (!Number.isInteger(slaDays) || slaDays < 1 || slaDays > MAX_SLA_DAYS) fields.push({ field: 'reviewSlaDays', id: `Isi jumlah hari 1–${MAX_SLA_DAYS}.`, en: `Enter a number of days from 1 to ${MAX_SLA_DAYS}.` })
  if (reason.trim().length < 5) fields.push({ field: 'reason', id: 'Tulis alasan perubahan (paling sedikit 5 karakter).', en: 'Write the reason for the change (at least 5 characters).' })
  return fields
}

/** Returns false when nothing changed (and then nothing is recorded). */
export async function changeCompletionRules(deps: { db: Db; clock: Clock }, actor: RulesActor, next: CompletionRules, reason: string): Promise<boolean> {
  const fields = checkRulesChange(next.reviewSlaDays, reason)
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    const old = await lockCompletionRules(trx, actor.id, now)
    const same = (Object.keys(next) as Array<keyof CompletionRules>).every((k) => old[k] === next[k])
    if (same) return false
    await saveCompletionRules(trx, old, next, actor.id, now, reason.trim())
    await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'learning.rules.change', subjectType: 'completion_rules', subjectId: 'current', details: { old, new: next, reason: reason.trim() }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
    return true
  })
}
