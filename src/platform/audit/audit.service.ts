/**
 * Appending to and checking the hash-chained audit log. Every staff, admin or agent action
 * is recorded in the same transaction as the action, so neither commits without the other.
 */
import { systemClock, type Clock } from '../clock.ts'
import { transaction, type Db, type Executor, type Trx } from '../db/database.ts'
import { entryHash, GENESIS_HASH, toJsonObject, type AuditEntry } from './chain.ts'
import { findEntries, findHead, insertEntry, lockChain, streamEntries, type AuditFilters } from './audit.repository.ts'

export interface AuditEntryInput {
  actorId?: string | null
  actorRole?: string | null
  action: string
  subjectType?: string | null
  subjectId?: string | null
  details?: Record<string, unknown>
  requestId?: string | null
  ip?: string | null
}

export type AuditProblemKind = 'hash_mismatch' | 'broken_link' | 'gap'

export interface AuditProblem {
  seq: number
  kind: AuditProblemKind
  detail: string
}

export interface ChainReport {
  ok: boolean
  checked: number
  headSeq: number | null
  headHash: string | null
  /** The first `maxProblems` found, in seq order. */
  problems: AuditProblem[]
  /** Problems found beyond `maxProblems` (counted, not listed, to keep memory bounded). */
  moreProblems: number
}

export interface AuditPage {
  entries: AuditEntry[]
  /** Pass as `beforeSeq` for the next (older) page; null when this is the last. */
  nextBeforeSeq: number | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function optionalText(value: string | null | undefined): string | null {
  return value === undefined ? null : value
}

/**
 * Appends one entry and returns it as stored.
 *
 * Pass the transaction of the action being recorded. The chain lock is held until that
 * transaction ends, so call this as its last statement: it keeps the lock short and
 * avoids waiting on the lock while holding row locks another appender may need.
 * Given the root `db` instead, it opens a transaction of its own.
 * Under REPEATABLE READ or SERIALIZABLE a snapshot taken before the lock can miss the
 * latest entry; the insert then fails on the seq key rather than forking the chain.
 */
export async function record(executor: Executor, input: AuditEntryInput, clock: Clock = systemClock): Promise<AuditEntry> {
  if (!input.action) throw new TypeError('An audit entry needs an action')
  // The column is uuid and PostgreSQL prints it lower-case; hashing another spelling
  // would make an honest entry fail verification.
  let actorId: string | null = null
  if (input.actorId) {
    if (!UUID.test(input.actorId)) throw new TypeError(`Audit actorId must be a UUID, got "${input.actorId}"`)
    actorId = input.actorId.toLowerCase()
  }
  const content = {
    at: new Date(clock.now().getTime()),
    actorId,
    actorRole: optionalText(input.actorRole),
    action: input.action,
    subjectType: optionalText(input.subjectType),
    subjectId: optionalText(input.subjectId),
    details: toJsonObject(input.details ?? {}),
    requestId: optionalText(input.requestId),
    ip: optionalText(input.ip),
  }
  const append = async (trx: Trx): Promise<AuditEntry> => {
    await lockChain(trx)
    const head = await findHead(trx)
    const prevHash = head?.hash ?? GENESIS_HASH
    const entry = { ...content, seq: (head?.seq ?? 0) + 1 }
    const stored: AuditEntry = { ...entry, prevHash, hash: entryHash(prevHash, entry) }
    await insertEntry(trx, stored)
    return stored
  }
  return executor.isTransaction ? append(executor as Trx) : transaction(executor as Db, append)
}

/**
 * Walks the whole log in seq order and recomputes every hash. Catches a changed entry
 * (hash_mismatch), a removed entry (gap, and broken_link at the entry after it) and an
 * inserted or re-ordered entry (hash_mismatch and broken_link, as seq is hashed).
 * Removing the newest entries leaves a valid shorter chain: compare `headSeq`/`headHash`
 * with a head recorded earlier elsewhere to catch that.
 */
export async function verifyChain(
  db: Executor,
  opts: { batchSize?: number; maxProblems?: number } = {},
): Promise<ChainReport> {
  const maxProblems = opts.maxProblems ?? 1000
  const problems: AuditProblem[] = []
  let moreProblems = 0
  const report = (seq: number, kind: AuditProblemKind, detail: string) => {
    if (problems.length < maxProblems) problems.push({ seq, kind, detail })
    else moreProblems += 1
  }

  let checked = 0
  let prev: { seq: number; hash: string } | null = null
  for await (const batch of streamEntries(db, opts.batchSize ?? 500)) {
    for (const e of batch) {
      checked += 1
      const expectedSeq: number = prev ? prev.seq + 1 : 1
      if (e.seq !== expectedSeq) {
        const missing = e.seq - expectedSeq
        report(
          e.seq,
          'gap',
          missing > 0
            ? `expected seq ${expectedSeq}, found ${e.seq}: ${missing} ${missing === 1 ? 'entry is' : 'entries are'} missing`
            : `expected seq ${expectedSeq}, found ${e.seq}`,
        )
      }
      const expectedPrev: string = prev?.hash ?? GENESIS_HASH
      if (e.prevHash !== expectedPrev) {
        report(
          e.seq,
          'broken_link',
          `prev_hash ${e.prevHash} does not match ${prev ? `the hash of seq ${prev.seq}` : 'the genesis hash'} (${expectedPrev})`,
        )
      }
      const computed = entryHash(e.prevHash, e)
      if (computed !== e.hash) {
        report(e.seq, 'hash_mismatch', `stored hash ${e.hash} does not match the content, which hashes to ${computed}`)
      }
      prev = { seq: e.seq, hash: e.hash }
    }
  }
  const total = problems.length + moreProblems
  return { ok: total === 0, checked, headSeq: prev?.seq ?? null, headHash: prev?.hash ?? null, problems, moreProblems }
}

/** A staff page of entries, newest first. */
export async function searchAudit(
  db: Executor,
  filters: AuditFilters,
  page: { beforeSeq?: number | null; limit?: number } = {},
): Promise<AuditPage> {
  // A malformed actor id can match no entry; asking the uuid column would be an error.
  if (filters.actorId && !UUID.test(filters.actorId)) return { entries: [], nextBeforeSeq: null }
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), 200)
  const clean: AuditFilters = {
    ...filters,
    actorId: filters.actorId?.toLowerCase(),
    text: filters.text?.trim() || undefined,
  }
  const rows = await findEntries(db, clean, { beforeSeq: page.beforeSeq ?? null, limit: limit + 1 })
  const entries = rows.slice(0, limit)
  return { entries, nextBeforeSeq: rows.length > limit ? entries[entries.length - 1]!.seq : null }
}
