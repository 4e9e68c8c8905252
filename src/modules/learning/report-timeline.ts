/**
 * The report rows of purchases as timeline entries (issue #7). A provider's report row is
 * itself the timeline entry (assignment, attended, reported, correction): it is not copied
 * into purchase_events, which hold only what a row changed (completed, under review).
 * `timeline_seq` comes from the purchase events' sequence, so the two merge in one order.
 * Rows without one were written before (migration 202612012250): their copies are purchase
 * events and they are skipped here.
 */
import { sql, type Expression, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import { normaliseCode } from '../purchases/codes.ts'

export interface ReportTimelineEntry {
  /** Place in the timeline, comparable with purchase_events.id. */
  readonly seq: bigint
  readonly purchaseId: string
  readonly kind: string
  readonly details: Record<string, unknown>
  readonly at: Date
}

/** `sessionOfCode` names the session of a (normalised) redeem code: the purchase's, as ingest checked. */
export async function reportTimeline(db: Executor, purchaseIds: readonly string[], sessionOfCode: (code: string) => string | null): Promise<ReportTimelineEntry[]> {
  if (purchaseIds.length === 0) return []
  const rows = await db
    .selectFrom('learning_reports')
    .select(['timeline_seq', 'purchase_id', 'kind', 'outcome', 'payload', 'received_at'])
    .where('purchase_id', 'in', purchaseIds)
    .where('timeline_seq', 'is not', null)
    .execute()
  return rows.map((r) => ({ seq: BigInt(r.timeline_seq!), purchaseId: r.purchase_id, at: r.received_at, ...entry(r.kind, r.outcome, r.payload, sessionOfCode) }))
}

/** The entry ingest used to write as a purchase event for this row, kind and details alike. */
function entry(kind: string, outcome: string, p: Record<string, unknown>, sessionOfCode: (code: string) => string | null): { kind: string; details: Record<string, unknown> } {
  if (kind === 'assignment') return { kind: 'assignment', details: { assignment: p.assignmentRef, status: p.status, reportId: p.reportId } }
  if (kind === 'attendance') {
    const code = normaliseCode(String(p.redeemCode))
    return { kind: 'attended', details: { session: sessionOfCode(code), redeemCode: code, reportId: p.reportId, via: 'report' } }
  }
  if (outcome === 'correction') return { kind: 'correction', details: { grade: p.grade, completedAt: p.completedAt, certificateNumber: p.certificateNumber, certificateUrl: p.certificateUrl, reportId: p.reportId } }
  return { kind: 'reported', details: { grade: p.grade, completedAt: p.completedAt, reportId: p.reportId } }
}

/**
 * Each assignment of a purchase with its status: the latest of its report rows (ids follow
 * the rows' order: ingest inserts a chunk in order, and a purchase's chunks one after the
 * other under its lock). A subquery with columns `ref` and `status`.
 */
export function latestAssignments(purchaseId: Expression<string> | RawBuilder<string>): RawBuilder<{ ref: string; status: string }> {
  return sql`select distinct on (lr.payload->>'assignmentRef') lr.payload->>'assignmentRef' as ref, lr.payload->>'status' as status
    from learning_reports lr where lr.purchase_id = ${purchaseId} and lr.kind = 'assignment'
    order by lr.payload->>'assignmentRef', lr.id desc`
}

/** The assignments of an account's purchases with their statuses (latest report row each), by purchase and reference. */
export async function assignmentsOf(db: Executor, accountId: string): Promise<Array<{ purchase_id: string; assignment_ref: string; status: string }>> {
  const { rows } = await sql<{ purchase_id: string; assignment_ref: string; status: string }>`
    select distinct on (lr.purchase_id, lr.payload->>'assignmentRef') lr.purchase_id, lr.payload->>'assignmentRef' as assignment_ref, lr.payload->>'status' as status
    from learning_reports lr join purchases p on p.id = lr.purchase_id
    where p.account_id = ${accountId} and lr.kind = 'assignment'
    order by lr.purchase_id, lr.payload->>'assignmentRef', lr.id desc`.execute(db)
  return rows
}
