/**
 * The incentive and complaint facts: counted from the incentives' and helpdesk's own rows
 * (written here directly, as those modules would), shown on the overview with their chart,
 * table and CSV, and on the public statistics page.
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { participant } from '../waves/testing.ts'
import { refreshFacts } from './refresh.service.ts'
import { BUILT_IN_SOURCES, complaints, incentives } from './sources.repository.ts'

let t: TestApp
let pmo: Browser
const waveId = crypto.randomUUID()
const html = { accept: 'text/html' }
/** A WIB time on a November 2026 day. */
const at = (day: number, hh = 10, mm = 0) => new Date(`2026-11-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+07:00`)

beforeAll(async () => {
  t = await startTestApp()
  const db = t.deps.database.db
  const a = (await participant(db, t.deps.identity, { regency: '13.06' })).accountId
  const b = (await participant(db, t.deps.identity, { regency: '32.73' })).accountId
  const payout = (account: string, kind: 'course' | 'survey', amount: number, status: 'paid' | 'failed' | 'cancelled', times: { sent?: Date; paid?: Date; failed?: Date }, sequence = 1) =>
    db
      .insertInto('incentive_payouts')
      .values({ account_id: account, kind, source_ref: kind === 'course' ? waveId : 'survey-1', sequence, amount, due_at: at(2), status, payout_account_id: null, partner: null, masked_account: null, hold_id: null, batch_id: null, partner_ref: null, failure: status === 'failed' ? 'name_mismatch' : null, sent_at: times.sent ?? null, paid_at: times.paid ?? null, failed_at: times.failed ?? null, created_at: at(2) })
      .returning('id')
      .executeTakeFirstOrThrow()
  await payout(a, 'course', 100_000, 'paid', { sent: at(3), paid: at(4) })
  const failed = await payout(a, 'course', 100_000, 'failed', { sent: at(3), failed: at(5) }, 2)
  const cancelled = await payout(b, 'survey', 50_000, 'cancelled', {})
  await db.insertInto('payout_events').values([
    { payout_id: failed.id, kind: 'failed', details: JSON.stringify({ reason: 'name_mismatch', source: 'answer' }), at: at(5) },
    { payout_id: cancelled.id, kind: 'cancelled', details: JSON.stringify({ reason: 'ineligible' }), at: at(6) },
  ]).execute()
  const ticket = (account: string, channel: 'web' | 'phone', times: { responded?: Date; resolved?: Date; closed?: Date }) =>
    db
      .insertInto('helpdesk_tickets')
      .values({ tracking: `KRY-${crypto.randomUUID().slice(0, 8)}`, channel, category: 'incentive', priority: 'normal', state: times.closed ? 'closed' : 'open', subject: 'Insentif', account_id: account, first_response_due_at: at(3), resolution_due_at: at(9), first_responded_at: times.responded ?? null, resolved_at: times.resolved ?? null, closed_at: times.closed ?? null, created_at: at(2), updated_at: at(2) })
      .returning('id')
      .executeTakeFirstOrThrow()
  const web = await ticket(a, 'web', { responded: at(2, 12), resolved: at(3), closed: at(4) })
  await ticket(b, 'phone', { responded: at(2, 11) })
  await db.insertInto('helpdesk_csat').values({ ticket_id: web.id, channel: 'web', owner_id: null, score: 4, comment: '', created_at: at(4) }).execute()
  await refreshFacts({ db, clock: t.deps.clock, sources: BUILT_IN_SOURCES }, { mode: 'full', source: 'test' })
  pmo = await loggedIn(t.app, 'pmo_admin', db)
})
afterAll(async () => t?.close())

const facts = (metric: string) =>
  t.deps.database.db.selectFrom('report_daily_facts').select(['day', 'wave_id', 'province_code', 'regency_code', 'reason', 'value']).where('metric', '=', metric).where('province_code', '!=', '*').where('regency_code', '!=', '*').orderBy('day').orderBy('regency_code').execute()
const total = async (metric: string) => (await facts(metric)).reduce((s, r) => s + Number(r.value), 0)

describe('incentive facts', () => {
  it('counts payouts scheduled, sent, paid and failed, and rupiah scheduled, paid and cancelled, by wave and area', async () => {
    expect(BUILT_IN_SOURCES).toContain(incentives)
    expect(await total('payout_scheduled')).toBe(3)
    expect(await total('payout_sent')).toBe(2)
    expect(await total('payout_paid')).toBe(1)
    expect(await total('scheduled_rp')).toBe(250_000)
    expect(await total('paid_rp')).toBe(100_000)
    expect(await total('cancelled_rp')).toBe(50_000)
    expect(await facts('paid_rp')).toEqual([{ day: '2026-11-04', wave_id: waveId, province_code: '13', regency_code: '13.06', reason: '', value: 100_000 }])
    expect(await facts('payout_failed')).toEqual([{ day: '2026-11-05', wave_id: waveId, province_code: '13', regency_code: '13.06', reason: 'name_mismatch', value: 1 }])
    // A survey incentive has no wave; its area is the person's domicile.
    expect(await facts('cancelled_rp')).toEqual([{ day: '2026-11-06', wave_id: '', province_code: '32', regency_code: '32.73', reason: '', value: 50_000 }])
  })

  it('shows them on the overview with chart, table and CSV; outstanding is what is owed on the range’s last day', async () => {
    const page = await pmo.request({ method: 'GET', url: '/pmo/ringkasan?dari=2026-11-01&sampai=2026-11-30', headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="insentif-title"')
    expect(page.body).toContain('Rp 100.000 dibayar dalam rentang ini; Rp 100.000 belum dibayar pada 2026-11-30.')
    // Before anything was paid or cancelled, everything scheduled is owed, even with no payout scheduled in the range itself.
    const early = await pmo.request({ method: 'GET', url: '/pmo/ringkasan?dari=2026-11-03&sampai=2026-11-03', headers: html })
    expect(early.body).toContain('Rp 0 dibayar dalam rentang ini; Rp 250.000 belum dibayar pada 2026-11-03.')
    const csv = await pmo.request({ method: 'GET', url: '/pmo/ringkasan/ekspor/insentif.csv?dari=2026-11-01&sampai=2026-11-30' })
    expect(csv.statusCode).toBe(200)
    const lines = csv.body.trim().split(/\r?\n/)
    expect(lines[0]).toContain('Insentif dijadwalkan')
    expect(lines.find((x) => x.includes(',13,'))).toMatch(/,13,2,2,1,1,100000,100000,50(\.0)?$/)
    expect(lines.find((x) => x.includes(',32,'))).toMatch(/,32,1,0,0,0,0,0,0(\.0)?$/)
  })
})

describe('complaint facts', () => {
  it('counts complaints by channel with sums and counts for first response, resolution and satisfaction', async () => {
    expect(BUILT_IN_SOURCES).toContain(complaints)
    expect((await facts('complaint_opened')).map((r) => [r.reason, Number(r.value)]).sort()).toEqual([['phone', 1], ['web', 1]])
    expect(await facts('complaint_closed')).toMatchObject([{ reason: 'web', value: 1, day: '2026-11-04' }])
    expect((await facts('first_response_min')).map((r) => [r.reason, Number(r.value)]).sort()).toEqual([['phone', 60], ['web', 120]])
    expect(await facts('resolution_min')).toMatchObject([{ reason: 'web', value: 24 * 60 }])
    expect(await facts('csat_sum')).toMatchObject([{ reason: 'web', value: 4, regency_code: '13.06' }])
  })

  it('shows averages per channel on the overview and its CSV', async () => {
    const page = await pmo.request({ method: 'GET', url: '/pmo/ringkasan?dari=2026-11-01&sampai=2026-11-30', headers: html })
    expect(page.body).toContain('id="pengaduan-title"')
    const csv = await pmo.request({ method: 'GET', url: '/pmo/ringkasan/ekspor/pengaduan.csv?dari=2026-11-01&sampai=2026-11-30' })
    const lines = csv.body.trim().split(/\r?\n/)
    expect(lines).toHaveLength(5)
    expect(lines.find((x) => x.startsWith('Situs web'))).toBe('Situs web,1,1,2,24,4,1')
    expect(lines.find((x) => x.startsWith('Telepon'))).toBe('Telepon,1,0,1,,,0')
  })
})

describe('public statistics', () => {
  it('publishes incentive rates by province and complaint volumes and answer times by channel', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/statistik', headers: html })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Insentif per provinsi')
    expect(res.body).toContain('Pengaduan dan waktu jawab per saluran')
    // Province 13: 1 of 2 scheduled payouts paid.
    expect(res.body).toMatch(/SUMATERA BARAT<\/th><td class="num">2<\/td><td class="num">1<\/td><td class="num">100\.000<\/td><td class="num">50<\/td>/i)
  })
})

describe('the nightly refresh of recent days', () => {
  it('rewrites the incentive and complaint facts of its days from each fact’s own time, and leaves earlier days as they were', async () => {
    const db = t.deps.database.db
    const metrics = ['payout_scheduled', 'scheduled_rp', 'payout_sent', 'payout_paid', 'paid_rp', 'payout_failed', 'cancelled_rp', 'complaint_opened', 'complaint_closed', 'first_response_min', 'first_response_n', 'resolution_min', 'resolution_n', 'csat_sum', 'csat_n']
    const all = () => db.selectFrom('report_daily_facts').selectAll().where('metric', 'in', metrics).orderBy('day').orderBy('metric').orderBy('wave_id').orderBy('province_code').orderBy('regency_code').orderBy('reason').execute()
    const before = await all()
    expect(before.length).toBeGreaterThan(20)
    // Days from 4 November (27 days up to the 30th): the paid, closed and rated facts of the 4th, the failure and the cancellation are in it; what was scheduled, sent and answered on the 2nd and 3rd is not.
    const clock = { now: () => at(30, 12) }
    const recent = await refreshFacts({ db, clock, sources: BUILT_IN_SOURCES }, { mode: 'recent', recentDays: 27, source: 'test' })
    expect(recent.fromDay).toBe('2026-11-04')
    expect(recent.perSource.incentives!.rows).toBeGreaterThan(0)
    expect(recent.perSource.complaints!.rows).toBeGreaterThan(0)
    expect(await all()).toEqual(before)

    // A payout scheduled and sent before the window and paid inside it, and a ticket opened before it and closed inside it:
    // only their facts inside the window appear; the older days are not rewritten by a recent refresh.
    const a = await db.selectFrom('registration_profiles').select('account_id').where('regency_code', '=', '13.06').executeTakeFirstOrThrow()
    await db.insertInto('incentive_payouts').values({ account_id: a.account_id, kind: 'course', source_ref: waveId, sequence: 3, amount: 100_000, due_at: at(3), status: 'paid', attempt: 1, sent_at: at(3), paid_at: at(10), created_at: at(3) }).execute()
    await db.insertInto('helpdesk_tickets').values({ tracking: `KRY-${crypto.randomUUID().slice(0, 8)}`, channel: 'email', category: 'other', priority: 'normal', state: 'closed', subject: 'Lain', account_id: a.account_id, first_response_due_at: at(3), resolution_due_at: at(9), first_responded_at: at(3, 10), resolved_at: at(9), closed_at: at(12), created_at: at(3, 9), updated_at: at(12) }).execute()
    await refreshFacts({ db, clock, sources: BUILT_IN_SOURCES }, { mode: 'recent', recentDays: 27, source: 'test' })
    const added = (await all()).filter((r) => !before.some((b) => b.day === r.day && b.metric === r.metric && b.reason === r.reason && b.regency_code === r.regency_code && b.province_code === r.province_code && b.wave_id === r.wave_id && Number(b.value) === Number(r.value)))
    expect(added.filter((r) => r.regency_code === '13.06').map((r) => [r.day, r.metric, r.reason, Number(r.value)]).sort()).toEqual([
      ['2026-11-09', 'resolution_min', 'email', 6 * 24 * 60 + 60],
      ['2026-11-09', 'resolution_n', 'email', 1],
      ['2026-11-10', 'paid_rp', '', 100_000],
      ['2026-11-10', 'payout_paid', '', 1],
      ['2026-11-12', 'complaint_closed', 'email', 1],
    ])
  })
})
