/** All SQL for `mail_outbox` and `inbox_messages`. */
import { sql, type Insertable, type Selectable } from 'kysely'
import type { Executor } from '../db/database.ts'
import type { InboxMessagesTable, MailOutboxTable } from '../platform.tables.ts'

export type OutboxRow = Selectable<MailOutboxTable>
export type InboxRow = Selectable<InboxMessagesTable>
export type NewOutbox = Omit<Insertable<MailOutboxTable>, 'id' | 'status' | 'attempts' | 'created_at'>
export type NewInboxMessage = Omit<Insertable<InboxMessagesTable>, 'id' | 'created_at' | 'read_at'>

export async function insertOutbox(executor: Executor, row: NewOutbox): Promise<string> {
  const { id } = await executor.insertInto('mail_outbox').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

export async function insertInboxMessage(executor: Executor, row: NewInboxMessage): Promise<string> {
  const { id } = await executor.insertInto('inbox_messages').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

export type NewOutboxWithId = NewOutbox & { id: string }

/** Many rows in one statement; the caller chose the ids, so nothing depends on RETURNING order. */
export async function insertOutboxMany(executor: Executor, rows: readonly NewOutboxWithId[]): Promise<void> {
  if (rows.length > 0) await executor.insertInto('mail_outbox').values([...rows]).execute()
}

export async function insertInboxMessages(executor: Executor, rows: readonly NewInboxMessage[]): Promise<void> {
  if (rows.length > 0) await executor.insertInto('inbox_messages').values([...rows]).execute()
}

/** Up to this many messages go in one statement; a bulk batch keeps two, each under PostgreSQL's 65 535 parameters. */
const ONE_STATEMENT_MAX = 100

/** Outbox rows and their inbox copies in one statement (the outbox insert as a CTE) for a few messages. */
export async function insertOutboxWithInbox(executor: Executor, outbox: readonly NewOutboxWithId[], inbox: readonly NewInboxMessage[]): Promise<void> {
  if (inbox.length === 0) return insertOutboxMany(executor, outbox)
  if (outbox.length > ONE_STATEMENT_MAX) {
    await insertOutboxMany(executor, outbox)
    return insertInboxMessages(executor, inbox)
  }
  await executor
    .with('outbox', (db) => db.insertInto('mail_outbox').values([...outbox]))
    .insertInto('inbox_messages')
    .values([...inbox])
    .execute()
}

export function findOutbox(executor: Executor, id: string): Promise<OutboxRow | undefined> {
  return executor.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * Takes the next delivery attempt of a queued row: succeeds only if nobody else has taken
 * an attempt since `seenAttempts` was read, so two deliveries that read the row together
 * cannot both send.
 */
export function claimOutboxAttempt(executor: Executor, id: string, seenAttempts: number): Promise<OutboxRow | undefined> {
  return executor
    .updateTable('mail_outbox')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where('attempts', '=', seenAttempts)
    .returningAll()
    .executeTakeFirst()
}

/** Keeps last_error: support can see what a late delivery went through. */
export async function markOutboxSent(
  executor: Executor,
  id: string,
  sent: { providerMessageId: string; sentAt: Date },
): Promise<void> {
  await executor
    .updateTable('mail_outbox')
    .set({ status: 'sent', provider_message_id: sent.providerMessageId, sent_at: sent.sentAt })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute()
}

/** `final`: no retry follows, so the row leaves the queue as `failed`. */
export async function recordOutboxFailure(executor: Executor, id: string, failure: { error: string; final: boolean }): Promise<void> {
  await executor
    .updateTable('mail_outbox')
    .set({ last_error: failure.error, ...(failure.final ? { status: 'failed' as const } : {}) })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute()
}

export function listOutbox(executor: Executor, page: { limit: number; offset: number }): Promise<OutboxRow[]> {
  return executor
    .selectFrom('mail_outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export function listInbox(executor: Executor, accountId: string, page: { limit: number }): Promise<InboxRow[]> {
  return executor
    .selectFrom('inbox_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .execute()
}

export async function countUnread(executor: Executor, accountId: string): Promise<number> {
  const { n } = await executor
    .selectFrom('inbox_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(n)
}

/** Only the owner's message; reading it again keeps the first read time. false: not theirs or no such message. */
export async function markInboxRead(executor: Executor, accountId: string, messageId: string): Promise<boolean> {
  const row = await executor
    .updateTable('inbox_messages')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', messageId)
    .where('account_id', '=', accountId)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}
