import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ seed: false })
})
afterAll(async () => t?.close())

describe('health, readiness, metrics and API docs', () => {
  it('answers /health', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('is ready once the database answers and every migration is applied', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ready' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ready', database: t.database.kind, pendingMigrations: [] })
  })

  it('is not ready when a migration has not been applied', async () => {
    const last = await t.database.db.selectFrom('kysely_migration' as never).select(sql<string>`name`.as('name')).orderBy(sql`name`, 'desc').limit(1).executeTakeFirstOrThrow()
    await sql`delete from kysely_migration where name = ${last.name}`.execute(t.database.db)
    try {
      const res = await t.app.inject({ method: 'GET', url: '/ready' })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ status: 'not_ready', reason: 'migrations pending', pendingMigrations: [last.name] })
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${last.name}, ${new Date().toISOString()})`.execute(t.database.db)
    }
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200)
  })

  it('exposes Prometheus metrics including request durations by route', async () => {
    await t.app.inject({ method: 'GET', url: '/health' })
    const res = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('karya_http_request_duration_seconds_bucket')
    expect(res.body).toMatch(/route="\/health"/)
    expect(res.body).toContain('process_cpu_user_seconds_total')
  })

  it('serves an OpenAPI 3 document and its browsable docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/api/v1/me/inbox']))
    expect(Object.keys(doc.paths)).not.toContain('/masuk')
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(ui.statusCode).toBe(200)
    expect(ui.body).toContain('swagger')
  })

  it('asks for the bearer token on /metrics once METRICS_TOKEN is set', async () => {
    const token = 'scraper-token-0123456789abcdef'
    const guarded = await startTestApp({ seed: false, env: { METRICS_TOKEN: token } })
    try {
      const refused = await guarded.app.inject({ method: 'GET', url: '/metrics' })
      expect(refused.statusCode).toBe(401)
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer/)
      expect(refused.body).not.toContain('karya_http_request_duration_seconds')
      const ok = await guarded.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })
      expect(ok.statusCode).toBe(200)
      expect(ok.body).toContain('karya_http_request_duration_seconds')
    } finally {
      await guarded.close()
    }
  })
})
