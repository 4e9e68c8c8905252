/**
 * Setting a registration step back for someone who cannot get past it (the helpdesk's
 * "reopen a stuck step"): a profile step is marked not done and its half-typed draft cleared,
 * so the person fills it in again from the start (values already accepted stay as they were
 * until the new ones are accepted, and an accepted save of a completed profile runs the
 * identity checks again as usual); or the identity checks whose registry never answered, or
 * that failed on data since corrected at the registry, are run again in a new round.
 * Nothing is deleted: the step history records the reopening.
 */
import type { Executor } from '../../platform/db/database.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { AppError } from '../../platform/errors.ts'
import * as repo from './registration.repository.ts'
import { checkStatus, enqueueChecks } from './checks.service.ts'
import { STEPS, type Step } from './registration.tables.ts'

export type Reopenable = Step | 'checks'
export const REOPENABLE: readonly Reopenable[] = [...STEPS, 'checks']

export interface ReopenResult {
  readonly what: Reopenable
  /** For a step: it was done before (false: it was stuck as a draft). For checks: the new round started. */
  readonly wasDone: boolean
}

function refuse(id: string, en: string): never {
  throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'step', id, en }] })
}

/** In the caller's transaction, so the helpdesk's audit record and message go with it or not at all. */
export async function reopenRegistrationStep(deps: { jobs: Jobs }, trx: Executor, accountId: string, what: Reopenable, now: Date, by: { ticket: string; staffId: string }): Promise<ReopenResult> {
  const profile = await trx.selectFrom('registration_profiles').selectAll().where('account_id', '=', accountId).forUpdate().executeTakeFirst()
  if (!profile) refuse('Orang ini belum mulai mengisi profil: tidak ada langkah yang bisa dibuka lagi.', 'This person has not started the profile: there is no step to reopen.')
  if (what === 'checks') {
    if (!profile.completed_at) refuse('Profil belum lengkap, jadi pemeriksaan data belum berjalan.', 'The profile is not complete, so the identity checks have not run yet.')
    const status = await checkStatus(trx, accountId)
    const stuck = status.state === 'failed' || status.checks.some((c) => c.flagged)
    if (!stuck) refuse('Pemeriksaan data tidak macet (sedang berjalan atau sudah lolos): tidak perlu dijalankan ulang.', 'The identity checks are not stuck (running or passed): no need to run them again.')
    await enqueueChecks(trx, deps.jobs, accountId, now)
    await repo.appendHistory(trx, accountId, 'identitas', { reopened: 'checks', byHelpdesk: by.staffId, ticket: by.ticket, accepted: false }, now)
    return { what, wasDone: true }
  }
  if (!STEPS.includes(what)) refuse('Pilih langkah pendaftaran yang ada.', 'Choose an existing registration step.')
  const wasDone = profile.steps_done.includes(what)
  const hasDraft = profile.drafts[what] !== undefined
  if (!wasDone && !hasDraft) refuse('Langkah ini belum pernah diisi, jadi sudah terbuka untuk orang ini.', 'This step was never filled in, so it is already open for this person.')
  // The step's history row is written by the same statement.
  await repo.saveStep(trx, accountId, what, {}, { done: false, draft: null, now, history: { reopened: what, byHelpdesk: by.staffId, ticket: by.ticket, wasDone, accepted: false } })
  return { what, wasDone }
}
