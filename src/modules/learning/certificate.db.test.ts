import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { partnersAndCourses, testWave, type Fixture } from '../purchases/testing.ts'
import { hashPassword } from '../accounts/index.ts'
import { DEMO_PASSWORD } from '../../demo/seed.ts'
import { qrDrawing } from './qr.ts'
import { attended, newParticipant, reportCompletion } from './testing.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const clock = fixedClock(BASE)
let t: TestApp
let f: Fixture
let waveId: string

beforeAll(async () => {
  t = await startTestApp({ clock })
  f = await partnersAndCourses({ db: t.database.db, clock, identity: t.deps.identity }, { seats: 20 })
  waveId = await testWave(t.database.db, clock)
})
afterAll(async () => t?.close())

const html = { accept: 'text/html' }
const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }

async function logIn(email: string) {
  const b = new Browser(t.app)
  await t.database.db.updateTable('accounts').set({ password_hash: await hashPassword(DEMO_PASSWORD), phone: null }).where('email', '=', email).execute()
  const res = await b.login(email)
  expect(res.statusCode).toBe(303)
  return b
}

describe('what an employer sees', () => {
  it('initials and no grade by default; the participant chooses more on the certificate page, on the timeline and audited; a withdrawn consent shows at once', async () => {
    const who = await newParticipant(t, clock, 'Rina Kurnia Dewi')
    const p = await attended(t, clock, f, waveId, who, BASE)
    const done = await reportCompletion(t, clock, p.voucher, clock.now(), 91)
    expect(done.outcome).toBe('completed')
    const number = done.certificateNumber!
    const employer = new Browser(t.app)
    const look = async () => (await employer.request({ method: 'GET', url: `/sertifikat/${number}`, headers: html })).body
    let pub = await look()
    expect(pub).toContain('Sertifikat sah / valid')
    expect(pub).toContain('R. K. D.')
    expect(pub).not.toContain('Rina')
    expect(pub).not.toContain('>91<')

    const email = (await t.database.db.selectFrom('accounts').select('email').where('id', '=', who.id).executeTakeFirstOrThrow()).email!
    const me = await logIn(email)
    const page = await me.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/sertifikat`, headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(number)
    // The QR on the page is the verification address, drawn run by run.
    const url = `${t.deps.config.publicUrl}/sertifikat/${number}`
    expect(page.body).toContain(`aria-label="Kode QR: pindai untuk memeriksa sertifikat ini di ${url}"`)
    expect((/<path fill="#000" d="([^"]+)"/.exec(page.body)![1]!.match(/z/g) ?? []).length).toBe(qrDrawing(url).runs.length)
    expect(page.body).toMatch(/value="initials" checked/)
    expect(page.body).toMatch(/value="hide" checked/)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
    const save = (name: string, grade: string) => me.request({ method: 'POST', url: `/pelatihan-saya/${p.id}/sertifikat`, headers: form, payload: new URLSearchParams({ _csrf: csrf, name, grade }).toString() })
    expect((await save('full', 'show')).statusCode).toBe(303)
    pub = await look()
    expect(pub).toContain('Rina Kurnia Dewi')
    expect(pub).toContain('>91<')
    // Anything but an explicit "show" hides it again.
    expect((await save('full', 'whatever')).statusCode).toBe(303)
    pub = await look()
    expect(pub).toContain('Rina Kurnia Dewi')
    expect(pub).not.toContain('>91<')
    expect((await save('initials', 'hide')).statusCode).toBe(303)
    expect(await look()).not.toContain('Rina')
    const events = await t.database.db.selectFrom('purchase_events').select(['kind', 'details']).where('purchase_id', '=', p.id).where('kind', '=', 'consent_changed').orderBy('id').execute()
    expect(events.map((e) => (e.details as { new: { showFullName: boolean; showGrade: boolean } }).new)).toEqual([
      { showFullName: true, showGrade: true },
      { showFullName: true, showGrade: false },
      { showFullName: false, showGrade: false },
    ])
    const audit = await t.database.db.selectFrom('audit_log').select(['actor_id', 'subject_id']).where('action', '=', 'learning.certificate.consent').execute()
    expect(audit.filter((a) => a.subject_id === number).map((a) => a.actor_id)).toEqual([who.id, who.id, who.id])

    // Someone else's purchase: not found, nothing changed.
    const other = await newParticipant(t, clock, 'Orang Lain')
    const otherEmail = (await t.database.db.selectFrom('accounts').select('email').where('id', '=', other.id).executeTakeFirstOrThrow()).email!
    const stranger = await logIn(otherEmail)
    expect((await stranger.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/sertifikat`, headers: html })).statusCode).toBe(404)
    const sCsrf = await stranger.csrfFrom('/pelatihan-saya')
    const theirs = await stranger.request({ method: 'POST', url: `/pelatihan-saya/${p.id}/sertifikat`, headers: form, payload: new URLSearchParams({ _csrf: sCsrf, name: 'full', grade: 'show' }).toString() })
    expect(theirs.statusCode).toBe(404)
    expect(await look()).not.toContain('Rina')
    expect((await stranger.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/sertifikat.pdf` })).statusCode).toBe(404)

    // Not valid: one wrong character, a made-up number, garbage; the same answer for each, nothing about the real one.
    const last = number.at(-1)!
    for (const bad of [number.slice(0, -1) + (last === '0' ? '1' : '0'), 'KRY-0000-0000-0000', 'KRY-<b>x</b>', number.replace('KRY', 'KRX')]) {
      const res = await employer.request({ method: 'GET', url: `/sertifikat/${encodeURIComponent(bad)}`, headers: html })
      expect(res.statusCode, bad).toBe(404)
      expect(res.body).toContain('Sertifikat tidak valid / not valid')
      expect(res.body).toContain('Not valid / tidak valid')
      expect(res.body).not.toContain('Beternak')
      expect(res.body).not.toContain('R. K. D.')
      // What was typed comes back only as the search box's value (an attribute, where "<" is inert).
      expect(res.body.split('<b>x</b>').length - 1).toBe(bad.includes('<b>') ? 1 : 0)
    }
  })
})
