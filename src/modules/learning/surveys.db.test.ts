import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { partnersAndCourses, testWave, type Fixture } from '../purchases/testing.ts'
import { hashPassword } from '../accounts/index.ts'
import { DEMO_PASSWORD } from '../../demo/seed.ts'
import { surveysAnsweredBy } from './index.ts'
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
const json = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }
const answers = { relevance: '5', quality: '4', delivery: '4', usefulness: '5', recommend: '5', comment: 'Praktik kandang sangat membantu.' }

async function logIn(accountId: string) {
  const b = new Browser(t.app)
  const a = await t.database.db.updateTable('accounts').set({ password_hash: await hashPassword(DEMO_PASSWORD), phone: null }).where('id', '=', accountId).returning('email').executeTakeFirstOrThrow()
  expect((await b.login(a.email!)).statusCode).toBe(303)
  return b
}

describe('evaluation surveys', () => {
  it('open after completion, once per course and survey, on the timeline, and listed for the incentive', async () => {
    const who = await newParticipant(t, clock, 'Dewi Lestari')
    const p = await attended(t, clock, f, waveId, who, BASE)
    const me = await logIn(who.id)
    const csrf = await me.csrfFrom('/pelatihan-saya')
    const post = (survey: string, body: Record<string, string>, headers = json) => me.request({ method: 'POST', url: `/pelatihan-saya/${p.id}/survei/${survey}`, headers, payload: new URLSearchParams({ _csrf: csrf, ...body }).toString() })

    // Before the certificate: not open.
    expect((await me.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/survei`, headers: html })).body).toContain('Survei dibuka setelah pelatihan ini terverifikasi selesai')
    expect((await post('evaluasi-pelatihan-v1', answers)).json().error.code).toBe('COURSE_NOT_COMPLETED')
    expect((await me.request({ method: 'GET', url: '/pelatihan-saya', headers: html })).body).not.toContain('Isi survei')

    expect((await reportCompletion(t, clock, p.voucher, clock.now())).outcome).toBe('completed')
    const mine = (await me.request({ method: 'GET', url: '/pelatihan-saya', headers: html })).body
    expect(mine).toContain('Isi survei evaluasi')
    expect(mine).toContain('wajib sebelum insentif')
    const list = (await me.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/survei`, headers: html })).body
    expect(list).toContain('href="/pelatihan-saya/' + p.id + '/survei/evaluasi-pelatihan-v1"')
    // Her first completed course: the post-programme survey is offered too.
    expect(list).toContain('href="/pelatihan-saya/' + p.id + '/survei/pasca-program-v1"')
    const cert = (await me.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/sertifikat`, headers: html })).body
    expect(cert).toContain('Isi survei: Survei evaluasi pelatihan')
    expect(cert).toContain('Beri ulasan pelatihan: wajib sebelum insentif dibayarkan')

    const bad = await post('evaluasi-pelatihan-v1', { ...answers, relevance: '9', quality: '' }, form)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#relevance"')
    expect(bad.body).toContain('href="#quality"')
    expect(bad.body).toContain('id="relevance"')
    expect(bad.body).toContain('Praktik kandang sangat membantu.')

    const ok = await post('evaluasi-pelatihan-v1', answers, form)
    expect(ok.statusCode).toBe(303)
    const again = await post('evaluasi-pelatihan-v1', { ...answers, relevance: '1' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('SURVEY_ALREADY_ANSWERED')
    expect((await me.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/survei/evaluasi-pelatihan-v1`, headers: html })).statusCode).toBe(303)
    expect((await post('pasca-program-v1', { work: 'business', skills: '4', chances: '3' }, form)).statusCode).toBe(303)
    expect((await post('tidak-ada', answers)).statusCode).toBe(404)

    const paid = await surveysAnsweredBy(t.database.db, who.id)
    expect(paid.map((s) => [s.surveyId, s.purchaseId])).toEqual([
      ['evaluasi-pelatihan-v1', p.id],
      ['pasca-program-v1', p.id],
    ])
    const stored = await t.database.db.selectFrom('survey_responses').select('answers').where('survey_id', '=', 'evaluasi-pelatihan-v1').where('purchase_id', '=', p.id).executeTakeFirstOrThrow()
    expect(stored.answers).toEqual({ relevance: 5, quality: 4, delivery: 4, usefulness: 5, recommend: 5, comment: 'Praktik kandang sangat membantu.' })
    const kinds = (await t.database.db.selectFrom('purchase_events').select('kind').where('purchase_id', '=', p.id).execute()).map((e) => e.kind)
    expect(kinds.filter((k) => k === 'survey_answered')).toHaveLength(2)
    const after = (await me.request({ method: 'GET', url: '/pelatihan-saya', headers: html })).body
    expect(after).toContain('Survei yang sudah Anda isi: 2')
    expect(after).toContain('Anda mengisi survei evaluasi')
    await expect(t.database.db.updateTable('survey_responses').set({ answered_at: clock.now() }).where('purchase_id', '=', p.id).execute()).rejects.toThrow(/append-only/)

    // Someone else cannot answer for her course, nor see its surveys.
    const other = await newParticipant(t, clock, 'Orang Lain')
    const stranger = await logIn(other.id)
    const sCsrf = await stranger.csrfFrom('/pelatihan-saya')
    const theirs = await stranger.request({ method: 'POST', url: `/pelatihan-saya/${p.id}/survei/pasca-program-v1`, headers: json, payload: new URLSearchParams({ _csrf: sCsrf, work: 'looking', skills: '1', chances: '1' }).toString() })
    expect(theirs.statusCode).toBe(404)
    expect((await stranger.request({ method: 'GET', url: `/pelatihan-saya/${p.id}/survei`, headers: html })).statusCode).toBe(404)
    expect(await surveysAnsweredBy(t.database.db, other.id)).toEqual([])
  })
})
