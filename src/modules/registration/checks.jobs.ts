/** The identity-check job, defined with the registries the composition root chose. */
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { CHECK_JOB, runCheck, type CheckJob, type ChecksDeps } from './checks.service.ts'

export interface CheckJobsDeps extends ChecksDeps {
  /** Retries after the first attempt, and the first delay in seconds (doubling, jittered). */
  retry: { readonly retryLimit: number; readonly retryDelaySeconds: number }
}

export function defineCheckJobs(jobs: Jobs, deps: CheckJobsDeps): void {
  jobs.define<CheckJob>(CHECK_JOB, (data, ctx) => runCheck(deps, ctx.db, data, ctx), {
    retryLimit: deps.retry.retryLimit,
    retryDelay: deps.retry.retryDelaySeconds,
    retryBackoff: true,
    // Longer than any registry's own timeout, so a hung call is retried, not waited on forever.
    expireInSeconds: 300,
  })
}
