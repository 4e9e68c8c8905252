import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { partnersAndCourses, testWave, PROVIDER, type Fixture } from '../purchases/testing.ts'
import { DEFAULT_RULES } from './learning.service.ts'
import { loadCompletionRules } from './rules.repository.ts'
import { attended, newParticipant, partnerCall, reportCompletion } from './testing.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(BASE)
let t: TestApp
let f: Fixture
let waveId: string
let pmo: Browser

beforeAll(async () => {
  t = await startTestApp({ clock })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity }, { seats: 20 })
  waveId = await testWave(t.database.db, clock)
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
})
afterAll(async () => t?.close())

const PATH = '/pmo/penyelesaian/aturan'
const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

async function save(fields: Record<string, string>) {
  // The test clock jumps days ahead between reports, so a fresh session each time.
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
  const csrf = await pmo.csrfFrom(PATH)
  return pmo.request({ method: 'POST', url: PATH, headers: form, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() })
}

/** A participant who attended, with a failed assignment, reported completed. */
async function withFailedAssignment() {
  const p = await attended(t, clock, f, waveId, await newParticipant(t, clock, 'Budi Santoso'), BASE)
  await partnerCall(t, clock, PROVIDER, 'POST', '/api/v1/partner/learning/report', { reportId: crypto.randomUUID(), type: 'assignment', voucherCode: p.voucher, assignmentRef: 'praktik', status: 'failed' })
  return reportCompletion(t, clock, p.voucher, clock.now())
}

describe('PMO-configurable verification rules', () => {
  it('defaults in code until changed; an auditor sees them but cannot change them', async () => {
    expect(await loadCompletionRules(t.database.db)).toEqual(DEFAULT_RULES)
    const auditor = await loggedIn(t.app, 'auditor', t.database.db)
    const page = await auditor.request({ method: 'GET', url: PATH, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Belum pernah diubah')
    expect(page.body).not.toContain(`action="${PATH}"`)
    const token = await auditor.csrfFrom(PATH).catch(() => 'none')
    const refused = await auditor.request({ method: 'POST', url: PATH, headers: { ...form, accept: 'application/json' }, payload: new URLSearchParams({ _csrf: token, reviewSlaDays: '5', reason: 'Coba ubah.' }).toString() })
    expect(refused.statusCode).toBe(403)
    expect(await loadCompletionRules(t.database.db)).toEqual(DEFAULT_RULES)
  })

  it('refuses a bad SLA or a missing reason with the fields named, changing nothing', async () => {
    const bad = await save({ voucherRedeemed: '1', attendance: '1', assignmentsPassed: '1', afterSessionEnd: '1', reviewSlaDays: '0', reason: '' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#reviewSlaDays"')
    expect(bad.body).toContain('href="#reason"')
    expect(bad.body).toContain('Isi jumlah hari 1–30.')
    expect(await t.database.db.selectFrom('completion_rule_changes').select('id').execute()).toEqual([])
  })

  it('a change applies to the next report, is kept old → new with who and why, and audited', async () => {
    expect((await withFailedAssignment()).outcome).toBe('review')

    const off = await save({ voucherRedeemed: '1', attendance: '1', afterSessionEnd: '1', reviewSlaDays: '3', reason: 'Tugas praktik dinilai ulang oleh LP.' })
    expect(off.statusCode).toBe(303)
    expect(off.headers.location).toBe(`${PATH}?disimpan=1`)
    expect(await loadCompletionRules(t.database.db)).toEqual({ ...DEFAULT_RULES, assignmentsPassed: false })
    expect((await withFailedAssignment()).outcome).toBe('completed')

    const slower = await save({ voucherRedeemed: '1', attendance: '1', assignmentsPassed: '1', afterSessionEnd: '1', reviewSlaDays: '7', reason: 'Tim peninjau sedang cuti bersama.' })
    expect(slower.statusCode).toBe(303)
    const review = await withFailedAssignment()
    expect(review).toMatchObject({ outcome: 'review', brokenRules: ['assignments_passed'] })
    expect(new Date(review.reviewDueAt!).getTime() - clock.now().getTime()).toBe(7 * 86_400_000)

    // Saving the same again records nothing.
    const same = await save({ voucherRedeemed: '1', attendance: '1', assignmentsPassed: '1', afterSessionEnd: '1', reviewSlaDays: '7', reason: 'Tidak ada perubahan.' })
    expect(same.headers.location).toBe(`${PATH}?disimpan=0`)

    const history = await t.database.db.selectFrom('completion_rule_changes').selectAll().orderBy('id').execute()
    expect(history.map((h) => [h.old_rules.assignmentsPassed, h.new_rules.assignmentsPassed, h.old_rules.reviewSlaDays, h.new_rules.reviewSlaDays])).toEqual([
      [true, false, 3, 3],
      [false, true, 3, 7],
    ])
    const admin = await t.database.db.selectFrom('accounts').select('id').where('role', '=', 'pmo_admin').executeTakeFirstOrThrow()
    expect(history.every((h) => h.changed_by === admin.id)).toBe(true)
    const audit = await t.database.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'learning.rules.change').orderBy('seq').execute()
    expect(audit.map((a) => (a.details as { reason: string }).reason)).toEqual(['Tugas praktik dinilai ulang oleh LP.', 'Tim peninjau sedang cuti bersama.'])
    pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const page = await pmo.request({ method: 'GET', url: PATH, headers: { accept: 'text/html' } })
    expect(page.body).toContain('Semua tugas yang dilaporkan lulus: aktif → tidak aktif')
    expect(page.body).toContain('Batas waktu tinjauan (hari): 3 → 7')
    // The history cannot be rewritten.
    await expect(t.database.db.updateTable('completion_rule_changes').set({ reason: 'diubah' }).where('id', '=', history[0]!.id).execute()).rejects.toThrow(/append-only/)
    await expect(t.database.db.deleteFrom('completion_rule_changes').where('id', '=', history[0]!.id).execute()).rejects.toThrow(/append-only/)
  })
})
