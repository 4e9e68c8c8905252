/**
 * The refresh as a job: nightly at 01:00 WIB (each run schedules the next before it starts,
 * so a failed run does not end the chain; pg-boss's own cron is off in this codebase), and
 * on request from the console. Distinct singleton keys keep one nightly run and one
 * requested run waiting at most.
 */
import type { Clock } from '../../platform/clock.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { Jobs, Logger } from '../../platform/jobs/jobs.ts'
import { record } from '../../platform/audit/index.ts'
import { refreshFacts } from './refresh.service.ts'
import type { FactSource } from './sources.repository.ts'

export const REFRESH_JOB = 'reports.refresh'

interface RefreshJob {
  readonly scheduled?: boolean
  readonly mode?: 'full' | 'recent'
  readonly requestedBy?: string
}

/** The next 01:00 WIB (18:00 UTC) after `now`. */
export function nextNightlyRun(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18, 0, 0))
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1)
  return next
}

export async function scheduleNightlyRefresh(jobs: Jobs, ex: Executor, clock: Clock): Promise<void> {
  await jobs.enqueue(ex, REFRESH_JOB, { scheduled: true } satisfies RefreshJob, { singletonKey: 'reports-nightly', startAfter: nextNightlyRun(clock.now()) })
}

export function defineReportJobs(jobs: Jobs, deps: { clock: Clock; sources: readonly FactSource[]; logger?: Logger }): void {
  jobs.define<RefreshJob>(
    REFRESH_JOB,
    async (data, ctx) => {
      if (data.scheduled && ctx.attempt === 1) await scheduleNightlyRefresh(jobs, ctx.db, deps.clock)
      const summary = await refreshFacts({ db: ctx.db, clock: deps.clock, sources: deps.sources }, { ...(data.mode ? { mode: data.mode } : {}), source: data.requestedBy ? 'pmo' : 'job' })
      deps.logger?.info({ job: REFRESH_JOB, ...summary }, 'report facts refreshed')
    },
    { retryLimit: 2, retryDelay: 300, expireInSeconds: 3 * 3600, policy: 'short' },
  )
}

/** A PMO admin's "refresh now", in the caller's transaction, audited. */
export async function requestRefresh(
  jobs: Jobs,
  trx: Executor,
  mode: 'full' | 'recent',
  by: { accountId: string; role: string; requestId: string; ip: string },
): Promise<void> {
  await jobs.enqueue(trx, REFRESH_JOB, { mode, requestedBy: by.accountId } satisfies RefreshJob, { singletonKey: 'reports-now' })
  await record(trx, { actorId: by.accountId, actorRole: by.role, action: 'reports.refresh_requested', subjectType: 'reports', details: { mode }, requestId: by.requestId, ip: by.ip })
}
