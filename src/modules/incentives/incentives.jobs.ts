/**
 * The daily incentive job: schedule the newly eligible, run the payouts, reconcile
 * yesterday's statements, mark overdue repayment claims; then queue tomorrow's run.
 */
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { PARTNERS, wibDay, type PartnerCode } from './gateway.ts'
import type { IncentivesDeps } from './deps.ts'
import { markOverdueClaims } from './claims.service.ts'
import { runPayouts, type RunOptions, type RunReport } from './payouts.service.ts'
import { reconcileAll, type ReconcileReport } from './reconcile.service.ts'
import { scheduleAllEligible, scheduleAnsweredSurveys } from './schedule.service.ts'

export const DAILY_JOB = 'incentives.daily'
/** 01:00 WIB: after the partners close the previous day's books. */
const RUN_HOUR_UTC = 18

export interface DailyReport {
  readonly scheduled: number
  readonly payouts: RunReport
  readonly reconciled: ReconcileReport[]
  readonly overdueClaims: number
}

export async function runDaily(deps: IncentivesDeps, opts: RunOptions = {}): Promise<DailyReport> {
  const scheduled = (await scheduleAllEligible(deps)) + (await scheduleAnsweredSurveys(deps))
  const payouts = await runPayouts(deps, opts)
  const yesterday = wibDay(new Date(deps.clock.now().getTime() - 86_400_000))
  const reconciled = await reconcileAll(deps, Object.keys(PARTNERS) as PartnerCode[], yesterday)
  const overdueClaims = await markOverdueClaims(deps)
  return { scheduled, payouts, reconciled, overdueClaims }
}

export function nextRunAt(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RUN_HOUR_UTC))
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1)
  return next
}

/** Queues the next daily run (one per day: the singleton key is its date). */
export async function queueNextDaily(deps: Pick<IncentivesDeps, 'jobs' | 'clock' | 'db'>): Promise<void> {
  const at = nextRunAt(deps.clock.now())
  await deps.jobs.enqueue(deps.db, DAILY_JOB, {}, { startAfter: at, singletonKey: `daily:${at.toISOString().slice(0, 10)}` })
}

export function defineIncentiveJobs(jobs: Jobs, deps: IncentivesDeps): void {
  jobs.define(
    DAILY_JOB,
    async () => {
      await runDaily(deps)
      await queueNextDaily(deps)
    },
    { retryLimit: 3, retryDelay: 300, policy: 'short', expireInSeconds: 6 * 3600 },
  )
}
