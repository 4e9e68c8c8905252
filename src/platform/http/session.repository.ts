import type { Executor } from '../db/database.ts'
import type { Role, AccountStatus } from '../../modules/accounts/accounts.tables.ts'

export interface SessionRow {
  idHash: string
  accountId: string | null
  lastSeenAt: Date
  stage: 'full' | 'password'
  account: {
    id: string
    role: Role
    displayName: string
    email: string | null
    locale: 'id' | 'en'
    status: AccountStatus
    regionCode: string | null
    partnerCode: string | null
  } | null
}

export async function findLiveSession(db: Executor, idHash: string, now: Date): Promise<SessionRow | null> {
  const row = await db
    .selectFrom('sessions as s')
    .leftJoin('accounts as a', 'a.id', 's.account_id')
    .select([
      's.id_hash',
      's.account_id',
      's.last_seen_at',
      's.stage',
      'a.role',
      'a.display_name',
      'a.email',
      'a.locale',
      'a.status',
      'a.region_code',
      'a.partner_code',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return null
  return {
    idHash: row.id_hash,
    accountId: row.account_id,
    lastSeenAt: row.last_seen_at,
    stage: row.stage,
    account:
      row.account_id && row.role
        ? {
            id: row.account_id,
            role: row.role,
            displayName: row.display_name ?? '',
            email: row.email,
            locale: row.locale ?? 'id',
            status: row.status ?? 'active',
            regionCode: row.region_code,
            partnerCode: row.partner_code,
          }
        : null,
  }
}

export async function insertSession(
  db: Executor,
  s: { idHash: string; accountId: string; expiresAt: Date; ip: string | null; userAgent: string | null; stage: 'full' | 'password' },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      account_id: s.accountId,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
      stage: s.stage,
    })
    .execute()
}

export async function touchSession(db: Executor, idHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', idHash).execute()
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteSessionsOfAccount(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute()
}

export async function setSessionStage(db: Executor, idHash: string, stage: 'full' | 'password'): Promise<void> {
  await db.updateTable('sessions').set({ stage }).where('id_hash', '=', idHash).execute()
}
