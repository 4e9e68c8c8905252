/** Integrity signals from existing data, their drill-downs, and PMO's audited decisions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { participant } from '../waves/testing.ts'

let t: TestApp
let pmo: Browser
let auditor: Browser
let failedAccount: string
const html = { accept: 'text/html' }
const form = { 'content-type': 'application/x-www-form-urlencoded' }

beforeAll(async () => {
  t = await startTestApp()
  const db = t.deps.database.db
  failedAccount = (await participant(db, t.deps.identity, { checks: 'failed' })).accountId
  await db
    .insertInto('fraud_signals')
    .values({ kind: 'email_not_me', account_id: null, details: JSON.stringify({ email: 'korban@contoh.id', outcome: 'cancelled' }), ip: '10.1.2.3', created_at: new Date() })
    .execute()
  pmo = await loggedIn(t.app, 'pmo_admin', db)
  auditor = await loggedIn(t.app, 'auditor', db)
})
afterAll(async () => t?.close())

const audits = (action: string) => t.deps.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', action).execute()

describe('integrity signals', () => {
  it('lists the signals computed from existing data, each linking to its drill-down, and audits the view', async () => {
    const res = await pmo.request({ method: 'GET', url: '/pmo/integritas', headers: html })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('href="/pmo/integritas/not_me/korban%40contoh.id"')
    expect(res.body).toContain(`href="/pmo/integritas/nik_registry/${failedAccount}"`)
    expect(res.body).toContain('nik_not_found')
    expect(await audits('integrity.viewed')).toHaveLength(1)
  })

  it('shows the rows behind a signal, and PMO decides with a reason, stored and audited', async () => {
    const url = `/pmo/integritas/nik_registry/${failedAccount}`
    const detail = await pmo.request({ method: 'GET', url, headers: html })
    expect(detail.statusCode).toBe(200)
    expect(detail.body).toContain('nik_not_found')
    const token = await pmo.csrfFrom(url)
    const noReason = await pmo.request({ method: 'POST', url, headers: { ...html, ...form }, payload: new URLSearchParams({ _csrf: token, action: 'freeze', note: ' ' }).toString() })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('href="#note"')
    const saved = await pmo.request({ method: 'POST', url, headers: { ...html, ...form }, payload: new URLSearchParams({ _csrf: token, action: 'freeze', note: 'NIK tidak dikenal tiga kali' }).toString() })
    expect(saved.statusCode).toBe(303)
    const rows = await t.deps.database.db.selectFrom('integrity_actions').selectAll().execute()
    expect(rows).toMatchObject([{ signal_kind: 'nik_registry', subject: failedAccount, action: 'freeze', note: 'NIK tidak dikenal tiga kali' }])
    expect(await audits('integrity.freeze')).toEqual([{ action: 'integrity.freeze', subject_id: `nik_registry:${failedAccount}` }])
    const list = await pmo.request({ method: 'GET', url: '/pmo/integritas', headers: html })
    expect(list.body).toContain('<td>Bekukan</td>')
  })

  it('lets the auditor read a drill-down without the decision form, and refuses a decision', async () => {
    const url = '/pmo/integritas/not_me/korban%40contoh.id'
    const page = await auditor.request({ method: 'GET', url, headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('10.1.2.3')
    expect(page.body).not.toContain('name="action"')
    const token = await auditor.csrfFrom(url)
    const post = await auditor.request({ method: 'POST', url, headers: form, payload: new URLSearchParams({ _csrf: token, action: 'clear', note: 'x' }).toString() })
    expect(post.statusCode).toBe(403)
    expect((await pmo.request({ method: 'GET', url: '/pmo/integritas/unknown/x', headers: html })).statusCode).toBe(404)
  })
})
