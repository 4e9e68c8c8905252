import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type TestApp, type Browser } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { legacyHeaders, v1Headers } from './signature.ts'
import { ensurePartnerWithSecret, purgeNonces, ROTATION_GRACE_MS } from './partners.service.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let pmo: Browser

beforeAll(async () => {
  t = await startTestApp({ clock })
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
})
afterAll(async () => t?.close())

const deps = () => ({ db: t.database.db, clock, identity: t.deps.identity })

async function call(headers: Record<string, string>, url = '/api/v1/partner/me') {
  return t.app.inject({ method: 'GET', url, headers: { accept: 'application/json', ...headers } })
}

function signed(client: string, secret: string, url = '/api/v1/partner/me', nonce?: string) {
  return v1Headers(client, secret, { method: 'GET', path: url, rawBody: '' }, clock.now(), nonce)
}

async function createThroughPage(form: Record<string, string>) {
  const token = await pmo.csrfFrom('/pmo/mitra')
  return pmo.request({
    method: 'POST',
    url: '/pmo/mitra',
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, ...form }).toString(),
  })
}

function secretFrom(html: string): { client: string; secret: string } {
  const codes = [...html.matchAll(/<code[^>]*>([^<]+)<\/code>/g)].map((m) => m[1]!)
  const secret = /<code class="secret">([^<]+)<\/code>/.exec(html)?.[1]
  const client = codes.find((c) => /-[0-9a-f]{12}$/.test(c))
  if (!secret || !client) throw new Error('no secret on the page')
  return { client, secret }
}

describe('onboarding and signed calls', () => {
  let client = ''
  let secret = ''

  it('PMO adds a platform and sees its secret once; the action is audited', async () => {
    const res = await createThroughPage({ code: 'belajar-maju', name: 'Belajar Maju', kind: 'platform', contactEmail: 'tech@belajar.test', courseUrlTemplate: 'https://belajar.test/prakerja/{id}' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    ;({ client, secret } = secretFrom(res.body))
    const again = await pmo.request({ method: 'GET', url: '/pmo/mitra', headers: { accept: 'text/html' } })
    expect(again.body).toContain('belajar-maju')
    expect(again.body).not.toContain(secret)
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'partner.created').execute()
    expect(audit).toEqual([{ action: 'partner.created', subject_id: 'belajar-maju' }])
    const stored = await t.database.db.selectFrom('partner_credentials').select('secret_sealed').where('client_code', '=', client).executeTakeFirstOrThrow()
    expect(stored.secret_sealed).not.toContain(secret)
    const partner = await t.database.db.selectFrom('partners').select('course_url_template').where('code', '=', 'belajar-maju').executeTakeFirstOrThrow()
    expect(partner.course_url_template).toBe('https://belajar.test/prakerja/{id}')
  })

  it('refuses a bad code or kind with field messages, and a taken code', async () => {
    const bad = await createThroughPage({ code: 'Bad Code!', name: 'X', kind: 'bus', courseUrlTemplate: 'http://tanpa-id.test/' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('href="#courseUrlTemplate"')
    expect(bad.body).toContain('href="#code"')
    expect(bad.body).toContain('href="#kind"')
    const taken = await createThroughPage({ code: 'belajar-maju', name: 'Lain', kind: 'provider' })
    expect(taken.statusCode).toBe(400)
    expect(taken.body).toContain('sudah dipakai')
  })

  it('answers a correctly signed call, and tells the partner who it is', async () => {
    const res = await call(signed(client, secret))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ code: 'belajar-maju', kind: 'platform', clientCode: client, scheme: 'v1' })
  })

  it('refuses a missing, wrong, stale or replayed signature with distinct codes', async () => {
    expect((await call({})).json().error.code).toBe('PARTNER_SIGNATURE_MISSING')
    const wrong = await call(signed(client, secret + 'x'))
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('PARTNER_SIGNATURE_INVALID')
    const unknown = await call(signed('nobody-000000000000', secret))
    expect(unknown.json().error.code).toBe('PARTNER_SIGNATURE_INVALID')
    const old = v1Headers(client, secret, { method: 'GET', path: '/api/v1/partner/me', rawBody: '' }, new Date(clock.now().getTime() - 301_000))
    expect((await call(old)).json().error.code).toBe('PARTNER_TIMESTAMP_OUT_OF_WINDOW')
    const once = signed(client, secret, '/api/v1/partner/me', 'replay-nonce-000000001')
    expect((await call(once)).statusCode).toBe(200)
    const replay = await call(once)
    expect(replay.statusCode).toBe(409)
    expect(replay.json().error.code).toBe('PARTNER_NONCE_REUSED')
    // The query is signed too: the same headers on another URL fail.
    const moved = await call(signed(client, secret, '/api/v1/partner/me', 'moved-nonce-0000000001'), '/api/v1/partner/me?x=1')
    expect(moved.json().error.code).toBe('PARTNER_SIGNATURE_INVALID')
  })

  it('nonces of concurrent calls are written together: each fresh one passes once, a replay in the same batch or a later one is refused', async () => {
    const fresh = Array.from({ length: 10 }, (_, i) => signed(client, secret, '/api/v1/partner/me', `batch-nonce-${String(i).padStart(10, '0')}`))
    const twice = signed(client, secret, '/api/v1/partner/me', 'batch-nonce-twice-00001')
    const all = await Promise.all([...fresh, twice, twice, twice].map((h) => call(h)))
    expect(all.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(200))
    const same = all.slice(10).map((r) => (r.statusCode === 200 ? 'ok' : r.json().error.code)).sort()
    expect(same).toEqual(['PARTNER_NONCE_REUSED', 'PARTNER_NONCE_REUSED', 'ok'])
    expect((await call(fresh[3]!)).json().error.code).toBe('PARTNER_NONCE_REUSED')
    const stored = await t.database.db.selectFrom('partner_nonces').select('nonce').where('client_code', '=', client).where('nonce', 'like', 'batch-nonce-%').execute()
    expect(stored).toHaveLength(11)
  })

  it('does not let a browser session, even a partner’s, stand in for a signature', async () => {
    const platform = await loggedIn(t.app, 'platform', t.database.db)
    const res = await platform.request({ method: 'GET', url: '/api/v1/partner/me', headers: { accept: 'application/json' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('PARTNER_SIGNATURE_MISSING')
  })

  it('a suspended partner is refused until reinstated', async () => {
    const token = await pmo.csrfFrom('/pmo/mitra')
    const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
    await pmo.request({ method: 'POST', url: '/pmo/mitra/belajar-maju/tangguhkan', headers: form, payload: `_csrf=${token}` })
    const res = await call(signed(client, secret))
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('PARTNER_SUSPENDED')
    await pmo.request({ method: 'POST', url: '/pmo/mitra/belajar-maju/aktifkan', headers: form, payload: `_csrf=${token}` })
    expect((await call(signed(client, secret))).statusCode).toBe(200)
  })
})

describe('affiliations', () => {
  it('PMO records that a platform and a provider share owners; wrong kinds are refused; it is audited', async () => {
    await ensurePartnerWithSecret(deps(), { code: 'lp-saudara', kind: 'provider', name: 'LP Saudara', clientCode: 'lp-saudara-key', secret: 's' })
    const token = await pmo.csrfFrom('/pmo/mitra')
    const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
    const wrong = await pmo.request({ method: 'POST', url: '/pmo/mitra/afiliasi', headers: form, payload: new URLSearchParams({ _csrf: token, platformCode: 'lp-saudara', providerCode: 'belajar-maju', note: 'x' }).toString() })
    expect(wrong.statusCode).toBe(400)
    for (const f of ['platformCode', 'providerCode', 'note']) expect(wrong.body).toContain(`href="#${f}"`)
    const ok = await pmo.request({ method: 'POST', url: '/pmo/mitra/afiliasi', headers: form, payload: new URLSearchParams({ _csrf: token, platformCode: 'belajar-maju', providerCode: 'lp-saudara', note: 'pemilik yang sama' }).toString() })
    expect(ok.statusCode).toBe(303)
    const page = await pmo.request({ method: 'GET', url: '/pmo/mitra', headers: { accept: 'text/html' } })
    expect(page.body).toContain('belajar-maju — lp-saudara: pemilik yang sama')
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'partner.affiliation-recorded').execute()
    expect(audit).toHaveLength(1)
  })
})

describe('the legacy scheme', () => {
  it('is accepted only for a partner PMO allowed it for, with the programme’s headers', async () => {
    await ensurePartnerWithSecret(deps(), { code: 'lp-lama', kind: 'provider', name: 'LP Lama', clientCode: 'myclient_code', secret: 'my_sign_key', legacyAllowed: true })
    await ensurePartnerWithSecret(deps(), { code: 'lp-baru', kind: 'provider', name: 'LP Baru', clientCode: 'newclient_code', secret: 'k2' })
    const ok = await call(legacyHeaders('myclient_code', 'my_sign_key', { method: 'GET', path: '/api/v1/partner/me', rawBody: '' }, clock.now()))
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().scheme).toBe('legacy')
    const refused = await call(legacyHeaders('newclient_code', 'k2', { method: 'GET', path: '/api/v1/partner/me', rawBody: '' }, clock.now()))
    expect(refused.json().error.code).toBe('PARTNER_LEGACY_NOT_ALLOWED')
    // Without a nonce, the same signed request twice is a replay.
    const h = legacyHeaders('myclient_code', 'my_sign_key', { method: 'GET', path: '/api/v1/partner/me', rawBody: '' }, new Date(clock.now().getTime() + 1000))
    expect((await call(h)).statusCode).toBe(200)
    expect((await call(h)).json().error.code).toBe('PARTNER_NONCE_REUSED')
  })
})

describe('rotation from the partner console', () => {
  it('issues a new key, keeps the old one for the grace period, and stops anything older', async () => {
    // The demo platform comes with the seeded sandbox key; this test starts from one key of its own.
    await t.database.db.updateTable('partner_credentials').set({ revoked_at: clock.now() }).where('partner_code', '=', 'demo-platform').execute()
    await ensurePartnerWithSecret(deps(), { code: 'demo-platform', kind: 'platform', name: 'Demo', clientCode: 'demo-platform-first', secret: 'first-secret' })
    const platform = await loggedIn(t.app, 'platform', t.database.db)
    const rotate = async () => {
      const token = await platform.csrfFrom('/mitra/kredensial')
      const res = await platform.request({ method: 'POST', url: '/mitra/kredensial/ganti', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}` })
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
      return secretFrom(res.body)
    }
    const second = await rotate()
    expect((await call(signed('demo-platform-first', 'first-secret'))).statusCode).toBe(200)
    expect((await call(signed(second.client, second.secret))).statusCode).toBe(200)
    const third = await rotate()
    expect((await call(signed('demo-platform-first', 'first-secret'))).json().error.code).toBe('PARTNER_SIGNATURE_INVALID')
    expect((await call(signed(second.client, second.secret))).statusCode).toBe(200)
    clock.advance(ROTATION_GRACE_MS + 1000)
    expect((await call(signed(second.client, second.secret))).json().error.code).toBe('PARTNER_SIGNATURE_INVALID')
    expect((await call(signed(third.client, third.secret))).statusCode).toBe(200)
    const actions = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'partner.credential-rotated').execute()
    expect(actions).toHaveLength(2)
  })

  it('forgets nonces that can no longer be replayed', async () => {
    clock.advance(11 * 60_000)
    expect(await purgeNonces(deps())).toBeGreaterThan(0)
    expect(await t.database.db.selectFrom('partner_nonces').select('nonce').execute()).toEqual([])
  })
})
