import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { partnersAndCourses, testWave, OTHER_PROVIDER, PROVIDER, type Fixture } from '../purchases/testing.ts'
import { ingestBulk } from './ingest.ts'
import { DEFAULT_RULES, myLearning, type LearningDeps, type RowResult } from './learning.service.ts'
import { seedPurchases, type SeededPurchase } from './bulk-testing.ts'
import { purchaseTimeline } from '../purchases/timeline.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(BASE)
let t: TestApp
let f: Fixture
let deps: LearningDeps
let waveId: string
let completedAt: string
let batch = 0

beforeAll(async () => {
  t = await startTestApp({ clock, seed: false })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity }, { seats: 1000 })
  waveId = await testWave(t.database.db, clock)
  deps = { db: t.database.db, clock, mail: t.deps.mail }
  const s = await t.database.db.selectFrom('course_sessions').select('ends_at').where('id', '=', f.sessionId).executeTakeFirstOrThrow()
  completedAt = new Date(s.ends_at.getTime() + 3_600_000).toISOString()
  // Reports come in after the session ended.
  clock.set(new Date(s.ends_at.getTime() + 2 * 86_400_000))
})
afterAll(async () => t?.close())

function seed(count: number, status: 'paid' | 'redeemed' = 'redeemed', attended = true, course: 'offline' | 'self_paced' = 'offline'): Promise<SeededPurchase[]> {
  return seedPurchases(t.database.db, f, waveId, { batch: ++batch, count, status, attended, course, at: BASE })
}
const done = (p: SeededPurchase, reportId: string, extra: Record<string, unknown> = {}) => ({ reportId, type: 'completion', voucherCode: p.voucher, grade: 80, completedAt, ...extra })
const task = (p: SeededPurchase, reportId: string, status: string, ref = 'tugas-1') => ({ reportId, type: 'assignment', purchaseId: p.purchaseId, assignmentRef: ref, status })
const brief = (rs: RowResult[]) => rs.map((r) => (r.result === 'rejected' ? r.reason!.code : r.result === 'duplicate' ? 'duplicate' : r.outcome))
// The timeline its owner sees: purchase events merged with the report rows.
const kinds = async (purchaseId: string) => (await purchaseTimeline(t.database.db, purchaseId)).map((e) => e.kind)
const count = async (table: 'certificates' | 'learning_reports' | 'completion_reviews', purchaseIds: string[]) =>
  Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('purchase_id', 'in', purchaseIds).executeTakeFirstOrThrow()).n)

describe('set-based bulk ingest', () => {
  it('decides rows of one batch in order, across chunk boundaries, as row-by-row processing would', async () => {
    const [a, b, c] = await seed(3)
    const unpaid = (await seed(1, 'paid'))[0]!
    const rows = [
      task(a!, 'x-1', 'success'),
      done(a!, 'x-2'),
      task(a!, 'x-1', 'failed'), // same report id again, in the next chunk: duplicate
      done(a!, 'x-3', { grade: 95 }), // a completed course: kept as a correction
      task(b!, 'x-4', 'failed'),
      done(b!, 'x-5'), // a failed assignment earlier in the same batch: review
      done(b!, 'x-6'), // an open review from the row before: refused
      task(c!, 'x-7', 'failed'),
      task(c!, 'x-8', 'success'), // the same assignment passed later in the batch
      done(c!, 'x-9'),
      done(unpaid, 'x-10'), // not redeemed, not attended: review with both rules
      { reportId: 'x-11', type: 'completion', voucherCode: 'VZZZZZZZZZZ', grade: 80, completedAt },
      done(a!, 'x-12', { grade: 101 }),
    ]
    const first = await ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES, 2)
    expect(first.map((r) => r.index)).toEqual(rows.map((_, i) => i))
    expect(brief(first)).toEqual(['recorded', 'completed', 'duplicate', 'correction', 'recorded', 'review', 'UNDER_REVIEW', 'recorded', 'recorded', 'completed', 'review', 'PURCHASE_NOT_FOUND', 'GRADE_OUT_OF_RANGE'])
    expect(first[3]!.certificateNumber).toBe(first[1]!.certificateNumber)
    expect(first[5]!.brokenRules).toEqual(['assignments_passed'])
    expect(first[10]!.brokenRules).toEqual(['voucher_redeemed', 'attendance'])
    expect(await kinds(a!.purchaseId)).toEqual(['assignment', 'reported', 'completed', 'correction'])
    expect(await kinds(b!.purchaseId)).toEqual(['assignment', 'reported', 'under_review'])
    expect(await kinds(c!.purchaseId)).toEqual(['assignment', 'assignment', 'reported', 'completed'])
    // Each assignment's status is its latest report: c's failed one was passed later in the batch.
    for (const p of [a!, b!, c!]) expect((await myLearning(t.database.db, p.accountId)).get(p.purchaseId)?.assignments).toEqual([{ ref: 'tugas-1', status: p === b ? 'failed' : 'success' }])
    const certs = await t.database.db.selectFrom('certificates').select(['purchase_id', 'grade']).where('purchase_id', 'in', [a!.purchaseId, c!.purchaseId]).orderBy('grade').execute()
    expect(certs.map((x) => x.grade)).toEqual([80, 80])
    expect((await t.database.db.selectFrom('purchases').select('status').where('id', '=', a!.purchaseId).executeTakeFirstOrThrow()).status).toBe('completed')
    const review = await t.database.db.selectFrom('completion_reviews as r').innerJoin('learning_reports as lr', 'lr.id', 'r.report_row_id').select(['lr.report_id', 'r.status', 'r.due_at']).where('r.purchase_id', '=', b!.purchaseId).executeTakeFirstOrThrow()
    expect(review).toMatchObject({ report_id: 'x-5', status: 'pending' })
    expect(review.due_at.getTime()).toBe(clock.now().getTime() + 3 * 86_400_000)
    // Each participant is told, once per outcome, through the outbox and the inbox.
    const inbox = await t.database.db.selectFrom('inbox_messages').select(['account_id', 'subject']).where('account_id', 'in', [a!.accountId, b!.accountId, c!.accountId]).execute()
    expect(inbox.map((m) => `${m.account_id === b!.accountId ? 'b' : 'ac'}:${m.subject.slice(0, 10)}`).sort()).toEqual(['ac:Sertifikat', 'ac:Sertifikat', 'b:Laporan ke'])
    const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job j join mail_outbox o on o.id = (j.data->>'outboxId')::uuid where o.account_id in (${a!.accountId}, ${b!.accountId}, ${c!.accountId})`.execute(t.database.db)
    expect(jobs.rows[0]!.n).toBe(3)

    // The same batch again, in other chunks: every stored row is a duplicate, nothing changes.
    const again = await ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES, 5)
    expect(brief(again)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'UNDER_REVIEW', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'PURCHASE_NOT_FOUND', 'GRADE_OUT_OF_RANGE'])
    expect(again[1]!.purchaseId).toBe(a!.purchaseId)
    expect(await count('learning_reports', [a!.purchaseId, b!.purchaseId, c!.purchaseId, unpaid.purchaseId])).toBe(9)
    expect(await kinds(a!.purchaseId)).toEqual(['assignment', 'reported', 'completed', 'correction'])
  })

  it('refuses another provider’s participant and writes nothing for it', async () => {
    const [p] = await seed(1)
    const r = await ingestBulk(deps, OTHER_PROVIDER.code, [done(p!, 'o-1')], DEFAULT_RULES)
    expect(brief(r)).toEqual(['OTHER_PROVIDER'])
    expect(await kinds(p!.purchaseId)).toEqual([])
  })

  it('shows report rows and the state changes they cause in one timeline, in the rows\' order within a chunk', async () => {
    const [p, q] = await seed(2)
    const rows = [done(p!, 'tl-1'), task(q!, 'tl-2', 'failed'), task(p!, 'tl-3', 'success', 'tugas-2'), done(q!, 'tl-4'), done(p!, 'tl-5', { grade: 90 }), task(q!, 'tl-6', 'success')]
    expect(brief(await ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES))).toEqual(['completed', 'recorded', 'recorded', 'review', 'correction', 'recorded'])
    // An assignment's status is its latest report, also within one chunk.
    expect((await myLearning(t.database.db, q!.accountId)).get(q!.purchaseId)?.assignments).toEqual([{ ref: 'tugas-1', status: 'success' }])
    // The report rows are not copied into purchase_events: only what they changed is.
    const stored = await t.database.db.selectFrom('purchase_events').select('kind').where('purchase_id', 'in', [p!.purchaseId, q!.purchaseId]).orderBy('id').execute()
    expect(stored.map((e) => e.kind)).toEqual(['completed', 'under_review'])
    const tl = await purchaseTimeline(t.database.db, p!.purchaseId)
    expect(tl.map((e) => e.kind)).toEqual(['reported', 'completed', 'assignment', 'correction'])
    expect(tl[0]!.details).toEqual({ grade: 80, completedAt, reportId: 'tl-1' })
    expect(tl[2]!.details).toEqual({ assignment: 'tugas-2', status: 'success', reportId: 'tl-3' })
    expect(tl[3]!.details).toMatchObject({ grade: 90, reportId: 'tl-5' })
    expect(await kinds(q!.purchaseId)).toEqual(['assignment', 'reported', 'under_review', 'assignment'])
  })

  it('keeps the timeline in the rows\' order when the places cross a power of ten (ordered as numbers, not as text)', async () => {
    const [p] = await seed(1)
    // The chunk's places will be 9998, 9999, 10000, …: as text, '10000' sorts before '9998'.
    const last = Number((await sql<{ n: string }>`select last_value::text as n from purchase_events_id_seq`.execute(t.database.db)).rows[0]!.n)
    await sql`select setval('purchase_events_id_seq', ${Math.max(last, 9997)})`.execute(t.database.db)
    const rows = [task(p!, 'pt-1', 'success'), task(p!, 'pt-2', 'success', 'tugas-2'), done(p!, 'pt-3'), done(p!, 'pt-4', { grade: 90 })]
    expect(brief(await ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES))).toEqual(['recorded', 'recorded', 'completed', 'correction'])
    expect(await kinds(p!.purchaseId)).toEqual(['assignment', 'assignment', 'reported', 'completed', 'correction'])
  })

  it('two identical batches at once: each row applied once, the other request answers duplicate', async () => {
    const ps = await seed(40)
    const self = await seed(20, 'redeemed', false, 'self_paced')
    const rows = [...ps.flatMap((p, i) => [task(p, `cc-a-${i}`, 'success'), done(p, `cc-c-${i}`)]), ...self.map((p, i) => done(p, `cc-s-${i}`))]
    const [one, two] = await Promise.all([ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES, 25), ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES, 7)])
    for (let i = 0; i < rows.length; i++) {
      expect([one![i]!.result, two![i]!.result].sort(), `row ${i}`).toEqual(['accepted', 'duplicate'])
      expect(one![i]!.purchaseId).toBe(two![i]!.purchaseId)
    }
    const all = [...ps, ...self].map((p) => p.purchaseId)
    expect(await count('certificates', all)).toBe(60)
    expect(await count('learning_reports', all)).toBe(100)
    expect(await count('completion_reviews', all)).toBe(0)
    expect(await kinds(ps[7]!.purchaseId)).toEqual(['assignment', 'reported', 'completed'])
  })

  it('one report id sent at once for two different purchases: applied once, the loser retried and answered duplicate', async () => {
    const [p, q] = await seed(2)
    const [one, two] = await Promise.all([ingestBulk(deps, PROVIDER.code, [done(p!, 'race-1')], DEFAULT_RULES), ingestBulk(deps, PROVIDER.code, [done(q!, 'race-1')], DEFAULT_RULES)])
    expect([one![0]!.result, two![0]!.result].sort()).toEqual(['accepted', 'duplicate'])
    expect(await count('certificates', [p!.purchaseId, q!.purchaseId])).toBe(1)
    expect(await count('learning_reports', [p!.purchaseId, q!.purchaseId])).toBe(1)
    const events = [...(await kinds(p!.purchaseId)), ...(await kinds(q!.purchaseId))]
    expect(events).toEqual(['reported', 'completed'])
  })

  it('records attendance by the session redeem code, counted by the attendance rule; a wrong code is refused with its reason', async () => {
    const [a, b, c, d] = await seed(4, 'redeemed', false)
    await t.database.db.updateTable('redeem_codes').set({ cancelled_at: clock.now() }).where('code', '=', c!.redeemCode!).execute()
    const seen = (p: SeededPurchase, reportId: string, redeemCode?: string) => ({ reportId, type: 'attendance', voucherCode: p.voucher, ...(redeemCode === undefined ? {} : { redeemCode }) })
    const before = clock.now()
    clock.set(BASE) // the session starts three days later
    expect(brief(await ingestBulk(deps, PROVIDER.code, [seen(d!, 'h-0', d!.redeemCode!)], DEFAULT_RULES))).toEqual(['ATTENDANCE_BEFORE_SESSION'])
    clock.set(before)
    const rows = [
      seen(a!, 'h-1', a!.redeemCode!.toLowerCase()),
      done(a!, 'h-2'),
      seen(b!, 'h-3', a!.redeemCode!), // a's code with b's voucher
      seen(b!, 'h-4', 'RZZZZZZZ'),
      seen(b!, 'h-5'),
      seen(c!, 'h-6', c!.redeemCode!),
      done(b!, 'h-7'),
    ]
    const r = await ingestBulk(deps, PROVIDER.code, rows, DEFAULT_RULES)
    expect(brief(r)).toEqual(['recorded', 'completed', 'REDEEM_CODE_OTHER', 'REDEEM_CODE_UNKNOWN', 'REDEEM_CODE_INVALID', 'REDEEM_CODE_CANCELLED', 'review'])
    expect(r[6]!.brokenRules).toEqual(['attendance'])
    expect(await kinds(a!.purchaseId)).toEqual(['attended', 'reported', 'completed'])
    const ev = (await purchaseTimeline(t.database.db, a!.purchaseId)).find((e) => e.kind === 'attended')
    expect(ev?.details).toMatchObject({ session: f.sessionId, redeemCode: a!.redeemCode, reportId: 'h-1', via: 'report' })
    expect(await kinds(d!.purchaseId)).toEqual([])
    // Counted in a later request too: d attends, then completes in a second batch.
    expect(brief(await ingestBulk(deps, PROVIDER.code, [seen(d!, 'h-8', d!.redeemCode!)], DEFAULT_RULES))).toEqual(['recorded'])
    expect(brief(await ingestBulk(deps, PROVIDER.code, [done(d!, 'h-9')], DEFAULT_RULES))).toEqual(['completed'])
  })
})
