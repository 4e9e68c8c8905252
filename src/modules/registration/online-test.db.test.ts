/** The online test over HTTP: resumable after a disconnect with answers and time kept, scored on the server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { generatePeople } from '../../sandboxes/population/index.ts'
import { ageOn } from './age.ts'
import { todayInJakarta } from './dates.ts'
import { MAX_GAP_MS } from './online-test.ts'

const clock = fixedClock(new Date())
let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ clock })
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
async function post(b: Browser, url: string, fields: Record<string, string>, from: string) {
  const token = await b.csrfFrom(from)
  return b.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}

async function completeProfile(b: Browser) {
  const p = [...generatePeople({ seed: 9, size: 300 })].find((x) => { const a = ageOn(x.dateOfBirth, todayInJakarta()); return a >= 20 && a <= 60 })!
  await post(b, '/profil/identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex }, '/profil/identitas')
  await post(b, '/profil/keluarga', { kk: p.kk }, '/profil/keluarga')
  await post(b, '/profil/alamat', { fullName: p.fullName, addressLine: p.address.line, rt: p.address.rt, rw: p.address.rw, provinceCode: p.address.provinceCode, regencyCode: p.address.regencyCode, districtCode: p.address.districtCode }, '/profil/alamat')
  const last = await post(b, '/profil/pendidikan', { education: 'sma', employmentStatus: 'phk', inFormalEducation: 'tidak' }, '/profil/pendidikan')
  expect(last.headers.location).toBe('/profil?tersimpan=1')
}

describe('online test', () => {
  it('waits for a complete profile, keeps answers and time across a disconnect, and scores on the server', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    expect((await b.request({ method: 'GET', url: '/tes', headers: { accept: 'text/html' } })).body).toContain('Lengkapi data diri')
    await completeProfile(b)

    expect((await post(b, '/tes/mulai', {}, '/tes')).headers.location).toBe('/tes/soal/1')
    const attempt = await t.database.db.selectFrom('test_attempts').selectAll().executeTakeFirstOrThrow()
    const items = await t.database.db.selectFrom('test_items').select(['id', 'kind', 'correct_option']).where('id', 'in', attempt.item_ids).execute()
    const byId = new Map(items.map((i) => [i.id, i]))

    // Answer the first three correctly (motivation: any answer), a minute each.
    for (let n = 1; n <= 3; n++) {
      clock.advance(60_000)
      const item = byId.get(attempt.item_ids[n - 1]!)!
      const res = await post(b, `/tes/soal/${n}`, { choice: String(item.correct_option ?? 3) }, `/tes/soal/${n}`)
      expect(res.headers.location).toBe(`/tes/soal/${n + 1}`)
    }
    // The connection drops for an hour: only the cap is counted, the answers are still there.
    clock.advance(3_600_000)
    const back = await b.request({ method: 'GET', url: '/tes', headers: { accept: 'text/html' } })
    expect(back.body).toMatch(/3 dari 12 terjawab/)
    const page = await b.request({ method: 'GET', url: '/tes/soal/2', headers: { accept: 'text/html' } })
    expect(page.body).toMatch(/value="\d" checked/)
    const used = (await t.database.db.selectFrom('test_attempts').select('time_used_ms').executeTakeFirstOrThrow()).time_used_ms
    expect(used).toBeLessThanOrEqual(4 * 60_000 + MAX_GAP_MS + 1000)

    // An answer outside the options is refused, not stored.
    const refused = await post(b, '/tes/soal/4', { choice: '9' }, '/tes/soal/4')
    expect(refused.statusCode).toBe(400)
    // The question stays on screen with the message beside it, not a bare error page.
    expect(refused.body).toContain('Soal 4 dari 12')
    expect(refused.body).toContain('href="#choice"')
    expect(refused.body).toContain('Pilih salah satu jawaban')

    // The rest: ability questions answered wrong.
    for (let n = 4; n <= 12; n++) {
      const item = byId.get(attempt.item_ids[n - 1]!)!
      const wrong = item.kind === 'motivation' ? 0 : (item.correct_option! + 1) % 4
      await post(b, `/tes/soal/${n}`, { choice: String(wrong) }, `/tes/soal/${n}`)
    }
    const done = await t.database.db.selectFrom('test_attempts').selectAll().executeTakeFirstOrThrow()
    const abilityInFirstThree = attempt.item_ids.slice(0, 3).filter((id) => byId.get(id)!.kind !== 'motivation').length
    expect(done.submitted_at).toBeInstanceOf(Date)
    expect(done.ability_total).toBe(8)
    expect(done.ability_correct).toBe(abilityInFirstThree)
    expect(done.passed).toBe(false)
    expect((await b.request({ method: 'GET', url: '/tes', headers: { accept: 'text/html' } })).body).toContain('Belum lulus tes daring')
  })

  it('submits what is saved when the time runs out', async () => {
    await t.database.db.deleteFrom('test_answers').execute()
    await t.database.db.deleteFrom('test_attempts').execute()
    const b = await loggedIn(t.app, 'participant', t.database.db)
    await post(b, '/tes/mulai', {}, '/tes')
    for (let i = 0; i < 30; i++) {
      clock.advance(MAX_GAP_MS)
      const r = await b.request({ method: 'GET', url: '/tes/soal/1', headers: { accept: 'text/html' } })
      if (r.statusCode === 303) {
        expect(r.headers.location).toBe('/tes?habis=1')
        break
      }
    }
    const a = await t.database.db.selectFrom('test_attempts').selectAll().executeTakeFirstOrThrow()
    expect(a.submitted_at).toBeInstanceOf(Date)
    expect(a.time_used_ms).toBeGreaterThanOrEqual(40 * 60_000)
  })
})
