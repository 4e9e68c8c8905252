/**
 * The morning assignment: tickets that arrived while the centre was closed (20:00–08:00 WIB,
 * or a holiday) wait unassigned; at 08:00 WIB a job hands them out by skill and capacity,
 * round-robin within a team, most urgent first. Like the reports' nightly refresh, each run
 * queues the next one before it starts (pg-boss's own cron is off in this codebase), so a
 * failed run does not end the chain; the singleton key keeps one morning run waiting.
 */
import type { Executor } from '../../platform/db/database.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Jobs, Logger } from '../../platform/jobs/jobs.ts'
import { assignWaiting } from './console.service.ts'
import type { HelpdeskDeps } from './tickets.service.ts'

export const MORNING_ASSIGN_JOB = 'helpdesk.assign-morning'
/** 08:00 WIB is 01:00 UTC (WIB has no daylight saving). */
const OPENING_HOUR_UTC = 1
const BATCH = 200

/** The next 08:00 WIB after `now`. */
export function nextOpening(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), OPENING_HOUR_UTC, 0, 0))
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1)
  return next
}

export async function scheduleMorningAssignment(jobs: Jobs, ex: Executor, clock: Clock): Promise<void> {
  await jobs.enqueue(ex, MORNING_ASSIGN_JOB, { scheduled: true }, { singletonKey: 'helpdesk-morning', startAfter: nextOpening(clock.now()) })
}

/** Hands out every waiting ticket that has an agent with the skill and room; the rest wait for the queue. */
export async function assignAtOpening(deps: HelpdeskDeps): Promise<number> {
  let total = 0
  for (;;) {
    const n = await assignWaiting(deps, BATCH)
    total += n
    // A short batch means the waiting tickets ran out, or the agents' room did.
    if (n < BATCH) return total
  }
}

export function defineHelpdeskJobs(jobs: Jobs, deps: HelpdeskDeps & { logger?: Logger }): void {
  jobs.define<{ scheduled?: boolean }>(
    MORNING_ASSIGN_JOB,
    async (data, ctx) => {
      if (data.scheduled && ctx.attempt === 1) await scheduleMorningAssignment(jobs, ctx.db, deps.clock)
      const assigned = await assignAtOpening({ ...deps, db: ctx.db })
      deps.logger?.info({ job: MORNING_ASSIGN_JOB, assigned }, 'helpdesk tickets assigned at opening')
    },
    { retryLimit: 3, retryDelay: 120, expireInSeconds: 3600, policy: 'short' },
  )
}
