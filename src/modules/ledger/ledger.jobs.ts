/**
 * Background work of the ledger: each hold's expiry, enqueued with the hold in its own
 * transaction to run at the deadline, and the invariant check a PMO officer asks for.
 */
import type { Clock } from '../../platform/clock.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { record } from '../../platform/audit/index.ts'
import { EXPIRE_HOLD_JOB, expireHold } from './ledger.service.ts'
import { checkLedger, recordCheck } from './ledger.check.ts'

export const CHECK_JOB = 'ledger.check'
/** A clock a little behind the database's may find a hold not due yet: look again shortly. */
const NOT_DUE_RETRY_SECONDS = 5

export function defineLedgerJobs(jobs: Jobs, deps: { clock: Clock }): void {
  const ledgerDeps = { jobs, clock: deps.clock }
  jobs.define<{ holdId: number }>(
    EXPIRE_HOLD_JOB,
    async (data, ctx) => {
      const outcome = await expireHold(ledgerDeps, ctx.db, data.holdId)
      if (outcome === 'not_due') await jobs.enqueue(ctx.db, EXPIRE_HOLD_JOB, data, { startAfter: NOT_DUE_RETRY_SECONDS })
    },
    { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  )
  jobs.define<{ requestedBy: string | null }>(
    CHECK_JOB,
    async (data, ctx) => {
      const report = await checkLedger(ctx.db, deps.clock)
      await recordCheck(ctx.db, deps.clock, report, { source: 'job', requestedBy: data.requestedBy })
    },
    // 'short': while one check waits in the queue, asking again adds no second one.
    { retryLimit: 2, expireInSeconds: 3600, policy: 'short' },
  )
}

/** Asks for an invariant check in the caller's transaction; the request is a staff action, audited. */
export async function requestCheck(
  jobs: Jobs,
  trx: Executor,
  by: { accountId: string; role: string; requestId: string; ip: string },
): Promise<void> {
  await jobs.enqueue(trx, CHECK_JOB, { requestedBy: by.accountId }, { singletonKey: 'ledger-check' })
  await record(trx, {
    actorId: by.accountId,
    actorRole: by.role,
    action: 'ledger.check_requested',
    subjectType: 'ledger',
    requestId: by.requestId,
    ip: by.ip,
  })
}
