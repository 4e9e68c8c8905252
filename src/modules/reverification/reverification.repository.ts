/** All SQL of re-verification requests and the codes sent to their new contacts. */
import type { Executor } from '../../platform/db/database.ts'
import type { ReverificationStatus } from './reverification.tables.ts'

export interface NewRequest {
  tokenHash: string
  accountId: string | null
  nikMatched: boolean
  kkMatched: boolean
  dobMatched: boolean
  newEmail: string | null
  newPhone: string | null
  emailCodeHash: string | null
  phoneCodeHash: string | null
  codeExpiresAt: Date
  selfieKey: string
  selfieFormat: string
  selfieChecks: Record<string, unknown>
  faceScore: number | null
  ip: string | null
  at: Date
}

export async function insertRequest(db: Executor, r: NewRequest & { id: string }): Promise<void> {
  await db
    .insertInto('reverification_requests')
    .values({
      id: r.id,
      token_hash: r.tokenHash,
      account_id: r.accountId,
      nik_matched: r.nikMatched,
      kk_matched: r.kkMatched,
      dob_matched: r.dobMatched,
      new_email: r.newEmail,
      new_phone: r.newPhone,
      email_code_hash: r.emailCodeHash,
      phone_code_hash: r.phoneCodeHash,
      code_expires_at: r.codeExpiresAt,
      selfie_key: r.selfieKey,
      selfie_format: r.selfieFormat,
      selfie_checks: JSON.stringify(r.selfieChecks),
      face_score: r.faceScore,
      ip: r.ip,
      created_at: r.at,
    })
    .execute()
}

/** Locked: two code submissions or two decisions on one request run one after the other. */
export async function findRequestByToken(db: Executor, tokenHash: string) {
  return db.selectFrom('reverification_requests').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst()
}

export async function findRequest(db: Executor, id: string, opts: { lock?: boolean } = {}) {
  const q = db.selectFrom('reverification_requests').selectAll().where('id', '=', id)
  return opts.lock ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst()
}

export async function setCodes(db: Executor, id: string, c: { emailCodeHash: string | null; phoneCodeHash: string | null; expiresAt: Date }): Promise<void> {
  await db
    .updateTable('reverification_requests')
    .set({ email_code_hash: c.emailCodeHash, phone_code_hash: c.phoneCodeHash, code_expires_at: c.expiresAt, code_attempts: 0 })
    .where('id', '=', id)
    .execute()
}

export async function countCodeAttempt(db: Executor, id: string): Promise<void> {
  await db.updateTable('reverification_requests').set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) })).where('id', '=', id).execute()
}

export async function markProven(db: Executor, id: string, status: 'queued' | 'unmatched', at: Date): Promise<void> {
  await db
    .updateTable('reverification_requests')
    .set({ status, proven_at: at, email_code_hash: null, phone_code_hash: null })
    .where('id', '=', id)
    .where('status', '=', 'unproven')
    .execute()
}

/** Only a queued request can be decided; false when it already was (or never was queued). */
export async function decide(db: Executor, id: string, d: { status: 'approved' | 'rejected'; by: string; reason: string; at: Date }): Promise<boolean> {
  const r = await db
    .updateTable('reverification_requests')
    .set({ status: d.status, decided_by: d.by, decision_reason: d.reason, decided_at: d.at })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The helpdesk queue: proven requests that match a profile, oldest first. */
export async function listQueued(db: Executor, limit: number) {
  return db
    .selectFrom('reverification_requests as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.id', 'r.proven_at', 'r.created_at', 'r.nik_matched', 'r.kk_matched', 'r.dob_matched', 'r.new_email', 'r.new_phone', 'r.face_score', 'a.display_name'])
    .where('r.status', '=', 'queued' satisfies ReverificationStatus)
    .orderBy('r.proven_at', 'asc')
    .orderBy('r.id')
    .limit(limit)
    .execute()
}

/** One account's proven requests, newest first (the helpdesk's 360° view of the person). */
export async function requestsOfAccount(db: Executor, accountId: string) {
  return db
    .selectFrom('reverification_requests')
    .select(['id', 'status', 'proven_at', 'created_at', 'nik_matched', 'kk_matched', 'dob_matched', 'new_email', 'new_phone', 'decided_at', 'decision_reason'])
    .where('account_id', '=', accountId)
    .where('status', 'in', ['queued', 'approved', 'rejected'])
    .orderBy('created_at', 'desc')
    .limit(10)
    .execute()
}

export async function insertCodeSend(db: Executor, sentTo: string, at: Date): Promise<void> {
  await db.insertInto('reverification_code_sends').values({ sent_to: sentTo, sent_at: at }).execute()
}

export async function codeSendTimes(db: Executor, sentTo: string, since: Date): Promise<Date[]> {
  const rows = await db.selectFrom('reverification_code_sends').select('sent_at').where('sent_to', '=', sentTo).where('sent_at', '>', since).execute()
  return rows.map((r) => r.sent_at)
}
