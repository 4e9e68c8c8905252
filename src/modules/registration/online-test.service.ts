/**
 * The online test (motivation and basic ability): questions drawn from the PMO item bank,
 * scored on the server, answers saved one by one and the clock counting time spent, so a
 * person whose connection drops picks up where they were with their answers and time intact.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Trx } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import * as repo from './online-test.repository.ts'
import { findProfile } from './registration.repository.ts'
import { addUsage, pickItems, scoreAttempt, TIME_LIMIT_MS } from './online-test.ts'
import type { ItemOption, ItemKind } from './online-test.tables.ts'
import { DEMO_ITEM_BANK } from './demo-item-bank.ts'

export interface TestDeps {
  db: Db
  clock: Clock
}

export interface QuestionView {
  index: number
  total: number
  kind: ItemKind
  prompt: { id: string; en: string }
  options: ItemOption[]
  choice: number | null
  answered: number
  remainingMs: number
}

export type TestState =
  | { state: 'not_ready' }
  | { state: 'not_started' }
  | { state: 'in_progress'; answered: number; total: number; remainingMs: number }
  | { state: 'done'; passed: boolean; abilityCorrect: number; abilityTotal: number; submittedAt: Date }

export async function testState(deps: TestDeps, accountId: string): Promise<TestState> {
  const profile = await findProfile(deps.db, accountId)
  if (!profile?.completed_at) return { state: 'not_ready' }
  const open = await repo.openAttempt(deps.db, accountId)
  if (open) {
    const answers = await repo.answersOf(deps.db, open.id)
    return { state: 'in_progress', answered: answers.size, total: open.item_ids.length, remainingMs: Math.max(open.time_limit_ms - open.time_used_ms, 0) }
  }
  const last = await repo.latestSubmitted(deps.db, accountId)
  if (last?.submitted_at) {
    return { state: 'done', passed: last.passed === true, abilityCorrect: last.ability_correct ?? 0, abilityTotal: last.ability_total ?? 0, submittedAt: last.submitted_at }
  }
  return { state: 'not_started' }
}

export async function startTest(deps: TestDeps, accountId: string): Promise<void> {
  const state = await testState(deps, accountId)
  if (state.state === 'not_ready') throw new AppError('STEP_ORDER')
  if (state.state !== 'not_started') return
  const bank = await repo.activeItems(deps.db)
  if (bank.length === 0) throw new AppError('SERVICE_UNAVAILABLE')
  const seed = parseInt(accountId.replace(/-/g, '').slice(0, 8), 16)
  const items = pickItems(bank, seed)
  await repo.insertAttempt(deps.db, { accountId, itemIds: items.map((i) => i.id), timeLimitMs: TIME_LIMIT_MS, at: deps.clock.now() })
}

/** Counts the time since the last request; past the limit the attempt is submitted as it stands. */
type OpenAttempt = NonNullable<Awaited<ReturnType<typeof repo.openAttempt>>>

async function withClock<T>(
  deps: TestDeps,
  accountId: string,
  fn: (attempt: OpenAttempt, remainingMs: number, trx: Trx) => Promise<T>,
): Promise<T | 'time_up' | 'none'> {
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const attempt = await repo.openAttempt(trx, accountId, true)
    if (!attempt) return 'none' as const
    const used = addUsage(attempt.time_used_ms, attempt.last_seen_at, now)
    await repo.touchAttempt(trx, attempt.id, used, now)
    if (used >= attempt.time_limit_ms) {
      await finish(trx, attempt.id, attempt.item_ids, now)
      return 'time_up' as const
    }
    return fn(attempt, attempt.time_limit_ms - used, trx)
  })
}

async function finish(trx: Trx, attemptId: string, itemIds: string[], now: Date): Promise<void> {
  const items = await repo.itemsByIds(trx, itemIds)
  const answers = await repo.answersOf(trx, attemptId)
  const s = scoreAttempt(
    items.map((i) => ({ id: i.id, kind: i.kind, options: i.options, correctOption: i.correct_option })),
    answers,
  )
  await repo.submitAttempt(trx, attemptId, { at: now, abilityCorrect: s.abilityCorrect, abilityTotal: s.abilityTotal, motivation: s.motivation, passed: s.passed })
}

export async function question(deps: TestDeps, accountId: string, index: number): Promise<QuestionView | 'time_up' | 'none'> {
  return withClock(deps, accountId, async (attempt, remainingMs, trx) => {
    const id = attempt.item_ids[index - 1]
    if (!id) throw new AppError('NOT_FOUND')
    const [item] = await repo.itemsByIds(trx, [id])
    const answers = await repo.answersOf(trx, attempt.id)
    return {
      index,
      total: attempt.item_ids.length,
      kind: item!.kind,
      prompt: { id: item!.prompt_id, en: item!.prompt_en },
      options: item!.options,
      choice: answers.get(id) ?? null,
      answered: answers.size,
      remainingMs,
    }
  })
}

export async function answer(deps: TestDeps, accountId: string, index: number, choice: number): Promise<'saved' | 'time_up' | 'none'> {
  return withClock(deps, accountId, async (attempt, _remaining, trx) => {
    const id = attempt.item_ids[index - 1]
    if (!id) throw new AppError('NOT_FOUND')
    const [item] = await repo.itemsByIds(trx, [id])
    if (!Number.isInteger(choice) || choice < 0 || choice >= item!.options.length) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'choice', id: 'Pilih salah satu jawaban.', en: 'Choose one answer.' }] })
    }
    await repo.upsertAnswer(trx, attempt.id, id, choice, deps.clock.now())
    return 'saved' as const
  })
}

export async function submitTest(deps: TestDeps, accountId: string): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const attempt = await repo.openAttempt(trx, accountId, true)
    if (attempt) await finish(trx, attempt.id, attempt.item_ids, deps.clock.now())
  })
}

/** Loads the starter bank; items are keyed by code, so running it again adds nothing. */
export async function seedItemBank(db: Db, at: Date = new Date()): Promise<number> {
  let added = 0
  for (const item of DEMO_ITEM_BANK) {
    if (await repo.insertItemIfAbsent(db, { ...item, createdBy: null, at })) added++
  }
  return added
}
