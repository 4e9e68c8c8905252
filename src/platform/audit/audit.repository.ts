/** All SQL of the audit log. Rows come back as chain entries (camelCase, parsed details). */
import { sql, type Selectable } from 'kysely'
import type { Executor, Trx } from '../db/database.ts'
import type { AuditLogTable } from '../platform.tables.ts'
import type { AuditEntry, JsonObject } from './chain.ts'

/**
 * Key of the transaction-level advisory lock that orders appends ("KaryaAud" as ASCII,
 * shortened to fit int8). Any other advisory lock in the codebase must use another key.
 */
export const AUDIT_CHAIN_LOCK_KEY = 0x4b61727961417564n

export interface AuditFilters {
  actorId?: string
  action?: string
  subjectType?: string
  subjectId?: string
  /** Inclusive. */
  from?: Date
  /** Exclusive. */
  to?: Date
  /** Case-insensitive substring of action, subject type or subject id. */
  text?: string
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: row.details as JsonObject,
    requestId: row.request_id,
    ip: row.ip,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/**
 * Held until the caller's transaction ends, so the next appender reads the head only
 * after this entry is committed (or rolled back): one writer at a time, no forks.
 */
export async function lockChain(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY.toString()}::bigint)`.execute(trx)
}

export async function findHead(trx: Executor): Promise<{ seq: number; hash: string } | null> {
  const row = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  return row ? { seq: Number(row.seq), hash: row.hash } : null
}

export async function insertEntry(trx: Trx, e: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      seq: e.seq,
      at: e.at,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: e.subjectId,
      details: JSON.stringify(e.details),
      request_id: e.requestId,
      ip: e.ip,
      prev_hash: e.prevHash,
      hash: e.hash,
    })
    .execute()
}

/** LIKE wildcards in a person's search text are literal characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Newest first; `beforeSeq` is the keyset cursor, so pages stay stable while entries are appended. */
export async function findEntries(
  db: Executor,
  filters: AuditFilters,
  page: { beforeSeq: number | null; limit: number },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll()
  if (filters.actorId) q = q.where('actor_id', '=', filters.actorId)
  if (filters.action) q = q.where('action', '=', filters.action)
  if (filters.subjectType) q = q.where('subject_type', '=', filters.subjectType)
  if (filters.subjectId) q = q.where('subject_id', '=', filters.subjectId)
  if (filters.from) q = q.where('at', '>=', filters.from)
  if (filters.to) q = q.where('at', '<', filters.to)
  if (filters.text) {
    const pattern = likePattern(filters.text)
    q = q.where((eb) =>
      eb.or([eb('action', 'ilike', pattern), eb('subject_type', 'ilike', pattern), eb('subject_id', 'ilike', pattern)]),
    )
  }
  if (page.beforeSeq !== null) q = q.where('seq', '<', page.beforeSeq)
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).execute()
  return rows.map(toEntry)
}

/** The whole log in seq order, one batch in memory at a time. */
export async function* streamEntries(db: Executor, batchSize: number): AsyncGenerator<AuditEntry[]> {
  // No lower bound on the first batch: a forged entry with seq 0 or below must be seen too.
  let after: number | null = null
  for (;;) {
    let q = db.selectFrom('audit_log').selectAll()
    if (after !== null) q = q.where('seq', '>', after)
    const rows = await q.orderBy('seq', 'asc').limit(batchSize).execute()
    if (rows.length === 0) return
    const batch = rows.map(toEntry)
    yield batch
    after = batch[batch.length - 1]!.seq
    if (rows.length < batchSize) return
  }
}
