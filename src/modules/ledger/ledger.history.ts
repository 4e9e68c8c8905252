/** Reading the money history: a participant's own balances, the programme fund's movements. */
import type { Executor } from '../../platform/db/database.ts'
import { PARTICIPANT_TYPES } from './codes.ts'
import { toMovement, type Movement } from './history.ts'
import * as repo from './ledger.repository.ts'
import { toBalance, type Balance } from './ledger.service.ts'

export interface HistoryPage {
  movements: Movement[]
  /** Pass as `beforeId` for the next (older) page; null on the last. */
  nextBeforeId: number | null
}

export async function listHistory(
  ex: Executor,
  accountIds: number[],
  page: { beforeId?: number | null; limit?: number } = {},
): Promise<HistoryPage> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), 200)
  const rows = await repo.listMovements(ex, accountIds, { beforeId: page.beforeId ?? null, limit: limit + 1 })
  // A transfer between two of the listed accounts shows once per side; page by transfer.
  const movements = rows.map(toMovement)
  if (movements.length <= limit) return { movements, nextBeforeId: null }
  const cut = movements[limit - 1]!.transferId
  const kept = movements.filter((m) => m.transferId >= cut)
  return { movements: kept, nextBeforeId: cut }
}

/** The participant's training balance and incentive entitlement (those that exist). */
export async function participantBalances(ex: Executor, participantId: string): Promise<Balance[]> {
  const rows = await Promise.all(PARTICIPANT_TYPES.map((t) => repo.findAccountByOwner(ex, t, participantId)))
  return rows.filter((r): r is repo.AccountRow => r !== undefined).map(toBalance)
}

export async function singletonBalance(ex: Executor, type: 'programme_fund' | 'forfeited'): Promise<Balance | null> {
  const row = await repo.findAccountByOwner(ex, type, null)
  return row ? toBalance(row) : null
}
