/** Staff and partners: staff accounts listed, searched and filtered, created with a role and a regency for officers, disabled and enabled, all audited; auditors read only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmail, loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'

let t: TestApp
let pmo: Browser
let auditor: Browser
const html = { accept: 'text/html' }
const form = { 'content-type': 'application/x-www-form-urlencoded' }

beforeAll(async () => {
  t = await startTestApp()
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
  auditor = await loggedIn(t.app, 'auditor', t.database.db)
})
afterAll(async () => t?.close())

async function post(b: Browser, url: string, fields: Record<string, string>) {
  const token = await b.csrfFrom('/pmo/staf')
  return b.request({ method: 'POST', url, headers: { ...html, ...form }, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}
const account = (email: string) => t.database.db.selectFrom('accounts').select(['id', 'role', 'region_code', 'status', 'password_hash']).where('email', '=', email).executeTakeFirstOrThrow()
const audits = (action: string) => t.database.db.selectFrom('audit_log').select(['subject_id', 'details']).where('action', '=', action).execute()

describe('staff accounts', () => {
  it('lists staff with their roles, filters by role and searches by name or e-mail; partners and audit log linked', async () => {
    const all = await pmo.request({ method: 'GET', url: '/pmo/staf', headers: html })
    expect(all.statusCode).toBe(200)
    expect(all.body).toContain(demoEmail('officer'))
    expect(all.body).toContain(demoEmail('auditor'))
    expect(all.body).not.toContain(demoEmail('participant'))
    expect(all.body).toContain('href="/pmo/mitra"')
    expect(all.body).toContain('href="/pmo/audit"')
    const officers = await pmo.request({ method: 'GET', url: '/pmo/staf?peran=officer', headers: html })
    expect(officers.body).toContain(demoEmail('officer'))
    expect(officers.body).not.toContain(demoEmail('auditor'))
    const search = await pmo.request({ method: 'GET', url: `/pmo/staf?q=${encodeURIComponent(demoEmail('auditor').slice(0, 6).toUpperCase())}`, headers: html })
    expect(search.body).toContain(demoEmail('auditor'))
    expect(search.body).not.toContain(demoEmail('officer'))
  })

  it('creates an officer only with a regency, and refuses an e-mail already in use', async () => {
    const noRegency = await post(pmo, '/pmo/staf', { name: 'Petugas Baru', email: 'petugas.baru@karya.test', role: 'officer', regency: '' })
    expect(noRegency.statusCode).toBe(400)
    expect(noRegency.body).toContain('href="#regency"')
    const ok = await post(pmo, '/pmo/staf', { name: 'Petugas Baru', email: 'petugas.baru@karya.test', role: 'officer', regency: '32.73' })
    expect(ok.statusCode).toBe(303)
    const created = await account('petugas.baru@karya.test')
    expect(created).toMatchObject({ role: 'officer', region_code: '32.73', status: 'active', password_hash: null })
    expect(await audits('staff.created')).toMatchObject([{ subject_id: created.id, details: { role: 'officer', regionCode: '32.73' } }])
    const again = await post(pmo, '/pmo/staf', { name: 'Orang Lain', email: 'Petugas.Baru@karya.test', role: 'agent', regency: '' })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('sudah dipakai')
    const regionForAgent = await post(pmo, '/pmo/staf', { name: 'Agen', email: 'agen.baru@karya.test', role: 'agent', regency: '32.73' })
    expect(regionForAgent.statusCode).toBe(400)
  })

  it('disables a staff account (its sessions end, log-in refused) and enables it again, audited', async () => {
    const officer = await loggedIn(t.app, 'officer', t.database.db)
    const id = (await account(demoEmail('officer'))).id
    expect((await post(pmo, `/pmo/staf/${id}/status`, { enabled: '0' })).statusCode).toBe(303)
    expect((await account(demoEmail('officer'))).status).toBe('closed')
    expect((await officer.request({ method: 'GET', url: '/pmo/ringkasan', headers: html })).statusCode).not.toBe(200)
    expect((await officer.login(demoEmail('officer'))).statusCode).toBe(401)
    expect((await post(pmo, `/pmo/staf/${id}/status`, { enabled: '1' })).statusCode).toBe(303)
    expect((await account(demoEmail('officer'))).status).toBe('active')
    const back = await loggedIn(t.app, 'officer', t.database.db)
    expect((await back.request({ method: 'GET', url: '/pmo/ringkasan', headers: html })).statusCode).toBe(200)
    expect((await audits('staff.disabled')).map((a) => a.subject_id)).toEqual([id])
    expect((await audits('staff.enabled')).map((a) => a.subject_id)).toEqual([id])
    // Not one's own account, and not a participant's.
    const self = (await account(demoEmail('pmo_admin'))).id
    expect((await post(pmo, `/pmo/staf/${self}/status`, { enabled: '0' })).statusCode).toBe(400)
    const participant = (await account(demoEmail('participant'))).id
    expect((await post(pmo, `/pmo/staf/${participant}/status`, { enabled: '0' })).statusCode).toBe(404)
  })

  it('lets the auditor read the list without forms, and refuses the auditor’s changes', async () => {
    const page = await auditor.request({ method: 'GET', url: '/pmo/staf', headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(demoEmail('officer'))
    expect(page.body).not.toContain('method="post" action="/pmo/staf"')
    const token = await auditor.csrfFrom('/pmo/mitra')
    const refused = await auditor.request({ method: 'POST', url: '/pmo/staf', headers: form, payload: new URLSearchParams({ _csrf: token, name: 'X Y', email: 'x@karya.test', role: 'agent' }).toString() })
    expect(refused.statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: '/pmo/staf', headers: html })).statusCode).toBe(303)
  })
})
