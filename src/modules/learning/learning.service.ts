/**
 * Completion (issue #7). Providers report attendance, assignments and completions, applied
 * set-based a chunk per transaction (`ingest.ts`; a row is never half-applied), idempotent
 * by the provider's report id. A completion that meets the rules completes the purchase, issues the
 * certificate and tells the participant at once; one that breaks a rule waits for a
 * programme reviewer, with a due date the participant sees.
 */
import type { Clock } from '../../platform/clock.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { transaction, type Db, type Executor, type Trx } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { newCertificateNumber, type CompletionRow, type Reason } from './rows.ts'
import { ingestBulk } from './ingest.ts'
import { assignmentsOf } from './report-timeline.ts'
import { certificateMail } from './messages.ts'

export interface LearningDeps {
  db: Db
  clock: Clock
  mail: Mail
}

/** The verification rules. Defaults in code; each can be switched off. */
export interface CompletionRules {
  /** The voucher was redeemed at the provider. */
  readonly voucherRedeemed: boolean
  /** Webinar and offline courses: the purchased session's redeem code was committed. */
  readonly attendance: boolean
  /** Every assignment the provider reported ended in success. */
  readonly assignmentsPassed: boolean
  /** The completion date is after the purchased session ended. */
  readonly afterSessionEnd: boolean
  /** How long a reviewer has for a report that broke a rule. */
  readonly reviewSlaDays: number
}

export const DEFAULT_RULES: CompletionRules = { voucherRedeemed: true, attendance: true, assignmentsPassed: true, afterSessionEnd: true, reviewSlaDays: 3 }

export type RuleName = 'voucher_redeemed' | 'attendance' | 'assignments_passed' | 'after_session_end'

export interface RowResult {
  readonly index: number
  readonly reportId: string | null
  readonly result: 'accepted' | 'duplicate' | 'rejected'
  readonly purchaseId?: string
  /** accepted rows: what it did. */
  readonly outcome?: 'recorded' | 'completed' | 'review' | 'correction'
  readonly certificateNumber?: string
  readonly reviewDueAt?: Date
  readonly brokenRules?: readonly RuleName[]
  readonly reason?: Reason
}

async function event(trx: Executor, purchaseId: string, accountId: string, kind: string, at: Date, details: Record<string, unknown> = {}) {
  await trx.insertInto('purchase_events').values({ purchase_id: purchaseId, account_id: accountId, kind, details: JSON.stringify(details), at }).execute()
}

/** Applies report rows in order, set-based (`ingest.ts`); one bad row never stops the rest. */
export async function ingestReports(deps: LearningDeps, providerCode: string, rows: readonly unknown[], rules: CompletionRules = DEFAULT_RULES): Promise<RowResult[]> {
  return ingestBulk(deps, providerCode, rows, rules)
}

async function notify(deps: LearningDeps, trx: Trx, accountId: string, template: string, subject: string, text: string) {
  const person = await trx.selectFrom('accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()
  if (person.email) await deps.mail.send(trx, { accountId, to: person.email, template, subject, text, link: '/pelatihan-saya' })
}

/** Completes the purchase and issues Karya's certificate for it. */
async function complete(deps: LearningDeps, trx: Trx, p: { id: string; account_id: string; course_id: string; provider_code: string }, row: Pick<CompletionRow, 'grade' | 'completedAt' | 'certificateNumber' | 'certificateUrl'>, now: Date, reviewer: string | null): Promise<string> {
  await trx.updateTable('purchases').set({ status: 'completed', completed_at: now }).where('id', '=', p.id).execute()
  const number = newCertificateNumber()
  await trx
    .insertInto('certificates')
    .values({ number, purchase_id: p.id, account_id: p.account_id, course_id: p.course_id, provider_code: p.provider_code, provider_number: row.certificateNumber, provider_url: row.certificateUrl, grade: row.grade, completed_on: row.completedAt, issued_at: now })
    .execute()
  await event(trx, p.id, p.account_id, 'completed', now, { certificate: number, grade: row.grade, ...(reviewer ? { reviewedBy: reviewer } : {}) })
  const person = await trx.selectFrom('accounts').select('email').where('id', '=', p.account_id).executeTakeFirstOrThrow()
  if (person.email) await deps.mail.send(trx, certificateMail(p.account_id, person.email, number))
  return number
}

export interface ReviewItem {
  readonly id: string
  readonly purchaseId: string
  readonly participantName: string
  readonly courseTitle: string
  readonly providerName: string
  readonly brokenRules: readonly RuleName[]
  readonly report: Record<string, unknown>
  readonly dueAt: Date
  readonly createdAt: Date
}

export async function reviewQueue(db: Executor, limit = 200): Promise<ReviewItem[]> {
  const rows = await db
    .selectFrom('completion_reviews as r')
    .innerJoin('purchases as p', 'p.id', 'r.purchase_id')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .innerJoin('courses as c', 'c.id', 'p.course_id')
    .innerJoin('partners as pv', 'pv.code', 'p.provider_code')
    .innerJoin('learning_reports as lr', 'lr.id', 'r.report_row_id')
    .select(['r.id', 'r.purchase_id', 'a.display_name', 'c.title', 'pv.name', 'r.broken_rules', 'lr.payload', 'r.due_at', 'r.created_at'])
    .where('r.status', '=', 'pending')
    .orderBy('r.due_at')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, purchaseId: r.purchase_id, participantName: r.display_name, courseTitle: r.title, providerName: r.name, brokenRules: r.broken_rules as RuleName[], report: r.payload, dueAt: r.due_at, createdAt: r.created_at }))
}

export interface Actor {
  readonly id: string
  readonly role: string
  readonly requestId?: string
  readonly ip?: string
}

/** A reviewer approves (completes, issues the certificate) or rejects, always with a reason; audited. */
export async function decideReview(deps: LearningDeps, actor: Actor, reviewId: string, decision: 'approve' | 'reject', why: string): Promise<{ certificateNumber: string | null }> {
  const reasonText = why.trim()
  if (reasonText.length < 5) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reason', id: 'Tulis alasan keputusan (paling sedikit 5 karakter).', en: 'Write the reason for the decision (at least 5 characters).' }] })
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    const r = await trx.selectFrom('completion_reviews').selectAll().where('id', '=', reviewId).forUpdate().executeTakeFirst()
    if (!r) throw new AppError('NOT_FOUND')
    if (r.status !== 'pending') throw new AppError('COMPLETION_REVIEW_DECIDED')
    const p = await trx.selectFrom('purchases').selectAll().where('id', '=', r.purchase_id).forUpdate().executeTakeFirstOrThrow()
    const rep = await trx.selectFrom('learning_reports').select('payload').where('id', '=', r.report_row_id).executeTakeFirstOrThrow()
    let number: string | null = null
    if (decision === 'approve' && ['paid', 'redeemed'].includes(p.status)) {
      const pl = rep.payload as { grade: number; completedAt: string; certificateNumber: string | null; certificateUrl: string | null }
      number = await complete(deps, trx, p, { grade: pl.grade, completedAt: new Date(pl.completedAt), certificateNumber: pl.certificateNumber, certificateUrl: pl.certificateUrl }, now, actor.id)
    } else {
      await event(trx, p.id, p.account_id, 'completion_rejected', now, { reason: reasonText })
      await notify(deps, trx, p.account_id, 'learning.rejected', 'Laporan kelulusan ditolak / Completion not accepted', `Laporan kelulusan dari lembaga pelatihan belum bisa diterima: ${reasonText}. Hubungi lembaga pelatihan Anda untuk melengkapinya.`)
    }
    await trx.updateTable('completion_reviews').set({ status: decision === 'approve' && number ? 'approved' : 'rejected', reviewer_id: actor.id, decided_at: now, reason: reasonText }).where('id', '=', r.id).execute()
    await record(trx, { actorId: actor.id, actorRole: actor.role, action: `learning.review.${decision}`, subjectType: 'purchase', subjectId: p.id, details: { review: r.id, reason: reasonText, rules: r.broken_rules, certificate: number }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
    return { certificateNumber: number }
  })
}

export interface MyLearning {
  readonly certificate: { number: string; grade: number; issuedAt: Date; providerUrl: string | null; showFullName: boolean } | null
  readonly reviewDueAt: Date | null
  readonly rating: { stars: number; review: string } | null
  readonly assignments: ReadonlyArray<{ ref: string; status: string }>
}

/** What /pelatihan-saya shows for each purchase: certificate, review in progress, rating. */
export async function myLearning(db: Executor, accountId: string): Promise<Map<string, MyLearning>> {
  const [certs, reviews, ratings, assignments] = await Promise.all([
    db.selectFrom('certificates').selectAll().where('account_id', '=', accountId).execute(),
    db.selectFrom('completion_reviews as r').innerJoin('purchases as p', 'p.id', 'r.purchase_id').select(['r.purchase_id', 'r.due_at']).where('p.account_id', '=', accountId).where('r.status', '=', 'pending').execute(),
    db.selectFrom('course_ratings').selectAll().where('account_id', '=', accountId).execute(),
    assignmentsOf(db, accountId),
  ])
  const out = new Map<string, MyLearning>()
  const get = (id: string) => out.get(id) ?? { certificate: null, reviewDueAt: null, rating: null, assignments: [] }
  for (const c of certs) out.set(c.purchase_id, { ...get(c.purchase_id), certificate: { number: c.number, grade: c.grade, issuedAt: c.issued_at, providerUrl: c.provider_url, showFullName: c.show_full_name } })
  for (const r of reviews) out.set(r.purchase_id, { ...get(r.purchase_id), reviewDueAt: r.due_at })
  for (const r of ratings) out.set(r.purchase_id, { ...get(r.purchase_id), rating: { stars: r.stars, review: r.review } })
  for (const a of assignments) {
    const m = get(a.purchase_id)
    out.set(a.purchase_id, { ...m, assignments: [...m.assignments, { ref: a.assignment_ref, status: a.status }] })
  }
  return out
}

/** 1–5 stars and a text, once, after completion; the incentive (issue #8) requires it. */
export async function rateCourse(deps: LearningDeps, accountId: string, purchaseId: string, stars: number, review: string): Promise<void> {
  const fields = []
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) fields.push({ field: 'stars', id: 'Pilih 1 sampai 5 bintang.', en: 'Choose 1 to 5 stars.' })
  const text = review.trim()
  if (text.length < 10 || text.length > 2000) fields.push({ field: 'review', id: 'Tulis ulasan 10–2000 karakter.', en: 'Write a review of 10–2000 characters.' })
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  const now = deps.clock.now()
  await transaction(deps.db, async (trx) => {
    const p = await trx.selectFrom('purchases').select(['id', 'status', 'course_id']).where('id', '=', purchaseId).where('account_id', '=', accountId).executeTakeFirst()
    if (!p) throw new AppError('NOT_FOUND')
    if (p.status !== 'completed') throw new AppError('COURSE_NOT_COMPLETED')
    const ins = await trx.insertInto('course_ratings').values({ purchase_id: p.id, account_id: accountId, course_id: p.course_id, stars, review: text, created_at: now }).onConflict((oc) => oc.column('purchase_id').doNothing()).executeTakeFirst()
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) throw new AppError('COURSE_ALREADY_RATED')
    await event(trx, p.id, accountId, 'rated', now, { stars })
  })
}
