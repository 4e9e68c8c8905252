/**
 * Set-based ingest of report rows (issue #7). Rows are checked in memory first (`parseRow`),
 * then applied a chunk at a time, each chunk one transaction with a fixed handful of
 * statements whatever its size: lock the referenced purchases, read what is already known
 * about them, decide every row in memory in order (exactly as row-by-row processing would,
 * including two rows of the same batch about the same purchase), then write every table with
 * one multi-row statement. A refused row writes nothing; an accepted row is written whole in
 * its chunk's transaction, so no row is ever half-applied.
 */
import { sql } from 'kysely'
import { transaction, type Trx } from '../../platform/db/database.ts'
import { isUniqueViolation } from '../../platform/errors.ts'
import type { MailMessage } from '../../platform/mail/index.ts'
import { normaliseCode } from '../purchases/codes.ts'
import { newCertificateNumber, parseRow, reason, type ReasonCode, type ReportRow } from './rows.ts'
import type { AssignmentStatus } from './learning.tables.ts'
import { certificateMail, reviewMail } from './messages.ts'
import { latestAssignments } from './report-timeline.ts'
import type { CompletionRules, LearningDeps, RowResult, RuleName } from './learning.service.ts'

/** Rows per transaction: large enough that statements, not round trips, dominate. */
export const CHUNK_ROWS = 5000
/** Transactions a large batch runs side by side (see `ingestBulk`). */
export const LANES = 3
/** A chunk that lost a race (unique key, deadlock) is tried again this often, then row by row. */
const RETRIES = 3

interface Parsed {
  readonly index: number
  readonly row: ReportRow
  /** The purchase reference, normalised: `id:<uuid>` or `voucher:<code>`. */
  readonly ref: string
}

/** What a chunk knows about one purchase; updated as the chunk's rows are decided. */
interface PurchaseState {
  readonly id: string
  readonly accountId: string
  readonly courseId: string
  readonly providerCode: string
  readonly sessionId: string | null
  readonly mode: string
  readonly startsAt: Date | null
  readonly endsAt: Date | null
  readonly email: string | null
  status: string
  openReview: boolean
  attended: boolean
  certificate: string | null
  readonly assignments: Map<string, AssignmentStatus>
}

interface Writes {
  /** `seq`: the row's place among the chunk's timeline entries (reports and events together). */
  reports: Array<{ seq: number; report_id: string; purchase_id: string; kind: string; payload: unknown; outcome: string }>
  events: Array<{ seq: number; purchase_id: string; account_id: string; kind: string; details: Record<string, unknown> }>
  certificates: Array<{ number: string; purchase_id: string; account_id: string; course_id: string; provider_code: string; provider_number: string | null; provider_url: string | null; grade: number; completed_on: string }>
  reviews: Array<{ purchase_id: string; report_id: string; broken_rules: RuleName[]; due_at: string }>
  completed: string[]
  mail: MailMessage[]
}

class Retry extends Error {}

/**
 * Applies report rows and answers one result per row, in the rows' order. A large batch is
 * split into `lanes` by purchase, applied side by side (each lane its own transactions):
 * every row of one purchase stays in one lane and in order, so the lanes never wait on each
 * other's locks and each purchase sees its rows as row-by-row processing would.
 */
export async function ingestBulk(deps: LearningDeps, providerCode: string, rows: readonly unknown[], rules: CompletionRules, chunkRows = CHUNK_ROWS, lanes = LANES): Promise<RowResult[]> {
  const now = deps.clock.now()
  const results: RowResult[] = new Array(rows.length)
  const parsed: Parsed[] = []
  for (let i = 0; i < rows.length; i++) {
    const p = parseRow(rows[i], now)
    if (!p.ok) {
      results[i] = { index: i, reportId: p.reportId, result: 'rejected', reason: p.reason }
      continue
    }
    const r = p.row
    parsed.push({ index: i, row: r, ref: r.purchaseId ? `id:${r.purchaseId}` : `voucher:${normaliseCode(r.voucherCode!)}` })
  }
  const split = parsed.length <= chunkRows || lanes <= 1 ? [parsed] : await byPurchase(deps, parsed, lanes)
  await Promise.all(
    split.map(async (lane) => {
      for (let i = 0; i < lane.length; i += chunkRows) await applyChunkSafely(deps, providerCode, lane.slice(i, i + chunkRows), rules, now, results)
    }),
  )
  return results
}

/** Lanes by purchase id; a voucher is looked up first, so the two ways of naming a purchase share a lane. */
async function byPurchase(deps: LearningDeps, parsed: readonly Parsed[], lanes: number): Promise<Parsed[][]> {
  const vouchers = parsed.filter((c) => c.ref.startsWith('voucher:')).map((c) => c.ref.slice(8))
  const known = vouchers.length === 0 ? [] : await deps.db.selectFrom('purchases').select(['id', 'voucher_code']).where('voucher_code', '=', sql<string>`any(array(select jsonb_array_elements_text(${jsonIds(vouchers)}::jsonb)))`).execute()
  const idOf = new Map(known.map((k) => [`voucher:${k.voucher_code}`, k.id]))
  const out: Parsed[][] = Array.from({ length: lanes }, () => [])
  for (const c of parsed) {
    const key = c.ref.startsWith('id:') ? c.ref.slice(3) : (idOf.get(c.ref) ?? c.ref)
    let h = 0
    for (let k = 0; k < key.length; k++) h = (h * 31 + key.charCodeAt(k)) | 0
    out[Math.abs(h) % lanes]!.push(c)
  }
  return out
}

function lostRace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return isUniqueViolation(err) || code === '40P01' || code === '40001'
}

/** A concurrent request may have written the same report ids or completed the same purchase: try again, then row by row. */
async function applyChunkSafely(deps: LearningDeps, providerCode: string, chunk: Parsed[], rules: CompletionRules, now: Date, results: RowResult[]): Promise<void> {
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    try {
      const out = await transaction(deps.db, (trx) => applyChunk(deps, trx, providerCode, chunk, rules, now))
      for (const r of out) results[r.index] = r
      return
    } catch (err) {
      if (!lostRace(err) && !(err instanceof Retry)) throw err
    }
  }
  if (chunk.length === 1) throw new Error(`report ${chunk[0]!.row.reportId}: lost ${RETRIES} races in a row`)
  for (const one of chunk) await applyChunkSafely(deps, providerCode, [one], rules, now, results)
}

const jsonIds = (xs: readonly string[]) => JSON.stringify([...new Set(xs)])

async function loadPurchases(trx: Trx, chunk: readonly Parsed[]): Promise<Map<string, PurchaseState>> {
  const ids = chunk.filter((c) => c.ref.startsWith('id:')).map((c) => c.ref.slice(3))
  const vouchers = chunk.filter((c) => c.ref.startsWith('voucher:')).map((c) => c.ref.slice(8))
  const where = sql`(p.id = any(array(select jsonb_array_elements_text(${jsonIds(ids)}::jsonb)::uuid)) or p.voucher_code = any(array(select jsonb_array_elements_text(${jsonIds(vouchers)}::jsonb))))`
  // Locks first, in id order (two requests never wait on each other in a circle); the facts
  // are read by the next statement, whose snapshot starts after the locks were granted.
  await sql`select p.id from purchases p where ${where} order by p.id for update`.execute(trx)
  const { rows } = await sql<{
    id: string
    account_id: string
    course_id: string
    provider_code: string
    session_id: string | null
    status: string
    voucher_code: string | null
    mode: string
    starts_at: Date | null
    ends_at: Date | null
    email: string | null
    certificate: string | null
    open_review: boolean
    attended: boolean
    assignments: Array<{ ref: string; status: AssignmentStatus }> | null
  }>`
    select p.id, p.account_id, p.course_id, p.provider_code, p.session_id, p.status, p.voucher_code, c.mode, s.starts_at, s.ends_at, a.email,
      (select number from certificates ce where ce.purchase_id = p.id) as certificate,
      exists (select 1 from completion_reviews r where r.purchase_id = p.id and r.status = 'pending') as open_review,
      (exists (select 1 from redeem_codes rc where rc.purchase_id = p.id and rc.session_id = p.session_id and rc.used_at is not null)
        or exists (select 1 from learning_reports lr where lr.purchase_id = p.id and lr.kind = 'attendance')) as attended,
      (select jsonb_agg(jsonb_build_object('ref', la.ref, 'status', la.status)) from (${latestAssignments(sql`p.id`)}) la) as assignments
    from purchases p
    join courses c on c.id = p.course_id
    join accounts a on a.id = p.account_id
    left join course_sessions s on s.id = p.session_id
    where ${where}`.execute(trx)
  const out = new Map<string, PurchaseState>()
  for (const r of rows) {
    const state: PurchaseState = {
      id: r.id,
      accountId: r.account_id,
      courseId: r.course_id,
      providerCode: r.provider_code,
      sessionId: r.session_id,
      mode: r.mode,
      startsAt: r.starts_at ? new Date(r.starts_at) : null,
      endsAt: r.ends_at ? new Date(r.ends_at) : null,
      email: r.email,
      status: r.status,
      openReview: r.open_review,
      attended: r.attended,
      certificate: r.certificate,
      assignments: new Map((r.assignments ?? []).map((x) => [x.ref, x.status])),
    }
    out.set(`id:${r.id}`, state)
    if (r.voucher_code) out.set(`voucher:${r.voucher_code}`, state)
  }
  return out
}

/** The redeem codes named by the chunk's attendance rows, whoever they belong to. */
async function redeemCodes(trx: Trx, chunk: readonly Parsed[]) {
  const typed = chunk.flatMap((c) => (c.row.type === 'attendance' ? [normaliseCode(c.row.redeemCode)] : []))
  if (typed.length === 0) return new Map<string, never>()
  const rows = await trx
    .selectFrom('redeem_codes')
    .select(['code', 'purchase_id', 'session_id', 'cancelled_at', 'valid_from'])
    .where('code', '=', sql<string>`any(array(select jsonb_array_elements_text(${jsonIds(typed)}::jsonb)))`)
    .execute()
  return new Map(rows.map((r) => [r.code, r]))
}

async function applyChunk(deps: LearningDeps, trx: Trx, providerCode: string, chunk: readonly Parsed[], rules: CompletionRules, now: Date): Promise<RowResult[]> {
  const purchases = await loadPurchases(trx, chunk)
  const seenRows = await trx
    .selectFrom('learning_reports')
    .select(['report_id', 'purchase_id'])
    .where('provider_code', '=', providerCode)
    .where('report_id', '=', sql<string>`any(array(select jsonb_array_elements_text(${jsonIds(chunk.map((c) => c.row.reportId))}::jsonb)))`)
    .execute()
  const seen = new Map(seenRows.map((r) => [r.report_id, r.purchase_id]))
  const codes = await redeemCodes(trx, chunk)
  const w: Writes = { reports: [], events: [], certificates: [], reviews: [], completed: [], mail: [] }
  // A report row is its own timeline entry (`report-timeline.ts`); only what it changes is a purchase event.
  let seq = 0
  const event = (p: PurchaseState, kind: string, details: Record<string, unknown>) => w.events.push({ seq: seq++, purchase_id: p.id, account_id: p.accountId, kind, details })
  const out: RowResult[] = []

  for (const { index, row, ref } of chunk) {
    const dup = seen.get(row.reportId)
    if (dup !== undefined) {
      out.push({ index, reportId: row.reportId, result: 'duplicate', purchaseId: dup, reason: reason('DUPLICATE') })
      continue
    }
    const refuse = (code: ReasonCode) => out.push({ index, reportId: row.reportId, result: 'rejected', reason: reason(code) })
    const p = purchases.get(ref)
    if (!p) {
      refuse('PURCHASE_NOT_FOUND')
      continue
    }
    if (p.providerCode !== providerCode) {
      refuse('OTHER_PROVIDER')
      continue
    }
    if (!['paid', 'redeemed', 'completed'].includes(p.status)) {
      refuse('NOT_BOUGHT')
      continue
    }
    const base = { index, reportId: row.reportId, result: 'accepted' as const, purchaseId: p.id }
    const store = (kind: string, outcome: string) => {
      w.reports.push({ seq: seq++, report_id: row.reportId, purchase_id: p.id, kind, payload: row, outcome })
      seen.set(row.reportId, p.id)
    }

    if (row.type === 'assignment') {
      p.assignments.set(row.assignmentRef, row.status)
      store('assignment', 'recorded')
      out.push({ ...base, outcome: 'recorded' })
      continue
    }

    if (row.type === 'attendance') {
      const rc = codes.get(normaliseCode(row.redeemCode))
      const refusal: ReasonCode | null = !rc ? 'REDEEM_CODE_UNKNOWN' : rc.purchase_id !== p.id || rc.session_id !== p.sessionId ? 'REDEEM_CODE_OTHER' : rc.cancelled_at ? 'REDEEM_CODE_CANCELLED' : now < new Date(rc.valid_from) ? 'ATTENDANCE_BEFORE_SESSION' : null
      if (refusal) {
        refuse(refusal)
        continue
      }
      p.attended = true
      store('attendance', 'recorded')
      out.push({ ...base, outcome: 'recorded' })
      continue
    }

    // A completion for a course already completed is a correction: kept and shown in the
    // timeline, the certificate stays as issued (decision 0006, "Corrections").
    if (p.status === 'completed') {
      store('completion', 'correction')
      out.push({ ...base, outcome: 'correction', ...(p.certificate ? { certificateNumber: p.certificate } : {}) })
      continue
    }
    if (p.openReview) {
      refuse('UNDER_REVIEW')
      continue
    }
    if (p.startsAt && row.completedAt < p.startsAt) {
      refuse('COMPLETION_BEFORE_SESSION')
      continue
    }
    const broken: RuleName[] = []
    if (rules.voucherRedeemed && p.status !== 'redeemed') broken.push('voucher_redeemed')
    if (rules.afterSessionEnd && p.endsAt && row.completedAt < p.endsAt) broken.push('after_session_end')
    if (rules.attendance && p.mode !== 'self_paced' && !(p.sessionId && p.attended)) broken.push('attendance')
    if (rules.assignmentsPassed && [...p.assignments.values()].some((s) => s !== 'success')) broken.push('assignments_passed')
    store('completion', broken.length === 0 ? 'completed' : 'review')
    if (broken.length === 0) {
      const number = newCertificateNumber()
      p.status = 'completed'
      p.certificate = number
      w.completed.push(p.id)
      w.certificates.push({ number, purchase_id: p.id, account_id: p.accountId, course_id: p.courseId, provider_code: p.providerCode, provider_number: row.certificateNumber, provider_url: row.certificateUrl, grade: row.grade, completed_on: row.completedAt.toISOString() })
      event(p, 'completed', { certificate: number, grade: row.grade })
      if (p.email) w.mail.push(certificateMail(p.accountId, p.email, number))
      out.push({ ...base, outcome: 'completed', certificateNumber: number })
      continue
    }
    const dueAt = new Date(now.getTime() + rules.reviewSlaDays * 86_400_000)
    p.openReview = true
    w.reviews.push({ purchase_id: p.id, report_id: row.reportId, broken_rules: broken, due_at: dueAt.toISOString() })
    event(p, 'under_review', { dueAt: dueAt.toISOString(), rules: broken })
    if (p.email) w.mail.push(reviewMail(p.accountId, p.email, dueAt))
    out.push({ ...base, outcome: 'review', reviewDueAt: dueAt, brokenRules: broken })
  }

  await write(deps, trx, providerCode, w, now)
  return out
}

/**
 * One statement a table. The report rows travel as one array a column (`unnest`), the
 * others as one JSON parameter; both work the same on PostgreSQL and PGlite.
 */
async function write(deps: LearningDeps, trx: Trx, providerCode: string, w: Writes, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`
  const json = (rows: unknown[]) => JSON.stringify(rows)
  // The chunk's timeline entries (report rows and purchase events, in the rows' order) take
  // their places from the purchase events' sequence in one go: a timeline merges the two
  // tables by it (`report-timeline.ts`). The purchases are locked, so no other writer
  // places an entry of theirs in between. Ordered by the number, not its text (an output
  // column named like the input would win in ORDER BY, and '10' sorts before '9').
  const entries = w.reports.length + w.events.length
  const places =
    entries === 0
      ? []
      : (await sql<{ n: string }>`select v::text as n from (select nextval('purchase_events_id_seq') as v from generate_series(1, ${entries}::int)) s order by v`.execute(trx)).rows.map((r) => r.n)
  const reportIds = new Map<string, string>()
  if (w.reports.length > 0) {
    const r = w.reports
    const { rows } = await sql<{ id: string; report_id: string }>`
      insert into learning_reports (provider_code, report_id, purchase_id, kind, payload, outcome, received_at, timeline_seq)
      select ${providerCode}, x.report_id, x.purchase_id, x.kind, x.payload::jsonb, x.outcome, ${at}, x.seq
      from unnest(${r.map((x) => x.report_id)}::text[], ${r.map((x) => x.purchase_id)}::uuid[], ${r.map((x) => x.kind)}::text[],
        ${r.map((x) => JSON.stringify(x.payload))}::text[], ${r.map((x) => x.outcome)}::text[], ${r.map((x) => places[x.seq]!)}::bigint[])
        with ordinality as x(report_id, purchase_id, kind, payload, outcome, seq, i)
      order by x.i
      returning id, report_id`.execute(trx)
    for (const row of rows) reportIds.set(row.report_id, String(row.id))
  }
  if (w.completed.length > 0) {
    await sql`update purchases set status = 'completed', completed_at = ${at} where id = any(array(select jsonb_array_elements_text(${jsonIds(w.completed)}::jsonb)::uuid))`.execute(trx)
    await sql`
      insert into certificates (number, purchase_id, account_id, course_id, provider_code, provider_number, provider_url, grade, completed_on, issued_at)
      select x.number, x.purchase_id, x.account_id, x.course_id, x.provider_code, x.provider_number, x.provider_url, x.grade, x.completed_on, ${at}
      from jsonb_to_recordset(${json(w.certificates)}::jsonb) as x(number text, purchase_id uuid, account_id uuid, course_id uuid, provider_code text, provider_number text, provider_url text, grade int, completed_on timestamptz)`.execute(trx)
  }
  if (w.reviews.length > 0) {
    const reviews = w.reviews.map((r) => {
      const id = reportIds.get(r.report_id)
      if (!id) throw new Retry('a review without its report row')
      return { purchase_id: r.purchase_id, report_row_id: id, broken_rules: r.broken_rules, due_at: r.due_at }
    })
    await sql`
      insert into completion_reviews (purchase_id, report_row_id, broken_rules, status, due_at, created_at)
      select x.purchase_id, x.report_row_id, x.broken_rules, 'pending', x.due_at, ${at}
      from jsonb_to_recordset(${json(reviews)}::jsonb) as x(purchase_id uuid, report_row_id bigint, broken_rules jsonb, due_at timestamptz)`.execute(trx)
  }
  if (w.events.length > 0) {
    // Each at its place among the chunk's entries, so a purchase's timeline reads as the reports came.
    const events = w.events.map((e) => ({ ...e, id: places[e.seq]! }))
    await sql`
      insert into purchase_events (id, purchase_id, account_id, kind, details, at)
      select x.id, x.purchase_id, x.account_id, x.kind, x.details, ${at}
      from jsonb_to_recordset(${json(events)}::jsonb) as x(id bigint, purchase_id uuid, account_id uuid, kind text, details jsonb)`.execute(trx)
  }
  await deps.mail.sendMany(trx, w.mail)
}
