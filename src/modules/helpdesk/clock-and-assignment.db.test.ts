import crypto from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { partnersAndCourses, PROVIDER } from '../purchases/testing.ts'
import { agentAct, type Staff } from './console.service.ts'
import { helpdeskDeps } from './deps.ts'
import { answerHandoff } from './handoff.service.ts'
import { upsertAgent } from './helpdesk.repository.ts'
import { assignAtOpening, MORNING_ASSIGN_JOB, nextOpening, scheduleMorningAssignment } from './helpdesk.jobs.ts'
import { addBusinessMinutes, wibCalendar } from './sla.ts'
import { raiseTicket } from './tickets.service.ts'
import { postForm } from './testing.ts'

// 10:00 WIB, Tuesday 1 December 2026.
const OPEN = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(OPEN)
const wib = (s: string) => new Date(`${s}+07:00`)
let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ clock })
  await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity })
})
afterAll(async () => t?.close())

const db = () => t.database.db
const row = (id: string) => db().selectFrom('helpdesk_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

async function staffAccount(role: 'agent' | 'supervisor', name: string): Promise<Staff> {
  const id = crypto.randomUUID()
  await db()
    .insertInto('accounts')
    .values({ id, email: `${id.slice(0, 8)}@staf.test`, phone: null, display_name: name, password_hash: null, role, region_code: null, partner_code: null, status: 'active', created_at: clock.now(), email_verified_at: clock.now(), phone_verified_at: null, locked_until: null })
    .execute()
  return { id, role, requestId: 'test', ip: '127.0.0.1' }
}

describe('the resolution clock stops while a partner has the question', () => {
  it('pauses on hand-off, says so on the status page, and gives the stopped business time back when the partner answers', async () => {
    clock.set(OPEN)
    const hd = helpdeskDeps(t.deps)
    const visitor = new Browser(t.app)
    const raised = await postForm(visitor, '/pengaduan', '/pengaduan', { name: 'Ani', email: `ani-${crypto.randomUUID().slice(0, 6)}@contoh.test`, category: 'certificate', message: 'Sertifikat belum terbit padahal kelas sudah selesai.' })
    const tracking = /(KRY-\d{4}-[0-9A-Z]{6})/.exec(raised.headers.location!)![1]!
    const tk = await db().selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking).executeTakeFirstOrThrow()
    const cal = wibCalendar(['2026-12-25', '2027-01-01'])
    // Certificates: resolution within 3 business days (36 business hours) of 10:00 on the 1st.
    expect(tk.resolution_due_at).toEqual(addBusinessMinutes(cal, OPEN, 3 * 720))
    const agent = await staffAccount('agent', 'Agen Jeda')

    // Handed off at 10:30 WIB.
    clock.set(wib('2026-12-01T10:30:00'))
    await agentAct(hd, agent, tk.id, { kind: 'handoff', partnerCode: PROVIDER.code, question: 'Mohon cek laporan kelulusan peserta ini.' })
    const paused = await row(tk.id)
    expect(paused.partner_paused_since).toEqual(clock.now())
    const handoff = await db().selectFrom('helpdesk_handoffs').selectAll().where('ticket_id', '=', tk.id).executeTakeFirstOrThrow()
    const status = await visitor.request({ method: 'GET', url: `/pengaduan/${tracking}`, headers: { accept: 'text/html' } })
    expect(status.body).toContain('Menunggu jawaban LP Ternak Jaya, batas 2 Desember 2026')
    expect(status.body).toContain('batas waktu kami berhenti')
    expect(handoff.due_at).toEqual(wib('2026-12-02T10:30:00'))

    // The agent's queue shows the clock stopped, with the due date moving with it.
    clock.set(wib('2026-12-02T09:30:00'))
    const staffBrowser = await loggedIn(t.app, 'agent')
    const queue = await staffBrowser.request({ method: 'GET', url: '/bantuan/tiket', headers: { accept: 'text/html' } })
    expect(queue.body).toContain('jam berhenti (menunggu mitra)')

    // The partner answers at 10:00 WIB the next day: 9.5 h on the 1st + 2 h on the 2nd = 690 business minutes stood still.
    clock.set(wib('2026-12-02T10:00:00'))
    await answerHandoff(hd, { partnerCode: PROVIDER.code, by: PROVIDER.client, via: 'api', requestId: 'test', ip: '127.0.0.1' }, handoff.id, 'Laporan sudah kami kirim ulang.')
    const resumed = await row(tk.id)
    expect(resumed.partner_paused_since).toBeNull()
    expect(resumed.partner_paused_minutes).toBe(690)
    expect(resumed.resolution_due_at).toEqual(addBusinessMinutes(cal, tk.resolution_due_at, 690))
    expect(resumed.state).toBe('open')
  })

  it('ends the pause when the ticket is resolved before the partner answers', async () => {
    clock.set(OPEN)
    const hd = helpdeskDeps(t.deps)
    const tk = await raiseTicket(hd, { channel: 'email', category: 'purchase', body: 'Voucher tidak diterima', contact: { email: `v-${crypto.randomUUID().slice(0, 6)}@contoh.test` } })
    const agent = await staffAccount('agent', 'Agen Selesai')
    await agentAct(hd, agent, tk.id, { kind: 'handoff', partnerCode: PROVIDER.code, question: 'Apakah voucher sudah ditukar?' })
    clock.set(wib('2026-12-01T12:00:00'))
    await agentAct(hd, agent, tk.id, { kind: 'reply', body: 'Sudah kami periksa sendiri, voucher Anda aktif.', then: 'resolve' })
    const done = await row(tk.id)
    expect(done.partner_paused_since).toBeNull()
    expect(done.partner_paused_minutes).toBe(120)
    expect(done.resolved_at!.getTime()).toBeLessThanOrEqual(done.resolution_due_at.getTime())
  })
})

describe('tickets that arrive while the centre is closed', () => {
  it('wait, and the 08:00 WIB job hands them out by skill and capacity, round-robin within the team with the most room', async () => {
    const hd = helpdeskDeps(t.deps)
    // Only this test's agents take tickets.
    await db().updateTable('helpdesk_agents').set({ active: false }).execute()
    const a1 = await staffAccount('agent', 'Alfa Satu')
    const a2 = await staffAccount('agent', 'Alfa Dua')
    const b1 = await staffAccount('agent', 'Beta Satu')
    await upsertAgent(db(), { accountId: a1.id, team: 'alfa', skills: ['certificate', 'purchase'], capacity: 3 })
    await upsertAgent(db(), { accountId: a2.id, team: 'alfa', skills: ['certificate'], capacity: 3 })
    await upsertAgent(db(), { accountId: b1.id, team: 'beta', skills: ['certificate'], capacity: 1 })

    // 21:00 WIB: nine tickets arrive; nobody is assigned at night.
    clock.set(wib('2026-12-01T21:00:00'))
    const night = []
    for (let i = 0; i < 8; i++) {
      clock.set(new Date(wib('2026-12-01T21:00:00').getTime() + i * 60_000))
      night.push(await raiseTicket(hd, { channel: 'web', category: 'certificate', body: `Sertifikat ${i}`, contact: { email: `malam${i}@contoh.test` } }))
    }
    const noSkill = await raiseTicket(hd, { channel: 'web', category: 'wave', body: 'Gelombang', contact: { email: 'gelombang@contoh.test' } })
    for (const tk of [...night, noSkill]) expect((await row(tk.id)).owner_id).toBeNull()

    // The job is queued for the next opening, 08:00 WIB.
    await scheduleMorningAssignment(t.deps.jobs, db(), clock)
    const queued = await sql<{ start_after: Date }>`select start_after from pgboss.job where name = ${MORNING_ASSIGN_JOB} and state = 'created'`.execute(db())
    expect(queued.rows.map((r) => new Date(r.start_after).toISOString())).toContain('2026-12-02T01:00:00.000Z')

    // On a holiday the centre stays closed at 08:00: nothing is handed out.
    clock.set(wib('2026-12-25T08:00:00'))
    expect(await assignAtOpening(hd)).toBe(0)

    clock.set(wib('2026-12-02T08:00:00'))
    expect(await assignAtOpening(hd)).toBe(7)
    const owners = await Promise.all(night.map(async (tk) => (await row(tk.id)).owner_id))
    // Most urgent first; alfa has the most room: its two agents take turns, then both teams tie
    // at one place each and alfa (by name) fills its last; beta takes the seventh.
    const [first, second] = [a1.id, a2.id].sort()
    expect(owners.slice(0, 6)).toEqual([first, second, first, second, first, second])
    expect(owners[6]).toBe(b1.id)
    // Everyone is at capacity: the eighth waits, as does the ticket nobody has the skill for.
    expect(owners[7]).toBeNull()
    expect((await row(noSkill.id)).owner_id).toBeNull()
    await db().updateTable('helpdesk_agents').set({ active: true }).where('account_id', 'not in', [a1.id, a2.id, b1.id]).execute()
  })

  it('knows when the next opening is', () => {
    expect(nextOpening(new Date('2026-12-02T00:30:00Z'))).toEqual(new Date('2026-12-02T01:00:00Z'))
    expect(nextOpening(new Date('2026-12-02T01:00:00Z'))).toEqual(new Date('2026-12-03T01:00:00Z'))
    expect(nextOpening(wib('2026-12-01T21:00:00'))).toEqual(wib('2026-12-02T08:00:00'))
  })
})
