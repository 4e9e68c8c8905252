/** Malformed, oversized, mistyped and forged requests get a clear coded answer, never a 500 or a stack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, Browser, type TestApp } from '../../../test/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ env: { BODY_LIMIT_BYTES: '4096' } })
})
afterAll(async () => t?.close())

function expectCleanError(res: { statusCode: number; body: string }, status: number, code: string) {
  expect(res.statusCode).toBe(status)
  expect(res.body).not.toMatch(/at .*\.ts:\d+|node_modules|stack/i)
  const body = JSON.parse(res.body)
  expect(body.error.code).toBe(code)
  expect(body.error.messages.id.length).toBeGreaterThan(10)
  expect(body.error.messages.en.length).toBeGreaterThan(10)
  expect(body.error.requestId).toMatch(/.{8,}/)
}

describe('bad input', () => {
  it('answers an unknown route with NOT_FOUND as JSON for APIs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
    expectCleanError(res, 404, 'NOT_FOUND')
    expect(res.headers['x-request-id']).toBe(JSON.parse(res.body).error.requestId)
  })

  it('answers an unknown page with an error page in Bahasa Indonesia carrying the code and request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/tidak-ada', headers: { accept: 'text/html' } })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('NOT_FOUND')
    expect(res.body).toContain(String(res.headers['x-request-id']))
    expect(res.body).toContain('<html lang="id">')
  })

  it('answers in English once the person chose English', async () => {
    const b = new Browser(t.app)
    await b.request({ method: 'GET', url: '/lang/en?next=/' })
    const res = await b.request({ method: 'GET', url: '/tidak-ada', headers: { accept: 'text/html' } })
    expect(res.body).toContain('<html lang="en">')
    expect(res.body).toContain('does not exist')
  })

  it('refuses a malformed JSON body', async () => {
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const token = await b.csrfFrom('/')
    const res = await b.request({
      method: 'POST',
      url: '/keluar',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      payload: '{"oops": ',
    })
    expectCleanError(res, 400, 'MALFORMED_REQUEST')
  })

  it('refuses an oversized body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/masuk',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: 'email=' + 'a'.repeat(10_000),
    })
    expectCleanError(res, 413, 'PAYLOAD_TOO_LARGE')
  })

  it('refuses a content type it does not speak', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/masuk',
      headers: { 'content-type': 'application/x-unknown', accept: 'application/json' },
      payload: 'hello',
    })
    expectCleanError(res, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('refuses a form without its CSRF token, and one with a forged token', async () => {
    const b = new Browser(t.app)
    await b.csrfFrom('/masuk')
    const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
    const missing = await b.request({ method: 'POST', url: '/masuk', headers: form, payload: 'email=a%40b.c&password=x' })
    expectCleanError(missing, 403, 'CSRF_INVALID')
    const forged = await b.request({ method: 'POST', url: '/masuk', headers: form, payload: 'email=a%40b.c&password=x&_csrf=forged' })
    expectCleanError(forged, 403, 'CSRF_INVALID')
  })

  it('shows a browser the CSRF refusal as a page that says to reload', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/masuk',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'email=a%40b.c&password=x',
    })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('CSRF_INVALID')
    expect(res.body).toContain('Muat ulang')
  })

  it('refuses a form that fails its schema with the field named', async () => {
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/masuk')
    const res = await b.request({
      method: 'POST',
      url: '/masuk',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: new URLSearchParams({ _csrf: token, email: 'x@y.z' }).toString(),
    })
    expectCleanError(res, 400, 'VALIDATION_FAILED')
    expect(JSON.parse(res.body).error.fields[0].field).toBe('password')
  })

  it('keeps the typed e-mail and explains a wrong password', async () => {
    const b = new Browser(t.app)
    const res = await b.login('peserta@karya.test', 'wrong-password')
    expect(res.statusCode).toBe(401)
    expect(res.body).toContain('value="peserta@karya.test"')
    expect(res.body).toContain('E-mail atau kata sandi salah')
    expect(res.body).not.toContain('wrong-password')
  })

  it('does not follow a post-login redirect to another site', async () => {
    const b = new Browser(t.app)
    const token = await b.csrfFrom('/masuk')
    const res = await b.request({
      method: 'POST',
      url: '/masuk',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: token, email: 'agen@karya.test', password: 'karya-demo-2026', next: '//evil.example/' }).toString(),
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/staf')
  })

  it('sends security headers on every answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' })
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBeDefined()
  })
})
