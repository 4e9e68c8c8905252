import type { Executor } from '../../platform/db/database.ts'
import type { ItemKind, ItemOption } from './online-test.tables.ts'

export async function activeItems(db: Executor) {
  return db.selectFrom('test_items').select(['id', 'code', 'kind', 'prompt_id', 'prompt_en', 'options', 'correct_option']).where('active', '=', true).orderBy('code').execute()
}

export async function itemsByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('test_items').select(['id', 'kind', 'prompt_id', 'prompt_en', 'options', 'correct_option']).where('id', 'in', ids).execute()
}

export async function insertItemIfAbsent(
  db: Executor,
  item: { code: string; kind: ItemKind; promptId: string; promptEn: string; options: ItemOption[]; correctOption: number | null; createdBy: string | null; at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('test_items')
    .values({
      code: item.code,
      kind: item.kind,
      prompt_id: item.promptId,
      prompt_en: item.promptEn,
      options: JSON.stringify(item.options),
      correct_option: item.correctOption,
      created_by: item.createdBy,
      created_at: item.at,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst()
  return r !== undefined
}

export async function openAttempt(db: Executor, accountId: string, forUpdate = false) {
  let q = db.selectFrom('test_attempts').selectAll().where('account_id', '=', accountId).where('submitted_at', 'is', null)
  if (forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function latestSubmitted(db: Executor, accountId: string) {
  return db
    .selectFrom('test_attempts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('submitted_at', 'is not', null)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertAttempt(db: Executor, a: { accountId: string; itemIds: string[]; timeLimitMs: number; at: Date }): Promise<void> {
  await db
    .insertInto('test_attempts')
    .values({ account_id: a.accountId, item_ids: a.itemIds, time_limit_ms: a.timeLimitMs, started_at: a.at, last_seen_at: a.at })
    .onConflict((oc) => oc.column('account_id').where('submitted_at', 'is', null).doNothing())
    .execute()
}

export async function touchAttempt(db: Executor, id: string, timeUsedMs: number, now: Date): Promise<void> {
  await db.updateTable('test_attempts').set({ time_used_ms: timeUsedMs, last_seen_at: now }).where('id', '=', id).execute()
}

export async function upsertAnswer(db: Executor, attemptId: string, itemId: string, choice: number, at: Date): Promise<void> {
  await db
    .insertInto('test_answers')
    .values({ attempt_id: attemptId, item_id: itemId, choice, answered_at: at })
    .onConflict((oc) => oc.columns(['attempt_id', 'item_id']).doUpdateSet({ choice, answered_at: at }))
    .execute()
}

export async function answersOf(db: Executor, attemptId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('test_answers').select(['item_id', 'choice']).where('attempt_id', '=', attemptId).execute()
  return new Map(rows.map((r) => [r.item_id, r.choice]))
}

export async function submitAttempt(
  db: Executor,
  id: string,
  s: { at: Date; abilityCorrect: number; abilityTotal: number; motivation: number; passed: boolean },
): Promise<void> {
  await db
    .updateTable('test_attempts')
    .set({ submitted_at: s.at, ability_correct: s.abilityCorrect, ability_total: s.abilityTotal, motivation_score: s.motivation, passed: s.passed })
    .where('id', '=', id)
    .where('submitted_at', 'is', null)
    .execute()
}

export async function listItems(db: Executor) {
  return db.selectFrom('test_items').select(['id', 'code', 'kind', 'prompt_id', 'prompt_en', 'options', 'correct_option', 'active', 'created_at']).orderBy('code').execute()
}

export async function setItemActive(db: Executor, id: string, active: boolean): Promise<{ code: string } | undefined> {
  return db.updateTable('test_items').set({ active }).where('id', '=', id).returning('code').executeTakeFirst()
}
