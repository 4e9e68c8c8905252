/** PMO sees the checks that ran out of retries and can run them again; the re-run is audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, Browser, type TestApp } from '../../../test/app.ts'
import { generatePeople } from '../../sandboxes/population/index.ts'
import { ageOn } from './age.ts'
import { todayInJakarta } from './dates.ts'
import { appendCheck } from './checks.repository.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
async function post(b: Browser, url: string, fields: Record<string, string>, from: string) {
  const token = await b.csrfFrom(from)
  return b.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}

describe('checks waiting for staff', () => {
  it('lists a check that gave up and queues a new round on request', async () => {
    const p = [...generatePeople({ seed: 3, size: 300 })].find((x) => { const a = ageOn(x.dateOfBirth, todayInJakarta()); return a >= 20 && a <= 60 })!
    const b = await loggedIn(t.app, 'participant', t.database.db)
    await post(b, '/profil/identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex }, '/profil/identitas')
    await post(b, '/profil/keluarga', { kk: p.kk }, '/profil/keluarga')
    await post(b, '/profil/alamat', { fullName: p.fullName, addressLine: p.address.line, rt: p.address.rt, rw: p.address.rw, provinceCode: p.address.provinceCode, regencyCode: p.address.regencyCode, districtCode: p.address.districtCode }, '/profil/alamat')
    await post(b, '/profil/pendidikan', { education: 'sma', employmentStatus: 'phk', inFormalEducation: 'tidak' }, '/profil/pendidikan')
    const queued = await t.database.db.selectFrom('registration_checks').select(['account_id', 'round']).where('kind', '=', 'civil_registry').executeTakeFirstOrThrow()
    await appendCheck(t.database.db, { account_id: queued.account_id, round: queued.round, kind: 'civil_registry', attempt: 11, outcome: 'gave_up', details: { registry: 'civil_registry', problem: 'outage' }, at: new Date() })

    const pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const page = await pmo.request({ method: 'GET', url: '/pmo/pemeriksaan', headers: { accept: 'text/html' } })
    expect(page.body).toContain(queued.account_id.slice(0, 8))
    expect(page.body).toContain('Dukcapil')

    const rerun = await post(pmo, `/pmo/pemeriksaan/${queued.account_id}/ulang`, {}, '/pmo/pemeriksaan')
    expect(rerun.headers.location).toBe('/pmo/pemeriksaan?ulang=1')
    const after = await pmo.request({ method: 'GET', url: '/pmo/pemeriksaan', headers: { accept: 'text/html' } })
    expect(after.body).toContain('Tidak ada pemeriksaan yang tertunda')
    const rounds = await t.database.db.selectFrom('registration_checks').select('round').where('account_id', '=', queued.account_id).where('outcome', '=', 'queued').execute()
    expect(new Set(rounds.map((r) => r.round)).size).toBe(2)
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'registration.checks_rerun').execute()
    expect(audit).toHaveLength(1)
  })
})
