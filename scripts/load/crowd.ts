/**
 * One synthetic person running the real registration flow over HTTP, as a browser would:
 * the sign-up form (waiting in the waiting room when told to, honouring Retry-After), the
 * sign-up, both verification codes and the first profile step. Shared by the load harness
 * (`npm run load`), bench/opening-night.ts and the two-process test.
 */
import http from 'node:http'
import https from 'node:https'
import type { Person } from '../../src/sandboxes/population/index.ts'

export const STEPS = ['arrive', 'wait', 'sign-up', 'verify e-mail', 'verify phone', 'profile'] as const
export type Step = (typeof STEPS)[number]

export interface Response {
  status: number
  text: string
  location: string | null
  retryAfter: number | null
}

/** A cookie jar over fetch. `bases` lets one person's requests go to different processes in turn. */
export class Client {
  readonly cookies = new Map<string, string>()
  private turn = 0
  constructor(readonly bases: readonly string[]) {}

  /** The next process in turn (or the only one). */
  base(): string {
    return this.bases[this.turn++ % this.bases.length]!
  }

  async request(path: string, init: { method?: string; form?: Record<string, string>; base?: string; accept?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html' }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let body: string | undefined
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
      headers['content-length'] = String(Buffer.byteLength(body))
    }
    const res = await send(new URL(path, init.base ?? this.base()), init.method ?? (init.form ? 'POST' : 'GET'), headers, body)
    for (const c of res.setCookie) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      const k = pair!.slice(0, eq)
      const v = pair!.slice(eq + 1)
      if (v === '' || /max-age=0/i.test(c)) this.cookies.delete(k)
      else this.cookies.set(k, v)
    }
    return { status: res.status, text: res.text, location: res.location, retryAfter: res.retryAfter }
  }
}

// node:http with keep-alive agents rather than fetch: a load generator that shares the machine
// with the server should cost as little as it can (fetch's web streams cost about twice as much
// CPU per request). Redirects are not followed, as with fetch's redirect: 'manual'.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) }

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<Response & { setCookie: string[] }> {
  const secure = url.protocol === 'https:'
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method, headers, agent: agents[secure ? 'https:' : 'http:'] }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('error', reject)
      res.on('end', () => {
        const ra = res.headers['retry-after']
        const loc = res.headers.location
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          location: loc === undefined ? null : loc,
          retryAfter: ra === undefined ? null : Number(ra),
          setCookie: res.headers['set-cookie'] ?? [],
        })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m) throw new Error('no _csrf on the page')
  return m[1]!
}

/** Where a verification code is read: the outbox (a bench or test with the database) or the dev mailbox. */
export type CodeSource = (to: string, channel: 'email' | 'sms') => Promise<string>

export const EMAIL_CODE = /e-mail Anda: (\d{6})/
export const SMS_CODE = /Karya: (\d{6})/

/** Codes from the dev mailbox pages of a running Karya (npm start without SMTP). */
export function mailboxCodes(base: string): CodeSource {
  return async (to, channel) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      for (let page = 1; page <= 5; page++) {
        const list = await (await fetch(`${base}/dev/mailbox?page=${page}`)).text()
        const row = new RegExp(`<td>${channel}</td><td>${to.replace(/[.+]/g, '\\$&')}</td><td><a href="/dev/mailbox/([0-9a-f-]{36})"`).exec(list)
        if (row) {
          const page = await (await fetch(`${base}/dev/mailbox/${row[1]}`)).text()
          const body = /<pre>([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? ''
          const m = (channel === 'email' ? EMAIL_CODE : SMS_CODE).exec(body)
          if (m) return m[1]!
        }
        if (!list.includes('?page=')) break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`no ${channel} code for ${to} in the dev mailbox`)
  }
}

export interface Outcome {
  admittedAfterWaiting: boolean
  /** Wall-clock time spent in line (ms), zero when let straight through. */
  waitedMs: number
  /** Server time (ms) of each step done; 'wait' sums the looks at the waiting page. */
  timings: Partial<Record<Step, number>>
}

export interface FlowOptions {
  person: Person
  email: string
  phone: string
  codes: CodeSource
  /** Stop waiting in line after this long (ms since the first arrival). */
  maxWaitMs: number
  /** Skip the profile step (sign-up and verification only). */
  profile: boolean
  /** Called when the waiting room answered, with the seconds it asked for. */
  onWait?: (retryAfter: number) => void
}

/** Runs one registration; throws on anything a person would see as an error (5xx, wrong redirect). */
export async function register(c: Client, o: FlowOptions): Promise<Outcome> {
  const timings: Partial<Record<Step, number>> = {}
  const timed = async <T>(step: Step, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now()
    const r = await fn()
    timings[step] = (timings[step] ?? 0) + (performance.now() - t0)
    return r
  }
  const t0 = Date.now()
  let form = await timed('arrive', () => c.request('/daftar'))
  let waited = false
  while (form.status === 429) {
    waited = true
    o.onWait?.(form.retryAfter ?? 5)
    if (Date.now() - t0 > o.maxWaitMs) throw new WaitTimeout()
    await new Promise((r) => setTimeout(r, Math.max(1, form.retryAfter ?? 5) * 1000))
    form = await timed('wait', () => c.request('/daftar'))
  }
  if (form.status !== 200) throw new Error(`sign-up form answered ${form.status}`)
  const admittedAt = Date.now()
  const signed = await timed('sign-up', () =>
    c.request('/daftar', { form: { _csrf: csrfOf(form.text), name: o.person.fullName, email: o.email, phone: o.phone, password: 'sapi perah di agam' } }),
  )
  if (signed.status !== 303 || signed.location !== '/daftar/verifikasi') throw new Error(`sign-up answered ${signed.status} ${signed.text.slice(0, 200)}`)
  const page = await c.request('/daftar/verifikasi')
  const token = csrfOf(page.text)
  // Reading the code is the person's phone and inbox, not the server's work: kept out of the timings.
  const emailCode = await o.codes(o.email, 'email')
  const e = await timed('verify e-mail', () => c.request('/daftar/verifikasi/email', { form: { _csrf: token, 'code-email': emailCode } }))
  if (e.status !== 303) throw new Error(`e-mail verification answered ${e.status}`)
  const smsCode = await o.codes(o.phone, 'sms')
  const v = await timed('verify phone', () => c.request('/daftar/verifikasi/telepon', { form: { _csrf: token, 'code-telepon': smsCode } }))
  if (v.location !== '/beranda') throw new Error(`phone verification answered ${v.status} ${v.location}`)
  if (o.profile) {
    const p = o.person
    const r = await timed('profile', () => c.request('/profil/identitas', { form: { _csrf: token, nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex } }))
    if (r.status !== 303) throw new Error(`profile step answered ${r.status}`)
  }
  return { admittedAfterWaiting: waited, waitedMs: waited ? admittedAt - t0 : 0, timings }
}

export class WaitTimeout extends Error {
  constructor() {
    super('still waiting in line when the run ended')
    this.name = 'WaitTimeout'
  }
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
