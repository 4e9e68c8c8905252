/**
 * Walks every registered route and proves it refuses an anonymous caller and a caller in
 * a wrong role, so no route can ship without its authorisation check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, Browser, type TestApp } from '../../../test/app.ts'
import { ROLES, type Role } from '../../modules/accounts/index.ts'
import { allows, isPartnerAccess } from './access.ts'

let t: TestApp
const browsers = new Map<Role, Browser>()

beforeAll(async () => {
  t = await startTestApp()
  for (const role of ROLES) browsers.set(role, await loggedIn(t.app, role, t.database.db))
})
afterAll(async () => t?.close())

function concreteUrl(url: string): string {
  return url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000').replace(/:locale\b/g, 'en').replace(/:(\w+)/g, 'x').replace(/\*$/, 'x')
}

describe('every route has an authorisation decision', () => {
  it('registers the routes this test walks', () => {
    const protectedRoutes = t.routes.filter((r) => r.access !== 'public')
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(8)
    expect(t.routes.some((r) => r.url === '/pmo/audit')).toBe(true)
  })

  it('refuses an anonymous caller on every non-public route', async () => {
    const anonymous = t.routes.filter((r) => r.access !== 'public' && !isPartnerAccess(r.access) && r.method !== 'HEAD')
    for (const r of anonymous) {
      const res = await t.app.inject({ method: r.method as 'GET', url: concreteUrl(r.url), headers: { accept: 'application/json' } })
      expect([401], `${r.method} ${r.url}`).toContain(res.statusCode)
      expect(res.json().error.code).toBe('UNAUTHENTICATED')
    }
  })

  it('sends an anonymous browser to the login page, remembering where it was going', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/pmo/audit', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/masuk?next=%2Fpmo%2Faudit')
  })

  it('refuses every role the route does not allow, and lets the allowed ones past the check', async () => {
    let refusals = 0
    // Logging out ends the session the rest of the walk uses, so it comes last.
    const walk = t.routes.filter((x) => x.access !== 'public' && !isPartnerAccess(x.access) && x.method !== 'HEAD').sort((a, b) => Number(a.url === '/keluar') - Number(b.url === '/keluar'))
    for (const r of walk) {
      for (const role of ROLES) {
        const unsafe = r.method !== 'GET'
        if (allows(r.access, role)) {
          const b = browsers.get(role)!
          const headers: Record<string, string> = { accept: 'application/json' }
          if (unsafe) headers['x-csrf-token'] = await b.csrfFrom('/')
          const res = await b.request({ method: r.method as 'GET', url: concreteUrl(r.url), headers })
          expect([401, 403], `${role} ${r.method} ${r.url}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode)
        } else {
          const res = await browsers.get(role)!.request({ method: r.method as 'GET', url: concreteUrl(r.url), headers: { accept: 'application/json' } })
          expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403)
          expect(res.json().error.code).toBe('FORBIDDEN')
          refusals++
        }
      }
    }
    expect(refusals).toBeGreaterThan(10)
  })

  it('refuses every unsigned call to a partner route, whoever is logged in', async () => {
    const partnerRoutes = t.routes.filter((r) => isPartnerAccess(r.access) && r.method !== 'HEAD')
    expect(partnerRoutes.length).toBeGreaterThanOrEqual(1)
    for (const r of partnerRoutes) {
      expect(r.csrf, `${r.method} ${r.url}`).toBe(false)
      const callers = [new Browser(t.app), ...browsers.values()]
      for (const b of callers) {
        const res = await b.request({ method: r.method as 'GET', url: concreteUrl(r.url), headers: { accept: 'application/json', 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { payload: '{}' }) })
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401)
        expect(res.json().error.code).toBe('PARTNER_SIGNATURE_MISSING')
      }
    }
  })
})
