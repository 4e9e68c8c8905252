import type { Executor } from '../../platform/db/database.ts'
import type { CorrectableField } from './privacy.tables.ts'

export async function insertCorrectionRequest(
  db: Executor,
  r: { accountId: string; field: CorrectableField; requestedValue: string; reason: string | null; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('data_correction_requests')
    .values({ account_id: r.accountId, field: r.field, requested_value: r.requestedValue, reason: r.reason, created_at: r.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listCorrectionRequests(db: Executor, accountId: string) {
  return db
    .selectFrom('data_correction_requests')
    .select(['id', 'field', 'requested_value', 'reason', 'status', 'answer', 'created_at', 'answered_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute()
}

/** Everything held about one person outside their profile: account, sessions, messages. */
export async function accountRecord(db: Executor, accountId: string) {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'email', 'phone', 'display_name', 'role', 'status', 'locale', 'created_at', 'email_verified_at', 'phone_verified_at'])
    .where('id', '=', accountId)
    .executeTakeFirst()
  const sessions = await db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent']).where('account_id', '=', accountId).execute()
  const inbox = await db.selectFrom('inbox_messages').select(['subject', 'body', 'link', 'created_at', 'read_at']).where('account_id', '=', accountId).orderBy('created_at').execute()
  const sent = await db
    .selectFrom('mail_outbox')
    .select(['channel', 'to_address', 'subject', 'template', 'status', 'created_at', 'sent_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const codes = await db
    .selectFrom('verification_codes')
    .select(['purpose', 'channel', 'sent_to', 'created_at', 'expires_at', 'consumed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  return { account, sessions, inbox, sent, codes }
}
