/**
 * bench/registration: the registration surge path over HTTP on PostgreSQL — sign-up (with the
 * Argon2id hash), e-mail and SMS verification, and the four profile steps — run by concurrent
 * synthetic people from the population generator. Prints registrations/s, p50/p99 per step,
 * and the hashing limit measured in the same run (ms per hash, hashes/s on this machine).
 *
 *   npm run bench:registration [-- --duration 20 --concurrency 16]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; a throw-away database)
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { hash } from '@node-rs/argon2'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { generatePeople, type Person } from '../src/sandboxes/population/index.ts'
import { ageOn, todayInJakarta } from '../src/modules/registration/index.ts'

const { values } = parseArgs({ options: { duration: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '16' } } })
const durationMs = Number(values.duration) * 1000
const concurrency = Number(values.concurrency)
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const STEPS = ['form', 'sign-up', 'verify e-mail', 'verify phone', 'identity', 'family', 'address', 'education'] as const
type StepName = (typeof STEPS)[number]
const timings = new Map<StepName, number[]>(STEPS.map((s) => [s, []]))

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function measureHashing(): Promise<{ msPerHash: number; hashesPerSecond: number }> {
  const n = 40
  let t0 = performance.now()
  for (let i = 0; i < 10; i++) await hash(`warm-${i}`)
  t0 = performance.now()
  for (let i = 0; i < n; i++) await hash(`sequential-${i}`)
  const msPerHash = (performance.now() - t0) / n
  t0 = performance.now()
  await Promise.all(Array.from({ length: n * 2 }, (_, i) => hash(`parallel-${i}`)))
  const hashesPerSecond = (n * 2) / ((performance.now() - t0) / 1000)
  return { msPerHash, hashesPerSecond }
}

class Client {
  cookies = new Map<string, string>()
  constructor(readonly base: string) {}
  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ status: number; text: string; location: string | null }> {
    const headers: Record<string, string> = { accept: 'text/html', cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
    let body: string | undefined
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
    }
    const res = await fetch(this.base + path, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const [k, v] = pair!.split('=')
      if (k && v !== undefined) this.cookies.set(k, v)
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location') }
  }
}

async function timed<T>(step: StepName, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now()
  const r = await fn()
  timings.get(step)!.push(performance.now() - t0)
  return r
}

async function main() {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_reg', { DATABASE_POOL_SIZE: '10' })
  const config = tmp.config
  const deps = await compose(config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const db = deps.database.db

  const hashing = await measureHashing()
  const today = todayInJakarta()
  const people: Iterator<Person> = (function* () {
    for (const p of generatePeople({ seed: 99, size: 1_000_000 })) {
      const age = ageOn(p.dateOfBirth, today)
      if (age >= 18 && age <= 64) yield p
    }
  })()

  const codeFor = async (to: string, pattern: RegExp): Promise<string> => {
    const row = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    return pattern.exec(row.text_body)![1]!
  }
  const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!

  let completed = 0
  let errors = 0
  let n = 0
  const deadline = Date.now() + durationMs
  async function one(): Promise<void> {
    const p = people.next().value as Person
    const i = n++
    const email = `bench${i}.${p.nik.slice(-6)}@example.id`
    const phone = `+6281${String(10_000_000 + i).padStart(9, '0')}`
    const c = new Client(base)
    const form = await timed('form', () => c.request('/daftar'))
    const signed = await timed('sign-up', () => c.request('/daftar', { form: { _csrf: csrf(form.text), name: p.fullName, email, phone, password: 'sapi perah di agam' } }))
    if (signed.status !== 303) throw new Error(`sign-up ${signed.status}`)
    const page = await c.request('/daftar/verifikasi')
    const token = csrf(page.text)
    await timed('verify e-mail', async () => c.request('/daftar/verifikasi/email', { form: { _csrf: token, 'code-email': await codeFor(email, /e-mail Anda: (\d{6})/) } }))
    const v = await timed('verify phone', async () => c.request('/daftar/verifikasi/telepon', { form: { _csrf: token, 'code-telepon': await codeFor(phone, /Karya: (\d{6})/) } }))
    if (v.location !== '/beranda') throw new Error(`verify ${v.status} ${v.location}`)
    const steps: Array<[StepName, string, Record<string, string>]> = [
      ['identity', 'identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex }],
      ['family', 'keluarga', { kk: p.kk }],
      ['address', 'alamat', { fullName: p.fullName, addressLine: p.address.line, rt: p.address.rt, rw: p.address.rw, provinceCode: p.address.provinceCode, regencyCode: p.address.regencyCode, districtCode: p.address.districtCode }],
      ['education', 'pendidikan', { education: 'sma', employmentStatus: 'phk', inFormalEducation: 'tidak' }],
    ]
    for (const [name, path, fields] of steps) {
      const r = await timed(name, () => c.request(`/profil/${path}`, { form: { _csrf: token, ...fields } }))
      if (r.status !== 303) throw new Error(`${name} ${r.status}`)
    }
    completed++
  }
  const t0 = Date.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        try {
          await one()
        } catch (err) {
          errors++
          if (errors <= 3) console.error(String(err))
        }
      }
    }),
  )
  const seconds = (Date.now() - t0) / 1000
  const rate = completed / seconds
  console.log(`registration bench: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL, ${concurrency} concurrent people, ${seconds.toFixed(1)} s`)
  console.log('')
  console.log(`| figure | value |`)
  console.log(`| --- | ---: |`)
  console.log(`| registrations completed (sign-up → verified → 4 profile steps) | ${completed} |`)
  console.log(`| registrations/s | ${rate.toFixed(1)} |`)
  console.log(`| errors | ${errors} |`)
  console.log(`| Argon2id ms per hash (sequential) | ${hashing.msPerHash.toFixed(1)} |`)
  console.log(`| Argon2id hashes/s (parallel, this machine) | ${hashing.hashesPerSecond.toFixed(0)} |`)
  console.log(`| registrations/s ÷ hashes/s (one hash per registration) | ${(rate / hashing.hashesPerSecond).toFixed(3)} |`)
  console.log('')
  console.log('| step | p50 ms | p99 ms | count |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const s of STEPS) {
    const xs = timings.get(s)!
    console.log(`| ${s} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${xs.length} |`)
  }
  await app.close()
  await deps.close()
  await tmp.drop()
  if (errors > 0) process.exitCode = 1
}

await main()
