/**
 * Stateless scale-out: two real Karya processes (`src/main.ts`) on one PostgreSQL database,
 * with a person's requests alternating between them as a load balancer without stickiness
 * would send them. Sessions, CSRF, the waiting room's order, a purchase through the partner API, the address rate limit, a
 * resumable upload (continued across processes, and two PATCHes racing for one upload) and the
 * job queue must behave exactly as in one process.
 *
 * Skipped on PGlite, with reason: PGlite is an in-process database that one process owns,
 * so two processes cannot share it. CI runs the db tests with TEST_DATABASE_URL (PostgreSQL).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import http from 'node:http'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../src/platform/db/schema.ts'
import { onPostgres, openTestDatabase, type TestDatabase } from './db.ts'
import { Client, csrfOf, register, type CodeSource } from '../scripts/load/crowd.ts'
import { generatePeople, type Person } from '../src/sandboxes/population/index.ts'
import { textLikeImage } from '../src/modules/documents/test-images.ts'
import { loadConfig } from '../src/config.ts'
import { wire } from '../src/compose.ts'
import { systemClock } from '../src/platform/clock.ts'
import { v1Headers } from '../src/modules/partners/signature.ts'
import { cardWithBalance, partnersAndCourses, PLATFORM, testWave } from '../src/modules/purchases/testing.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const procs: ChildProcess[] = []
let database: TestDatabase
let dataDir: string
let A: string
let B: string

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

async function startKarya(env: Record<string, string>): Promise<string> {
  const port = await freePort()
  let out = ''
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url!,
      DATA_DIR: dataDir,
      RUN_JOBS: 'true',
      // A slow line (2 a second) with a short opening draw, so the test sees people wait.
      WAITING_ROOM_ENABLED: 'true',
      WAITING_ROOM_RATE: '2',
      WAITING_ROOM_OPENING_SECONDS: '1',
      WAITING_ROOM_REFRESH_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  procs.push(proc)
  const base = `http://127.0.0.1:${port}`
  const t0 = Date.now()
  while (Date.now() - t0 < 120_000) {
    if (proc.exitCode !== null) throw new Error(`Karya exited ${proc.exitCode}:\n${out}`)
    const ok = await fetch(`${base}/ready`).then((r) => r.status === 200).catch(() => false)
    if (ok) return base
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`not ready:\n${out}`)
}

const codes: CodeSource = async (to, channel) => {
  const row = await database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).where('channel', '=', channel).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return (channel === 'email' ? /e-mail Anda: (\d{6})/ : /(\d{6})/).exec(row.text_body)![1]!
}

const people = (function* () {
  for (const p of generatePeople({ seed: 10, size: 100_000 })) {
    const year = Number(p.dateOfBirth.slice(0, 4))
    if (year >= 1970 && year <= 2000) yield p
  }
})()

describe.skipIf(!onPostgres)('two Karya processes on one PostgreSQL', () => {
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false })
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-scale-'))
    // One after the other: the first migrates and seeds, the second finds it done.
    A = await startKarya({})
    B = await startKarya({ SEED_DEMO: 'false' })
  }, 240_000)

  afterAll(async () => {
    for (const p of procs) {
      p.kill('SIGTERM')
      await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))
    }
    await database?.dispose()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  }, 60_000)

  const admitted: Array<{ c: Client; person: Person; n: number }> = []

  it('keeps one waiting line: places drawn on either process, the same place shown by both', async () => {
    const crowd = Array.from({ length: 10 }, (_, i) => ({ c: new Client([A, B]), person: people.next().value as Person, n: i }))
    admitted.push(...crowd) // registered in the next test, whatever happens here
    const first = await Promise.all(crowd.map(({ c }, i) => c.request('/daftar', { base: i % 2 ? B : A })))
    const waiting = crowd.filter((_, i) => first[i]!.status === 429)
    expect(waiting.length).toBeGreaterThanOrEqual(5) // two a second: most of ten wait
    for (const r of first) expect([200, 429]).toContain(r.status)
    await new Promise((r) => setTimeout(r, 1_500)) // past the one-second opening draw
    const place = (html: string) => Number(/Posisi Anda: ke-(\d+)/.exec(html)?.[1] ?? 0)
    const seen = await Promise.all(
      waiting.map(async ({ c }) => {
        const [onA, onB] = await Promise.all([c.request('/daftar', { base: A }), c.request('/daftar', { base: B })])
        return { a: onA.status === 429 ? place(onA.text) : 0, b: onB.status === 429 ? place(onB.text) : 0 }
      }),
    )
    // Asked at nearly the same moment, both processes give each person the same place (±1: the
    // line moves 2 a second while they answer). Distinct places are proven with a frozen clock in
    // waiting-room.db.test.ts; here real time moves between any two questions.
    for (const s of seen) expect(Math.abs(s.a - s.b)).toBeLessThanOrEqual(1)
    expect(seen.filter((s) => s.a > 0).length).toBeGreaterThan(0)
  }, 60_000)

  it('registers people across both: sign-up, verification and profile alternate between processes', async () => {
    const results = await Promise.all(
      admitted.map(({ c, person, n }) =>
        register(c, { person, email: `skala${n}@example.id`, phone: `+62812720000${String(n).padStart(2, '0')}`, codes, maxWaitMs: 60_000, profile: true }),
      ),
    )
    expect(results.some((r) => r.admittedAfterWaiting)).toBe(true)
    const rows = await database.db.selectFrom('accounts').select(['email', 'status']).where('email', 'like', 'skala%@example.id').execute()
    expect(rows).toHaveLength(10)
    expect(rows.every((r) => r.status === 'active')).toBe(true)
    expect(await database.db.selectFrom('registration_profiles').select('account_id').where('nik_hash', 'is not', null).execute()).toHaveLength(10)
    // Each person's session, made on one process, is honoured by the other.
    for (const { c } of admitted) {
      expect((await c.request('/beranda', { base: A })).status).toBe(200)
      expect((await c.request('/beranda', { base: B })).status).toBe(200)
    }
  }, 120_000)

  it('runs jobs on either process: every message of the sign-ups is delivered', async () => {
    const t0 = Date.now()
    let pending = -1
    const ours = (eb: ExpressionBuilder<DB, 'mail_outbox'>) => eb.or([eb('to_address', 'like', 'skala%'), eb('to_address', 'like', '+62812720000%')])
    const all = await database.db.selectFrom('mail_outbox').select('id').where(ours).execute()
    expect(all.length).toBeGreaterThanOrEqual(20) // an e-mail and an SMS for each of ten
    while (Date.now() - t0 < 60_000) {
      const r = await database.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where(ours).where('status', '!=', 'sent').executeTakeFirstOrThrow()
      pending = Number(r.n)
      if (pending === 0) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(pending).toBe(0)
  }, 70_000)

  it('continues an upload started on one process on the other', async () => {
    const { c } = admitted[0]!
    const token = csrfOf((await c.request('/dokumen', { base: A })).text)
    const bytes = await textLikeImage(1000, 640)
    const tus = { 'tus-resumable': '1.0.0', 'x-csrf-token': token, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
    const created = await fetch(`${A}/api/v1/uploads/`, { method: 'POST', headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': `kind ${Buffer.from('ktp').toString('base64')}` } })
    expect(created.status).toBe(201)
    const url = created.headers.get('location')!
    const half = Math.floor(bytes.length / 2)
    const first = await fetch(`${A}${url}`, { method: 'PATCH', headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, body: bytes.subarray(0, half) })
    expect(first.status).toBe(204)
    const head = await fetch(`${B}${url}`, { method: 'HEAD', headers: tus })
    expect(head.headers.get('upload-offset')).toBe(String(half))
    const rest = await fetch(`${B}${url}`, { method: 'PATCH', headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(half) }, body: bytes.subarray(half) })
    expect(rest.status).toBe(204)
    expect(rest.headers.get('karya-document-outcome')).toBe('accepted')
  }, 60_000)

  it('lets one of two PATCHes for the same upload, one on each process, write: bytes never interleave', async () => {
    const { c } = admitted[0]!
    const token = csrfOf((await c.request('/dokumen', { base: A })).text)
    const mine = await textLikeImage(900, 600)
    const theirs = Buffer.alloc(mine.length, 0x42)
    const tus = { 'tus-resumable': '1.0.0', 'x-csrf-token': token, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
    const created = await fetch(`${A}/api/v1/uploads/`, { method: 'POST', headers: { ...tus, 'upload-length': String(mine.length), 'upload-metadata': `kind ${Buffer.from('selfie').toString('base64')}` } })
    expect(created.status).toBe(201)
    const url = created.headers.get('location')!
    const id = url.split('/').pop()!
    // On A: the PATCH's headers leave now, its bytes later (a slow phone), so A holds the lock.
    const onA = new URL(`${A}${url}`)
    const patchA = http.request({
      host: onA.hostname, port: onA.port, path: onA.pathname, method: 'PATCH',
      headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'content-length': String(mine.length) },
    })
    const answerA = new Promise<http.IncomingMessage>((resolve, reject) => patchA.on('response', resolve).on('error', reject))
    patchA.flushHeaders()
    const held = async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objsubid = 1 and granted
        and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${'tus:' + id}, 0)`.execute(database.db)
      return r.rows[0]!.n
    }
    const t0 = Date.now()
    while ((await held()) === 0) {
      if (Date.now() - t0 > 30_000) {
        patchA.destroy()
        throw new Error('process A never took the shared lock on the upload')
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    // On B at the same offset, with other bytes: it must not write while A holds the upload.
    const answerB = fetch(`${B}${url}`, { method: 'PATCH', headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, body: theirs })
    await new Promise((r) => setTimeout(r, 1000))
    patchA.end(mine)
    const [a, b] = await Promise.all([answerA, answerB])
    a.resume()
    expect(a.statusCode).toBe(204)
    expect(a.headers['karya-document-outcome']).toBe('accepted')
    // B either waited and then found the offset moved (409) or gave up waiting (423).
    expect([409, 423]).toContain(b.status)
    const head = await fetch(`${B}${url}`, { method: 'HEAD', headers: tus })
    expect(head.headers.get('upload-offset')).toBe(String(mine.length))
    const docs = await database.db.selectFrom('documents').select('sha256').where('upload_id', '=', id).execute()
    expect(docs.map((d) => d.sha256)).toEqual([crypto.createHash('sha256').update(mine).digest('hex')])
    expect(await held()).toBe(0)
  }, 90_000)

  it('buys a course across both: started on one process, authorised on the other, confirmed on the first', async () => {
    // The set-up a draw and PMO curation would have made, written straight into the shared database.
    const deps = await wire(loadConfig({ NODE_ENV: 'development', DATABASE_URL: database.url!, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), database, { runWorkers: false })
    try {
      const f = await partnersAndCourses({ db: database.db, clock: systemClock, identity: deps.identity })
      const buyer = await database.db.selectFrom('accounts').select(['id', 'phone']).where('email', '=', 'skala1@example.id').executeTakeFirstOrThrow()
      const card = await cardWithBalance({ db: database.db, clock: systemClock, jobs: deps.jobs }, await testWave(database.db, systemClock), buyer.id, 3_500_000)
      const call = async (base: string, url: string, body?: unknown) => {
        const rawBody = body === undefined ? '' : JSON.stringify(body)
        const headers = v1Headers(PLATFORM.client, PLATFORM.secret, { method: 'POST', path: url, rawBody }, new Date())
        const res = await fetch(base + url, { method: 'POST', headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: rawBody }) })
        return { status: res.status, json: (await res.json()) as Record<string, unknown> }
      }
      const start = await call(A, '/api/v1/partner/purchases', { orderRef: 'SKALA-1', cardNumber: card, courseId: f.courseId, sessionId: f.sessionId, platformUserRef: 'skala-user-1' })
      expect(start.json).toMatchObject({ status: 'otp_sent' })
      const otp = await database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', buyer.phone!).where('channel', '=', 'sms').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
      const auth = await call(B, `/api/v1/partner/purchases/${String(start.json.id)}/authorise`, { otp: /Kode OTP Karya: (\d{6})/.exec(otp.text_body)![1] })
      expect(auth.status).toBe(200)
      const confirm = await call(A, `/api/v1/partner/purchases/${String(start.json.id)}/confirm`)
      expect(confirm.json).toMatchObject({ status: 'paid' })
      // A second confirmation on the other process is refused and charges nothing, as in one process.
      expect((await call(B, `/api/v1/partner/purchases/${String(start.json.id)}/confirm`)).status).toBeGreaterThanOrEqual(400)
      const seats = await database.db.selectFrom('course_session_seats').select((eb) => eb.fn.sum<number>('seats_taken').as('n')).where('session_id', '=', f.sessionId).executeTakeFirstOrThrow()
      expect(Number(seats.n)).toBe(1)
    } finally {
      await deps.jobs.stop()
    }
  }, 60_000)

  it('shares the address rate limit: 50 failures spread over both processes stop log-ins on both', async () => {
    for (let i = 0; i < 50; i++) {
      const c = new Client([i % 2 ? B : A])
      const token = csrfOf((await c.request('/masuk')).text)
      const r = await c.request('/masuk', { form: { _csrf: token, email: `tidak-ada${i}@example.id`, password: 'salah sekali' } })
      expect(r.status).toBe(401)
    }
    for (const base of [A, B]) {
      const c = new Client([base])
      const token = csrfOf((await c.request('/masuk')).text)
      const r = await c.request('/masuk', { form: { _csrf: token, email: 'skala0@example.id', password: 'sapi perah di agam' }, accept: 'application/json' })
      expect(r.status).toBe(429)
      expect(r.retryAfter).toBeGreaterThan(0)
    }
  }, 120_000)
})
