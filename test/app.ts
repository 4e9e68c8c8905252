import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
/**
 * A whole Karya for an HTTP test: a fresh migrated database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL), the real job queue and mail outbox, demo data, and app.inject().
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { loadConfig, type Config } from '../src/config.ts'
import { buildApp, type BuiltApp } from '../src/app.ts'
import type { AppDeps } from '../src/app-deps.ts'
import { wire } from '../src/compose.ts'
import { seedDemo, DEMO_LOGINS, DEMO_PASSWORD } from '../src/demo/seed.ts'
import type { Role } from '../src/modules/accounts/index.ts'
import { openTestDatabase, type TestDatabase } from './db.ts'
import type { Db } from '../src/platform/db/database.ts'
import type { Clock } from '../src/platform/clock.ts'

export interface TestApp extends BuiltApp {
  deps: AppDeps
  database: TestDatabase
  close(): Promise<void>
}

export async function startTestApp(opts: { env?: Record<string, string>; runWorkers?: boolean; seed?: boolean; clock?: Clock } = {}): Promise<TestApp> {
  // Uploads and anything else on disk go to a throw-away folder, not the developer's ./data.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-test-'))
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...opts.env })
  const database = await openTestDatabase()
  const deps = await wire(config, database, { runWorkers: opts.runWorkers ?? false, pollingIntervalSeconds: 0.5, ...(opts.clock ? { clock: opts.clock } : {}) })
  if (opts.seed !== false) await seedDemo(deps)
  const built = await buildApp(deps)
  return {
    ...built,
    deps,
    database,
    async close() {
      await built.app.close()
      await deps.jobs.stop()
      await database.dispose()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Cookies kept between requests, like a browser. */
export class Browser {
  readonly cookies = new Map<string, string>()
  constructor(readonly app: FastifyInstance) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await this.app.inject({ ...opts, headers: { ...(cookie ? { cookie } : {}), ...opts.headers } })
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())
      if (expired || c.value === '') this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return res
  }

  /** The CSRF token of a page's form (GET the page first). */
  async csrfFrom(url: string): Promise<string> {
    const res = await this.request({ method: 'GET', url, headers: { accept: 'text/html' } })
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (!m) throw new Error(`No CSRF token on ${url} (status ${res.statusCode})`)
    return m[1]!
  }

  async login(email: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    const token = await this.csrfFrom('/masuk')
    return this.request({
      method: 'POST',
      url: '/masuk',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
    })
  }
}

export function demoEmail(role: Role): string {
  const d = DEMO_LOGINS.find((x) => x.role === role)
  if (!d) throw new Error(`no demo login for ${role}`)
  return d.email
}

/** The 6-digit code in the newest SMS sent to the phone, as the person would read it. */
export async function latestSmsCode(db: Db, phone: string): Promise<string> {
  const row = await db
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', phone)
    .where('channel', '=', 'sms')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const m = /(\d{6})/.exec(row.text_body)
  if (!m) throw new Error(`no code in SMS: ${row.text_body}`)
  return m[1]!
}

/** Logs in through the real forms, including the SMS code step when the account has a phone. */
export async function loggedIn(app: FastifyInstance, role: Role, db?: Db): Promise<Browser> {
  const b = new Browser(app)
  const res = await b.login(demoEmail(role))
  if (res.statusCode !== 303) throw new Error(`login as ${role} failed: ${res.statusCode}`)
  if (res.headers.location?.startsWith('/masuk/kode')) {
    const phone = DEMO_LOGINS.find((d) => d.role === role)?.phone
    if (!db || !phone) throw new Error(`login as ${role} needs an SMS code: pass the database`)
    const token = await b.csrfFrom('/masuk/kode')
    const done = await b.request({
      method: 'POST',
      url: '/masuk/kode',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, code: await latestSmsCode(db, phone) }).toString(),
    })
    if (done.statusCode !== 303) throw new Error(`code step as ${role} failed: ${done.statusCode} ${done.body.slice(0, 300)}`)
  }
  return b
}
