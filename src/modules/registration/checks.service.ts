/**
 * Identity checks as jobs: a completed profile queues one job per check in the same
 * transaction; each job asks its registry and appends the outcome. A registry that cannot
 * answer is retried with backoff and the person sees "being checked"; after the last retry
 * the check stays "being checked" and is listed for PMO. Only a registry's answer can fail
 * a person, never its silence.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { JobContext, Jobs } from '../../platform/jobs/jobs.ts'
import { judgeCivil, judgeEducation, judgeExclusions, type Verdict } from './check-reasons.ts'
import * as repo from './checks.repository.ts'
import { CHECK_KINDS, type CheckDetails, type CheckKind, type CheckReason } from './checks.tables.ts'
import { RegistryUnavailable, type Registries } from './registries.ts'

export const CHECK_JOB = 'registration.check'

export interface CheckJob {
  accountId: string
  round: number
  kind: CheckKind
}

export interface ChecksDeps {
  clock: Clock
  identity: IdentityCipher
  registries: Registries
}

/**
 * Starts a new round of checks for a completed profile, in the caller's transaction (a
 * rolled-back save queues nothing). Does nothing for a profile not yet complete: false.
 * Jobs carry no NIK, only the account; the handler reads the profile when it runs.
 */
export async function enqueueChecks(trx: Executor, jobs: Jobs, accountId: string, now: Date = new Date()): Promise<boolean> {
  if (!(await repo.findCompletedProfile(trx, accountId))) return false
  const round = await repo.nextRound(trx, accountId)
  for (const kind of CHECK_KINDS) {
    await repo.appendCheck(trx, { account_id: accountId, round, kind, attempt: 0, outcome: 'queued', details: {}, at: now })
    await jobs.enqueue<CheckJob>(trx, CHECK_JOB, { accountId, round, kind })
  }
  return true
}

async function ask(deps: ChecksDeps, kind: CheckKind, p: NonNullable<Awaited<ReturnType<typeof repo.findCompletedProfile>>>): Promise<Verdict> {
  const nik = p.nik_sealed ? deps.identity.decrypt(p.nik_sealed) : ''
  if (kind === 'civil_registry') {
    const kk = p.kk_sealed ? deps.identity.decrypt(p.kk_sealed) : ''
    return judgeCivil(await deps.registries.civil.verify({ nik, kk, fullName: p.full_name ?? '', birthDate: p.birth_date ?? '' }))
  }
  if (kind === 'education') return judgeEducation(await deps.registries.education.isEnrolled(nik), p.in_formal_education === true)
  return judgeExclusions(await deps.registries.exclusions.lookup(nik))
}

/** One check, one attempt. Throws to ask the queue for a retry. */
export async function runCheck(deps: ChecksDeps, db: Db, job: CheckJob, ctx: Pick<JobContext, 'attempt' | 'isFinalAttempt'>): Promise<void> {
  const { accountId, round, kind } = job
  // A newer round (the profile was saved again) or a settled check makes this job moot.
  if ((await repo.latestRound(db, accountId)) !== round || (await repo.isSettled(db, accountId, round, kind))) return
  const profile = await repo.findCompletedProfile(db, accountId)
  if (!profile) return
  const row = (outcome: repo.CheckRow['outcome'], details: CheckDetails): repo.CheckRow => ({
    account_id: accountId,
    round,
    kind,
    attempt: ctx.attempt,
    outcome,
    details,
    at: deps.clock.now(),
  })
  let verdict: Verdict
  try {
    // Asked outside any transaction: a slow registry must not hold a database connection.
    verdict = await ask(deps, kind, profile)
  } catch (err) {
    const details: CheckDetails =
      err instanceof RegistryUnavailable ? { registry: err.registry, problem: err.reason } : { problem: 'internal' }
    await transaction(db, async (trx) => {
      await repo.appendCheck(trx, row('unavailable', details))
      if (ctx.isFinalAttempt) await repo.appendCheck(trx, row('gave_up', details))
    })
    if (ctx.isFinalAttempt) return
    throw err
  }
  await repo.appendCheck(db, row(verdict.outcome, {
    ...(verdict.reasons.length > 0 ? { reasons: verdict.reasons } : {}),
    ...(verdict.notes && verdict.notes.length > 0 ? { notes: verdict.notes } : {}),
  }))
}

export type CheckState = 'being_checked' | 'passed' | 'failed'

export interface CheckView {
  readonly kind: CheckKind
  readonly state: CheckState
  /** A registry did not answer at the last attempt; the check is being retried. */
  readonly retrying: boolean
  /** Retries ran out: PMO has it on its list. Still "being checked" for the person. */
  readonly flagged: boolean
  readonly reasons: readonly CheckReason[]
  readonly at: Date
}

export interface CheckStatus {
  readonly state: 'not_started' | CheckState
  readonly checks: readonly CheckView[]
  /** Every reason of every failed check. */
  readonly reasons: readonly CheckReason[]
}

/** The person's checks in the newest round, each at its newest row. */
export async function checkStatus(db: Executor, accountId: string): Promise<CheckStatus> {
  const rows = await repo.newestRoundRows(db, accountId)
  if (rows.length === 0) return { state: 'not_started', checks: [], reasons: [] }
  const checks: CheckView[] = []
  for (const kind of CHECK_KINDS) {
    const mine = rows.filter((r) => r.kind === kind)
    const last = mine[mine.length - 1]
    if (!last) continue
    const state: CheckState = last.outcome === 'passed' ? 'passed' : last.outcome === 'failed' ? 'failed' : 'being_checked'
    checks.push({
      kind,
      state,
      retrying: last.outcome === 'unavailable',
      flagged: last.outcome === 'gave_up',
      reasons: last.outcome === 'failed' ? (last.details.reasons ?? []) : [],
      at: last.at,
    })
  }
  const reasons = checks.flatMap((c) => c.reasons)
  const state = checks.some((c) => c.state === 'failed')
    ? 'failed'
    : checks.length === CHECK_KINDS.length && checks.every((c) => c.state === 'passed')
      ? 'passed'
      : 'being_checked'
  return { state, checks, reasons }
}

export interface OtherProgrammeMembership {
  /** The exclusion lists record the person as receiving another programme (DTKS, BSU, BPUM, …). */
  readonly member: boolean
  /** What the lists say, e.g. "DTKS (Data Terpadu Kesejahteraan Sosial)"; several joined by "; ". */
  readonly detail: string | null
  /** When the exclusions check of the newest round settled; null while it has not. */
  readonly checkedAt: Date | null
}

/**
 * Whether the newest settled exclusions check found the person on another programme's list,
 * for the waves module to judge by the wave's scheme. Until that check settles (not started,
 * being checked, or the registry never answered) the answer is "not known to be": checkedAt null.
 */
export async function otherProgrammeMembership(db: Executor, accountId: string): Promise<OtherProgrammeMembership> {
  const row = await repo.newestRoundVerdict(db, accountId, 'exclusions')
  if (!row) return { member: false, detail: null, checkedAt: null }
  // Checks recorded before other programmes stopped failing it hold them as reasons.
  const listed = [...(row.details.notes ?? []), ...(row.details.reasons ?? []).flatMap((r) => (r.code === 'excluded' ? [r] : []))].filter(
    (n) => n.list === 'dtks_other_programme',
  )
  return { member: listed.length > 0, detail: listed.length > 0 ? listed.map((n) => n.detail).join('; ') : null, checkedAt: row.at }
}

/** For PMO: checks whose registry never answered, oldest first. */
export async function checksNeedingAttention(db: Executor, limit = 100) {
  return repo.listGaveUp(db, limit)
}

export { checkHistory } from './checks.repository.ts'
