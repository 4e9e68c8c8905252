/** Running the invariant check in one snapshot and keeping its result for the PMO console. */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { judge, type CheckReport } from './invariants.ts'
import * as repo from './ledger.repository.ts'

const LISTED = 50

/** Reads every fact in one read-only snapshot, so transfers committing meanwhile cannot skew it. */
export async function checkLedger(db: Db, clock: Clock): Promise<CheckReport> {
  return transaction(db, async (trx) => {
    await repo.useOneSnapshot(trx)
    const totals = await repo.ledgerTotals(trx)
    const holds = await repo.holdStates(trx, clock.now())
    const accounts = await repo.findAccountProblems(trx, LISTED)
    const transfers = await repo.findTransferProblems(trx, LISTED)
    return judge({ totals, holds, accounts, transfers })
  })
}

export interface StoredCheck {
  at: Date
  ok: boolean
  source: string
  report: CheckReport
}

export async function recordCheck(
  ex: Executor,
  clock: Clock,
  report: CheckReport,
  by: { source: 'job' | 'cli' | 'bench'; requestedBy?: string | null },
): Promise<void> {
  await repo.insertCheck(ex, { at: clock.now(), ok: report.ok, source: by.source, requestedBy: by.requestedBy ?? null, report: { ...report } })
}

export async function latestCheck(ex: Executor): Promise<StoredCheck | null> {
  const row = await repo.latestCheck(ex)
  if (!row) return null
  return { at: row.at, ok: row.ok, source: row.source, report: row.report as unknown as CheckReport }
}
