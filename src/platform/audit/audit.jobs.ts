/**
 * Verifying the chain reads the whole log, so it runs as a job on request and its result
 * is itself an audit entry: the page shows the latest one instead of re-reading the log.
 */
import type { Jobs } from '../jobs/jobs.ts'
import type { Clock } from '../clock.ts'
import type { Executor } from '../db/database.ts'
import { record, verifyChain, searchAudit } from './audit.service.ts'
import type { AuditEntry } from './chain.ts'

export const VERIFY_JOB = 'audit.verify'
export const VERIFIED_ACTION = 'audit.chain_verified'

interface VerifyData {
  requestedBy: string
  requestedRole: string
}

export function defineAuditJobs(jobs: Jobs, deps: { clock: Clock }): void {
  jobs.define<VerifyData>(
    VERIFY_JOB,
    async (data, ctx) => {
      const report = await verifyChain(ctx.db)
      await record(
        ctx.db,
        {
          actorId: data.requestedBy,
          actorRole: data.requestedRole,
          action: VERIFIED_ACTION,
          subjectType: 'audit_log',
          details: {
            ok: report.ok,
            checked: report.checked,
            headSeq: report.headSeq,
            headHash: report.headHash,
            problemCount: report.problems.length + report.moreProblems,
            problems: report.problems.slice(0, 20).map((p) => ({ seq: p.seq, kind: p.kind, detail: p.detail })),
          },
        },
        deps.clock,
      )
    },
    // 'short': while one check waits in the queue, asking again adds no second one.
    { retryLimit: 2, expireInSeconds: 3600, policy: 'short' },
  )
}

/** Asks for a verification, in the caller's transaction, with the request itself audited. */
export async function requestVerification(
  jobs: Jobs,
  trx: Executor,
  by: { accountId: string; role: string; requestId: string; ip: string },
): Promise<void> {
  await jobs.enqueue(trx, VERIFY_JOB, { requestedBy: by.accountId, requestedRole: by.role } satisfies VerifyData, {
    singletonKey: 'audit-verify',
  })
  await record(trx, {
    actorId: by.accountId,
    actorRole: by.role,
    action: 'audit.verify_requested',
    subjectType: 'audit_log',
    requestId: by.requestId,
    ip: by.ip,
  })
}

export interface VerificationResult {
  at: Date
  ok: boolean
  checked: number
  headSeq: number | null
  headHash: string | null
  problemCount: number
  problems: Array<{ seq: number; kind: string; detail: string }>
}

export async function latestVerification(db: Executor): Promise<VerificationResult | null> {
  const page = await searchAudit(db, { action: VERIFIED_ACTION }, { limit: 1 })
  const e: AuditEntry | undefined = page.entries[0]
  if (!e) return null
  const d = e.details as unknown as Omit<VerificationResult, 'at'>
  return { at: e.at, ok: d.ok, checked: d.checked, headSeq: d.headSeq, headHash: d.headHash, problemCount: d.problemCount, problems: d.problems ?? [] }
}
