/** The PMO audit page: chain checks run as a job on request, and their result is shown. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, loggedIn, type TestApp } from '../../../test/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ runWorkers: true })
})
afterAll(async () => t?.close())

describe('audit page', () => {
  it('shows the chain unchecked, runs a check on request and shows it intact', async () => {
    const pmo = await loggedIn(t.app, 'pmo_admin')
    const before = await pmo.request({ method: 'GET', url: '/pmo/audit', headers: { accept: 'text/html' } })
    expect(before.statusCode).toBe(200)
    expect(before.body).toContain('belum pernah diperiksa')
    expect(before.body).toContain('auth.login')

    const token = await pmo.csrfFrom('/pmo/audit')
    const ask = await pmo.request({
      method: 'POST',
      url: '/pmo/audit/periksa',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    })
    expect(ask.statusCode).toBe(303)
    await t.deps.jobs.waitIdle(30_000)

    const after = await pmo.request({ method: 'GET', url: '/pmo/audit', headers: { accept: 'text/html' } })
    expect(after.body).toMatch(/Utuh: \d+ entri diperiksa/)
    expect(after.body).toContain('audit.verify_requested')
  })

  it('reports a tampered entry as broken on the next check', async () => {
    const db = t.database.db
    await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db)
    await sql`update audit_log set action = 'auth.logout' where seq = 1`.execute(db)
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db)

    const auditor = await loggedIn(t.app, 'auditor')
    const token = await auditor.csrfFrom('/pmo/audit')
    await auditor.request({
      method: 'POST',
      url: '/pmo/audit/periksa',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    })
    await t.deps.jobs.waitIdle(30_000)
    const page = await auditor.request({ method: 'GET', url: '/pmo/audit', headers: { accept: 'text/html' } })
    expect(page.body).toContain('RUSAK')
    expect(page.body).toContain('#1 hash_mismatch')
  })
})
