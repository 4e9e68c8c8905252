import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, Browser, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { v1Headers } from '../partners/signature.ts'
import { ensurePartnerWithSecret } from '../partners/partners.service.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let pmo: Browser

const PROVIDER = { code: 'lp-tani', client: 'lp-tani-key', secret: 'lp-tani-secret' }
const PLATFORM = { code: 'pasar-ilmu', client: 'pasar-ilmu-key', secret: 'pasar-ilmu-secret' }
const OTHER_PLATFORM = { code: 'kelas-kita', client: 'kelas-kita-key', secret: 'kelas-kita-secret' }

beforeAll(async () => {
  t = await startTestApp({ clock })
  const deps = { db: t.database.db, clock, identity: t.deps.identity }
  await ensurePartnerWithSecret(deps, { code: PROVIDER.code, kind: 'provider', name: 'LP Tani Makmur', clientCode: PROVIDER.client, secret: PROVIDER.secret })
  await ensurePartnerWithSecret(deps, { code: PLATFORM.code, kind: 'platform', name: 'Pasar Ilmu', clientCode: PLATFORM.client, secret: PLATFORM.secret })
  await ensurePartnerWithSecret(deps, { code: OTHER_PLATFORM.code, kind: 'platform', name: 'Kelas Kita', clientCode: OTHER_PLATFORM.client, secret: OTHER_PLATFORM.secret })
  await t.database.db.insertInto('partner_affiliations').values({ platform_code: OTHER_PLATFORM.code, provider_code: PROVIDER.code, note: 'pemilik yang sama', created_at: clock.now() }).execute()
  pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
})
afterAll(async () => t?.close())

async function signedCall(who: { client: string; secret: string }, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) {
  const rawBody = body === undefined ? '' : JSON.stringify(body)
  const headers = v1Headers(who.client, who.secret, { method, path: url, rawBody }, clock.now())
  return t.app.inject({ method, url, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: rawBody }) })
}

const livestock = {
  title: 'Beternak ayam petelur untuk pemula',
  description: 'Kandang, pakan, vaksin dan pencatatan produksi telur untuk peternak rumahan di desa.',
  category: 'livestock',
  mode: 'offline',
  hours: 16,
  price: 900_000,
  marketPrice: 1_100_000,
  regencyCode: '13.06',
  address: 'Balai Desa Sungai Sariak, Kec. VII Koto',
  sessions: [{ ref: 'S1', startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T09:00:00Z', seats: 25 }],
}
const webinar = {
  title: 'Pemasaran digital untuk UMKM',
  description: 'Membuat katalog produk, foto dengan ponsel, dan berjualan di lokapasar untuk usaha kecil.',
  category: 'digital_marketing',
  mode: 'webinar',
  hours: 15,
  price: 3_000_000,
  marketPrice: 3_000_000,
  sessions: [{ ref: 'W1', startsAt: '2026-12-12T02:00:00Z', endsAt: '2026-12-12T05:00:00Z', seats: 150 }],
}

async function decide(id: string, version: number, decision: string, reason = '') {
  const token = await pmo.csrfFrom(`/pmo/kursus/${id}`)
  return pmo.request({
    method: 'POST',
    url: `/pmo/kursus/${id}`,
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, version: String(version), decision, reason }).toString(),
  })
}

describe('submission over the partner API', () => {
  let ayamId = ''

  it('takes a provider’s course, idempotently, and sends a changed one back to review', async () => {
    const first = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/AYAM-01`, livestock)
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toMatchObject({ status: 'submitted', version: 1, created: true })
    ayamId = first.json().id
    const again = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/AYAM-01`, livestock)
    expect(again.json()).toMatchObject({ id: ayamId, version: 1, created: false })
    const sessions = await t.database.db.selectFrom('course_sessions').select('seats').where('course_id', '=', ayamId).execute()
    expect(sessions).toEqual([{ seats: 25 }])
  })

  it('refuses rule breaks with a message per field, and a platform posing as a provider', async () => {
    const bad = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/BAD-1`, { ...livestock, hours: 10, marketPrice: 800_000, address: null })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['address', 'hours', 'marketPrice'])
    const bigWebinar = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/BAD-2`, { ...webinar, sessions: [{ ...webinar.sessions[0], seats: 151 }] })
    expect(bigWebinar.json().error.fields[0].field).toBe('sessions.0.seats')
    const noPlatform = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/tidak-ada/BAD-3`, livestock)
    expect(noPlatform.json().error.fields[0].field).toBe('platformCode')
    const asPlatform = await signedCall(PLATFORM, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/X`, livestock)
    expect(asPlatform.statusCode).toBe(403)
    expect(await t.database.db.selectFrom('courses').select('id').where('provider_ref', 'like', 'BAD%').execute()).toEqual([])
  })

  it('PMO approves with an audit entry; the course is then found by a stemmed Indonesian search', async () => {
    const res = await decide(ayamId, 1, 'approved')
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303)
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', 'like', 'course.%').execute()
    expect(audit).toEqual([{ action: 'course.approved', subject_id: ayamId }])
    const anonymous = new Browser(t.app)
    const found = await anonymous.request({ method: 'GET', url: '/katalog?q=ternak+ayam', headers: { accept: 'text/html' } })
    expect(found.body).toContain('Beternak ayam petelur untuk pemula')
    const notFound = await anonymous.request({ method: 'GET', url: '/katalog?q=menjahit', headers: { accept: 'text/html' } })
    expect(notFound.body).not.toContain('Beternak ayam petelur untuk pemula')
    const detail = await anonymous.request({ method: 'GET', url: `/katalog/${ayamId}`, headers: { accept: 'text/html' } })
    expect(detail.body).toContain('Balai Desa Sungai Sariak')
  })

  it('filters by category, mode, province and price', async () => {
    const w = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/WEB-1`, webinar)
    await decide(w.json().id, 1, 'approved')
    const get = (qs: string) => new Browser(t.app).request({ method: 'GET', url: `/katalog?${qs}`, headers: { accept: 'text/html' } }).then((r) => r.body)
    expect(await get('kategori=livestock')).toContain('Beternak ayam petelur untuk pemula')
    expect(await get('kategori=livestock')).not.toContain('Pemasaran digital untuk UMKM')
    // Offline courses elsewhere drop out; online ones reach every province.
    const papua = await get('provinsi=94')
    expect(papua).not.toContain('Beternak ayam petelur untuk pemula')
    expect(papua).toContain('Pemasaran digital untuk UMKM')
    expect(await get('provinsi=13&mode=offline')).toContain('Beternak ayam petelur untuk pemula')
    expect(await get('maks=1000000')).not.toContain('Pemasaran digital untuk UMKM')
    // No session on or after the date: not listed.
    expect(await get('mulai=2026-12-11')).not.toContain('Beternak ayam petelur untuk pemula')
  })

  it('a changed course needs review again and is not sold meanwhile', async () => {
    const changed = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${PLATFORM.code}/AYAM-01`, { ...livestock, price: 950_000 })
    expect(changed.json()).toMatchObject({ id: ayamId, status: 'submitted', version: 2 })
    const listed = await new Browser(t.app).request({ method: 'GET', url: '/katalog?q=ayam', headers: { accept: 'text/html' } })
    expect(listed.body).not.toContain('Beternak ayam petelur untuk pemula')
    // A decision on the version PMO saw before is refused.
    const stale = await decide(ayamId, 1, 'approved')
    expect(stale.statusCode).toBe(409)
    const noReason = await decide(ayamId, 2, 'changes_requested', 'kurang')
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('href="#reason"')
    expect((await decide(ayamId, 2, 'changes_requested', 'Sebutkan jenis vaksin dan jadwalnya.')).statusCode).toBe(303)
    const mine = await signedCall(PROVIDER, 'GET', '/api/v1/partner/courses')
    expect(mine.json().courses.find((c: { ref: string }) => c.ref === 'AYAM-01')).toMatchObject({ status: 'changes_requested', lastReason: 'Sebutkan jenis vaksin dan jadwalnya.' })
  })

  it('flags a conflict of interest between an affiliated platform and provider', async () => {
    const c = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${OTHER_PLATFORM.code}/AYAM-01`, livestock)
    const queue = await pmo.request({ method: 'GET', url: '/pmo/kursus', headers: { accept: 'text/html' } })
    expect(queue.body).toContain('Konflik kepentingan')
    const page = await pmo.request({ method: 'GET', url: `/pmo/kursus/${c.json().id}`, headers: { accept: 'text/html' } })
    expect(page.body).toContain('pemilik yang sama')
    await decide(c.json().id, 1, 'rejected', 'Harga tidak wajar untuk platform terafiliasi.')
    const review = await t.database.db.selectFrom('course_reviews').select(['decision', 'conflict_flagged']).where('course_id', '=', c.json().id).executeTakeFirstOrThrow()
    expect(review).toEqual({ decision: 'rejected', conflict_flagged: true })
    const resubmit = await signedCall(PROVIDER, 'PUT', `/api/v1/partner/courses/${OTHER_PLATFORM.code}/AYAM-01`, livestock)
    expect(resubmit.json().error.code).toBe('COURSE_REJECTED')
  })

  it('a platform reads only the approved courses it sells', async () => {
    const mine = await signedCall(PLATFORM, 'GET', '/api/v1/partner/catalogue')
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json().courses.map((c: { title: string }) => c.title)).toEqual(['Pemasaran digital untuk UMKM'])
    const other = await signedCall(OTHER_PLATFORM, 'GET', '/api/v1/partner/catalogue')
    expect(other.json().courses).toEqual([])
  })
})

describe('asking for a course that does not exist', () => {
  it('records the wish with the person’s region and shows it to PMO', async () => {
    const p = await loggedIn(t.app, 'participant', t.database.db)
    const token = await p.csrfFrom('/katalog')
    const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
    const tooShort = await p.request({ method: 'POST', url: '/katalog/minat', headers: form, payload: new URLSearchParams({ _csrf: token, topic: 'a' }).toString() })
    expect(tooShort.statusCode).toBe(400)
    const ok = await p.request({ method: 'POST', url: '/katalog/minat', headers: form, payload: new URLSearchParams({ _csrf: token, topic: 'Budidaya ikan lele', category: 'fisheries' }).toString() })
    expect(ok.statusCode).toBe(303)
    const report = await pmo.request({ method: 'GET', url: '/pmo/minat', headers: { accept: 'text/html' } })
    expect(report.body).toContain('Budidaya ikan lele')
    expect(report.body).toContain('Perikanan')
  })
})
