/**
 * The waiting room over HTTP, with two app instances on one database (as two processes
 * behind a load balancer would be): one shared line, one order, admissions honoured by both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, Browser, type TestApp } from '../../../test/app.ts'
import { buildApp, type BuiltApp } from '../../app.ts'
import { wire } from '../../compose.ts'
import { fixedClock } from '../../platform/clock.ts'
import type { AppDeps } from '../../app-deps.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
const env = { WAITING_ROOM_ENABLED: 'true', WAITING_ROOM_RATE: '2', WAITING_ROOM_REFRESH_MS: '0', WAITING_ROOM_OPENING_SECONDS: '60' }
let a: TestApp
let b: BuiltApp
let bDeps: AppDeps & { close(): Promise<void> }

beforeAll(async () => {
  a = await startTestApp({ env, clock })
  bDeps = await wire(a.deps.config, a.database, { runWorkers: false, clock })
  b = await buildApp(bDeps)
})
afterAll(async () => {
  await b?.app.close()
  await bDeps?.jobs.stop()
  await a?.close()
})

const html = { accept: 'text/html' }
const form = { ...html, 'content-type': 'application/x-www-form-urlencoded' }
const positionOf = (body: string) => Number(/Posisi Anda: ke-([\d.]+)/.exec(body)?.[1]?.replace(/\./g, '') ?? NaN)

async function signUp(br: Browser, n: number) {
  const token = /name="_csrf" value="([^"]+)"/.exec((await br.request({ method: 'GET', url: '/daftar', headers: html })).body)?.[1] ?? ''
  return br.request({
    method: 'POST',
    url: '/daftar',
    headers: form,
    payload: new URLSearchParams({ _csrf: token, name: `Antre Orang ${n}`, email: `antre${n}@example.id`, phone: `0812-7100-${String(n).padStart(4, '0')}`, password: 'sapi perah di agam' }).toString(),
  })
}

describe('the waiting room across two instances', () => {
  const people: Browser[] = []

  it('is invisible below capacity, then gives every later arrival a signed place', async () => {
    // Rate 2/s: the first arrivals find one second of burst (2 places) and get the form directly.
    const early = new Browser(a.app)
    const first = await early.request({ method: 'GET', url: '/daftar', headers: html })
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain('action="/daftar"')
    expect(early.cookies.get('karya_antre')).toMatch(/^a\./)
    expect((await new Browser(b.app).request({ method: 'GET', url: '/daftar', headers: html })).statusCode).toBe(200)

    // The line forms: arrivals alternate between the instances and all get the opening draw.
    for (let i = 0; i < 8; i++) {
      const br = new Browser(i % 2 ? b.app : a.app)
      const res = await br.request({ method: 'GET', url: '/daftar', headers: html })
      expect(res.statusCode).toBe(429)
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
      expect(res.body).toContain('http-equiv="refresh"')
      expect(res.body).toContain('diundi secara adil')
      expect(br.cookies.get('karya_antre')).toMatch(/^t\./)
      people.push(br)
    }
  })

  it('refuses the sign-up POST to anyone not admitted, and answers JSON clients with a code', async () => {
    const res = await signUp(people[0]!, 900)
    expect(res.statusCode).toBe(429)
    const api = await new Browser(b.app).request({ method: 'POST', url: '/daftar', headers: { accept: 'application/json', 'content-type': 'application/json' }, payload: '{}' })
    expect(api.statusCode).toBe(429)
    expect(api.json().error.code).toBe('WAITING_ROOM')
    expect(api.headers['retry-after']).toBeDefined()
    expect(await a.database.db.selectFrom('accounts').select('id').where('email', '=', 'antre900@example.id').executeTakeFirst()).toBeUndefined()
  })

  it('after the draw, both instances show each person the same place, the places are 1..n, and a reload keeps it', async () => {
    clock.advance(61_000) // the draw at 60 s, then one second of admissions: 2 people
    const seen = await Promise.all(
      people.map(async (p) => {
        const onA = await new Browser(a.app).request({ method: 'GET', url: '/daftar', headers: { ...html, cookie: `karya_antre=${p.cookies.get('karya_antre')}` } })
        const onB = await new Browser(b.app).request({ method: 'GET', url: '/daftar', headers: { ...html, cookie: `karya_antre=${p.cookies.get('karya_antre')}` } })
        expect(onA.statusCode).toBe(onB.statusCode)
        return onA.statusCode === 200 ? 0 : (expect(positionOf(onA.body)).toBe(positionOf(onB.body)), positionOf(onA.body))
      }),
    )
    expect(seen.filter((p) => p === 0)).toHaveLength(2)
    // Seven wait: our six and the JSON client above, each at its own place.
    const places = seen.filter((p) => p > 0)
    expect(new Set(places).size).toBe(6)
    expect(Math.max(...places)).toBeLessThanOrEqual(7)
    // The shuffle: the order of arrival is not the order of admission.
    expect(seen).not.toEqual([0, 0, 1, 2, 3, 4, 5, 6])
    const waiting = people[seen.findIndex((p) => p === places[0])]!
    const again = await waiting.request({ method: 'GET', url: '/daftar', headers: html })
    expect(positionOf(again.body)).toBe(places[0])
  })

  it('lets admitted people sign up on one instance and verify on the other, never stopping them mid-registration', async () => {
    clock.advance(5_000) // ten more places: everyone is in
    let n = 0
    for (const p of people) {
      const viaOther = new Browser(people.indexOf(p) % 2 ? a.app : b.app)
      for (const [k, v] of p.cookies) viaOther.cookies.set(k, v)
      const res = await signUp(viaOther, ++n)
      p.cookies.set('karya_antre', viaOther.cookies.get('karya_antre')!)
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/daftar/verifikasi')
      // A pending session passes the room on either instance, even if the line grew again.
      const onA = new Browser(a.app)
      onA.cookies.set('karya_sid', viaOther.cookies.get('karya_sid')!)
      expect((await onA.request({ method: 'GET', url: '/daftar/verifikasi', headers: html })).statusCode).toBe(200)
      expect((await onA.request({ method: 'GET', url: '/daftar', headers: html })).statusCode).toBe(303)
    }
    const made = await a.database.db.selectFrom('accounts').select('email').where('email', 'like', 'antre%@example.id').execute()
    expect(made).toHaveLength(8)
  })

  it('does not let one admission be shared by a crowd', async () => {
    const admitted = people[0]!.cookies.get('karya_antre')!
    expect(admitted).toMatch(/^a\./)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      const copy = new Browser(i % 2 ? a.app : b.app)
      copy.cookies.set('karya_antre', admitted)
      statuses.push((await signUp(copy, 100 + i)).statusCode)
    }
    // One POST was made with it above; four more pass; after that each copy is a new arrival,
    // let in only while the (frozen) clock's last second of burst lasts, then held in line.
    expect(statuses.slice(0, 4)).toEqual([303, 303, 303, 303])
    expect(statuses.at(-1)).toBe(429)
  })
})
