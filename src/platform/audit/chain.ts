/**
 * The audit chain's hash rule, free of I/O so an auditor can re-implement it elsewhere:
 * hash = sha256 hex of the canonical JSON of { prevHash, seq, at, ...fields }, where
 * canonical JSON sorts object keys (by UTF-16 code unit) at every depth, writes no
 * whitespace and gives `at` as an ISO-8601 UTC string with milliseconds.
 *
 * The canonical form is hashed, never the stored text: PostgreSQL re-orders jsonb keys.
 */
import crypto from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** What one entry says; everything here is covered by its hash. */
export interface AuditRecord {
  seq: number
  at: Date
  actorId: string | null
  actorRole: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  details: JsonObject
  requestId: string | null
  ip: string | null
}

export interface AuditEntry extends AuditRecord {
  prevHash: string
  hash: string
}

/**
 * Reduces any value to plain JSON exactly as JSON.stringify would (Dates become ISO
 * strings, undefined members vanish, NaN becomes null), so what is hashed is what jsonb
 * stores and gives back.
 */
export function toJsonObject(value: Record<string, unknown>): JsonObject {
  const plain: unknown = JSON.parse(JSON.stringify(value))
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new TypeError('Audit details must serialise to a JSON object')
  }
  return plain as JsonObject
}

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`
}

export function canonicalEntry(prevHash: string, entry: AuditRecord): string {
  if (Number.isNaN(entry.at.getTime())) throw new RangeError('Audit entry has an invalid timestamp')
  return canonicalJson({
    prevHash,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details,
    requestId: entry.requestId,
    ip: entry.ip,
  })
}

export function entryHash(prevHash: string, entry: AuditRecord): string {
  return crypto.createHash('sha256').update(canonicalEntry(prevHash, entry), 'utf8').digest('hex')
}
