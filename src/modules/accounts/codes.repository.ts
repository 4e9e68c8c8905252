import type { Executor } from '../../platform/db/database.ts'
import type { CodePurpose } from './accounts.tables.ts'

export interface NewCode {
  id: string
  accountId: string
  purpose: CodePurpose
  channel: 'email' | 'sms'
  sentTo: string
  codeHash: string
  linkTokenHash: string | null
  notMeTokenHash: string | null
  createdAt: Date
  expiresAt: Date
}

function codeRow(c: NewCode) {
  return {
    id: c.id,
    account_id: c.accountId,
    purpose: c.purpose,
    channel: c.channel,
    sent_to: c.sentTo,
    code_hash: c.codeHash,
    link_token_hash: c.linkTokenHash,
    not_me_token_hash: c.notMeTokenHash,
    created_at: c.createdAt,
    expires_at: c.expiresAt,
  }
}

export async function insertCode(db: Executor, c: NewCode): Promise<void> {
  await db.insertInto('verification_codes').values(codeRow(c)).execute()
}

/** Several codes in one statement (a sign-up's e-mail and SMS codes). */
export async function insertCodes(db: Executor, cs: readonly NewCode[]): Promise<void> {
  if (cs.length > 0) await db.insertInto('verification_codes').values(cs.map(codeRow)).execute()
}

export async function sendTimes(db: Executor, accountId: string, purpose: CodePurpose, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('verification_codes')
    .select('created_at')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .execute()
  return rows.map((r) => r.created_at)
}

/** The newest unconsumed code of that purpose, locked so two submissions cannot both use it. */
export async function latestOpenCode(db: Executor, accountId: string, purpose: CodePurpose) {
  return db
    .selectFrom('verification_codes')
    .select(['id', 'code_hash', 'attempts', 'expires_at', 'sent_to'])
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
}

export async function countAttempt(db: Executor, id: string): Promise<void> {
  await db.updateTable('verification_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute()
}

/** Consumes every open code of the purpose: a verified e-mail needs no older link either. */
export async function consumeCodes(db: Executor, accountId: string, purpose: CodePurpose, at: Date): Promise<void> {
  await db
    .updateTable('verification_codes')
    .set({ consumed_at: at })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .execute()
}

export async function findByLinkToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('verification_codes')
    .select(['id', 'account_id', 'purpose', 'expires_at', 'consumed_at', 'sent_to'])
    .where('link_token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function findByNotMeToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('verification_codes')
    .select(['id', 'account_id', 'sent_to', 'created_at'])
    .where('not_me_token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function insertAuthFailure(db: Executor, f: { ip: string; accountId: string | null; kind: 'password' | 'code'; at: Date }): Promise<void> {
  await db.insertInto('auth_failures').values({ ip: f.ip, account_id: f.accountId, kind: f.kind, at: f.at }).execute()
}

export async function countIpFailures(db: Executor, ip: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('auth_failures')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
    .where('ip', '=', ip)
    .where('at', '>', since)
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), oldest: row.oldest ? new Date(row.oldest as unknown as string | Date) : null }
}

export async function insertFraudSignal(
  db: Executor,
  s: { kind: string; accountId: string | null; details: Record<string, unknown>; ip: string | null; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('fraud_signals')
    .values({ kind: s.kind, account_id: s.accountId, details: JSON.stringify(s.details), ip: s.ip, created_at: s.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listFraudSignals(db: Executor, limit: number) {
  return db
    .selectFrom('fraud_signals')
    .select(['id', 'kind', 'account_id', 'details', 'ip', 'status', 'created_at'])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
}
