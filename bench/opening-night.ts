/**
 * bench/opening-night: opening night on this machine with PostgreSQL.
 *  1. the limits, measured in the same run: a bare insert loop into PostgreSQL (one row per
 *     statement, autocommit, 8 connections) and Argon2id hashes/s at the configured cost;
 *  2. registrations/s end to end over HTTP (form, sign-up, e-mail and SMS verification, first
 *     profile step), with the password hash and, in a child process with bench/no-hashing.mjs,
 *     without it; p50/p99 per step; rows per registration counted in every table, and SQL
 *     statements per registration counted at the driver (the bench's own code reads left out);
 *  3. the waiting room: new arrivals (no cookie) at a fixed rate (default the real 2020 peak,
 *     1 500/s) and at full speed, every answer a place (429) or an admission (200), never a 5xx;
 *     and people already holding a place asking again (the cheap refusal path).
 *
 *   npm run bench:opening-night [-- --duration 15 --concurrency 16 --arrivals 1500 --arrival-seconds 10]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; throw-away databases)
 */
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { hash } from '@node-rs/argon2'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import pg from 'pg'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { generatePeople, type Person } from '../src/sandboxes/population/index.ts'
import { ageOn, todayInJakarta } from '../src/modules/registration/index.ts'
import { Client, percentile, register, STEPS, type CodeSource } from '../scripts/load/crowd.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '16' },
    arrivals: { type: 'string', default: '1500' },
    'arrival-seconds': { type: 'string', default: '10' },
    phase: { type: 'string' },
  },
})
const durationMs = Number(values.duration) * 1000
const concurrency = Number(values.concurrency)
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

interface RegistrationRun {
  completed: number
  errors: number
  seconds: number
  rowsPerRegistration: number
  statementsPerRegistration: number
  steps: Record<string, [number, number, number]>
  firstError: string | null
}

/** Rows in every table of the app's schemas, counted (the statistics views lag behind). */
async function countRows(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const tables = await c.query<{ s: string; t: string }>(
    "select table_schema as s, table_name as t from information_schema.tables where table_schema in ('public','pgboss') and table_type = 'BASE TABLE'",
  )
  let total = 0
  for (const { s, t } of tables.rows) total += Number((await c.query<{ n: string }>(`select count(*) as n from "${s}"."${t}"`)).rows[0]!.n)
  await c.end()
  return total
}

/** Phase 2, run in a child process (so the no-hashing variant can swap the module). Prints JSON. */
async function registrationsPhase(): Promise<void> {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_on', { DATABASE_POOL_SIZE: '10', WAITING_ROOM_ENABLED: 'false' })
  const deps = await compose(tmp.config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const db = deps.database.db
  // Statements sent to PostgreSQL while the people register, counted at the driver (the app and
  // this bench share the `pg` module); the bench's own reads of the codes are subtracted.
  let statements = 0
  let codeReads = 0
  let counting = false
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (counting) statements++
    return query.apply(this, args)
  } as typeof pg.Client.prototype.query
  const codes: CodeSource = async (to, channel) => {
    codeReads++
    const row = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', to).where('channel', '=', channel).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    return (channel === 'email' ? /e-mail Anda: (\d{6})/ : /Karya: (\d{6})/).exec(row.text_body)![1]!
  }
  const today = todayInJakarta()
  const people: Iterator<Person> = (function* () {
    for (const p of generatePeople({ seed: 2020, size: 5_000_000 })) {
      const age = ageOn(p.dateOfBirth, today)
      if (age >= 18 && age <= 64) yield p
    }
  })()
  const timings = new Map<string, number[]>(STEPS.map((s) => [s, []]))
  let completed = 0
  let errors = 0
  let firstError: string | null = null
  let n = 0
  const before = await countRows(tmp.url)
  counting = true
  const t0 = Date.now()
  const deadline = t0 + durationMs
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const i = n++
        try {
          const out = await register(new Client([base]), {
            person: people.next().value as Person,
            email: `malam${i}@example.id`,
            phone: `+6281${String(20_000_000 + i).padStart(9, '0')}`,
            codes,
            maxWaitMs: 0,
            profile: true,
          })
          for (const [k, ms] of Object.entries(out.timings)) timings.get(k)!.push(ms)
          completed++
        } catch (err) {
          errors++
          firstError ??= String(err)
        }
      }
    }),
  )
  const seconds = (Date.now() - t0) / 1000
  counting = false
  const after = await countRows(tmp.url)
  await app.close()
  await deps.close()
  await tmp.drop()
  const steps: Record<string, [number, number, number]> = {}
  for (const [k, xs] of timings) if (xs.length > 0) steps[k] = [percentile(xs, 50), percentile(xs, 99), xs.length]
  const per = (x: number) => (completed > 0 ? x / completed : NaN)
  const run: RegistrationRun = {
    completed,
    errors,
    seconds,
    rowsPerRegistration: per(after - before),
    statementsPerRegistration: per(statements - codeReads),
    steps,
    firstError,
  }
  process.stdout.write(`${JSON.stringify(run)}\n`)
}

function child(noHashing: boolean): Promise<RegistrationRun> {
  const args = ['--import', 'tsx', ...(noHashing ? ['--import', './bench/no-hashing.mjs'] : []), 'bench/opening-night.ts', '--phase', 'registrations', '--duration', String(values.duration), '--concurrency', String(concurrency)]
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'], env: process.env })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      try {
        resolve(JSON.parse(line) as RegistrationRun)
      } catch {
        reject(new Error(`registration phase exited ${code}: ${out.slice(-500)}`))
      }
    })
  })
}

async function insertLimit(): Promise<number> {
  const pool = new pg.Pool({ connectionString: baseUrl, max: 8 })
  const table = `bench_insert_${process.pid}`
  await pool.query(`create table ${table} (id bigserial primary key, account_id uuid not null, at timestamptz not null default now(), body text not null)`)
  let done = 0
  const deadline = Date.now() + Math.min(durationMs, 10_000)
  const t0 = Date.now()
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < deadline) {
        await pool.query(`insert into ${table} (account_id, body) values (gen_random_uuid(), $1)`, ['opening night'])
        done++
      }
    }),
  )
  const rate = done / ((Date.now() - t0) / 1000)
  await pool.query(`drop table ${table}`)
  await pool.end()
  return rate
}

async function hashLimit(): Promise<{ msPerHash: number; hashesPerSecond: number }> {
  for (let i = 0; i < 5; i++) await hash(`warm-${i}`)
  let t0 = performance.now()
  for (let i = 0; i < 30; i++) await hash(`sequential-${i}`)
  const msPerHash = (performance.now() - t0) / 30
  t0 = performance.now()
  await Promise.all(Array.from({ length: 80 }, (_, i) => hash(`parallel-${i}`)))
  return { msPerHash, hashesPerSecond: 80 / ((performance.now() - t0) / 1000) }
}

interface RoomRun {
  label: string
  rps: number
  p50: number
  p99: number
  places: number
  admitted: number
  shownErrors: number
}

async function waitingRoomPhase(): Promise<{ runs: RoomRun[]; rate: number; healthRps: number; hello: number }> {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_wr', { DATABASE_POOL_SIZE: '10', WAITING_ROOM_ENABLED: 'true' })
  const deps = await compose(tmp.config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const seconds = Number(values['arrival-seconds'])
  const target = Number(values.arrivals)
  const headers = { accept: 'text/html' }
  const one = async (label: string, opts: { overallRate?: number; headers?: Record<string, string> }): Promise<RoomRun> => {
    const r = await autocannon({ url: `${base}/daftar`, connections: 100, duration: seconds, headers: { ...headers, ...opts.headers }, ...(opts.overallRate ? { overallRate: opts.overallRate } : {}) })
    const stats = (r as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats
    const count = (code: string) => stats[code]?.count ?? 0
    const fivexx = Object.entries(stats).filter(([k]) => k.startsWith('5')).reduce((s, [, v]) => s + v.count, 0)
    return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, places: count('429'), admitted: count('200'), shownErrors: fivexx + r.errors + r.timeouts }
  }
  const runs: RoomRun[] = []
  const health = await autocannon({ url: `${base}/health`, connections: 100, duration: seconds })
  runs.push(await one(`new arrivals at ${target}/s`, { overallRate: target }))
  runs.push(await one('new arrivals, as fast as they come', {}))
  // One person holding a place, asking again and again: answered from the cached line.
  const first = await fetch(`${base}/daftar`, { headers })
  const pass = first.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c!.startsWith('karya_antre='))
  if (pass?.startsWith('karya_antre=t.')) {
    runs.push(await one('people already in line asking again', { headers: { cookie: pass } }))
    // One connection: the time the server itself takes to refuse, without queueing behind others.
    const single = await autocannon({ url: `${base}/daftar`, connections: 1, duration: Math.min(seconds, 3), headers: { ...headers, cookie: pass } })
    runs.push({ label: 'one person in line asking again, one connection', rps: single.requests.average, p50: single.latency.p50, p99: single.latency.p99, places: single.non2xx, admitted: single['2xx'], shownErrors: single.errors + single.timeouts })
  }
  const rate = tmp.config.waitingRoom.ratePerSecond
  await app.close()
  await deps.close()
  await tmp.drop()
  return { runs, rate, healthRps: health.requests.average, hello: await helloWorld(seconds) }
}

/** The machine's HTTP limit right now: a bare Fastify hello-world under the same load generator. */
async function helloWorld(seconds: number): Promise<number> {
  const app = Fastify()
  app.get('/', async () => 'hello')
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const r = await autocannon({ url, connections: 100, duration: seconds })
  await app.close()
  return r.requests.average
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–')

async function main(): Promise<void> {
  const load0 = os.loadavg()
  const started = new Date().toISOString()
  const inserts = await insertLimit()
  const hashing = await hashLimit()
  const withHash = await child(false)
  const noHash = await child(true)
  const room = await waitingRoomPhase()
  const load1 = os.loadavg()
  const rate = (r: RegistrationRun) => r.completed / r.seconds
  const out: string[] = []
  out.push(`opening-night bench: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL, started ${started}`)
  out.push(`load average before ${load0.map((x) => x.toFixed(2)).join(' / ')}, after ${load1.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min; the machine is shared)`)
  out.push(`registrations: ${concurrency} concurrent people, ${values.duration} s per variant; waiting room: ${values['arrival-seconds']} s per run, admission rate ${room.rate}/s`)
  out.push('')
  out.push('| limit (same run) | value |')
  out.push('| --- | ---: |')
  out.push(`| bare insert loop into PostgreSQL (rows/s, 8 connections) | ${fmt(inserts, 0)} |`)
  out.push(`| Argon2id ms per hash (sequential, configured cost) | ${fmt(hashing.msPerHash)} |`)
  out.push(`| Argon2id hashes/s (parallel) | ${fmt(hashing.hashesPerSecond, 0)} |`)
  out.push(`| bare Fastify hello-world (req/s, 100 connections) | ${fmt(room.hello, 0)} |`)
  out.push(`| Karya GET /health (req/s, 100 connections) | ${fmt(room.healthRps, 0)} |`)
  out.push('')
  out.push('| figure | value | ratio to its limit |')
  out.push('| --- | ---: | ---: |')
  for (const [label, r] of [['with Argon2id', withHash], ['hashing off (bench only)', noHash]] as const) {
    out.push(`| registrations/s ${label} (form → profile step 1) | ${fmt(rate(r))} | ${fmt(rate(r) / hashing.hashesPerSecond, 3)} of hashes/s |`)
    out.push(`| rows written/s ${label} (${fmt(r.rowsPerRegistration)} rows per registration) | ${fmt(rate(r) * r.rowsPerRegistration, 0)} | ${fmt((rate(r) * r.rowsPerRegistration) / inserts, 3)} of the insert loop |`)
    out.push(`| SQL statements per registration ${label} (counted at the driver) | ${fmt(r.statementsPerRegistration)} | |`)
    out.push(`| errors ${label} | ${r.errors} of ${r.completed + r.errors} | |`)
  }
  for (const w of room.runs) {
    out.push(`| waiting room, ${w.label}: answers/s | ${fmt(w.rps, 0)} | ${fmt(w.rps / room.healthRps, 3)} of /health, ${fmt(w.rps / room.hello, 3)} of hello-world |`)
    out.push(`| … places given (429) / admitted (200) / errors shown (5xx, resets, timeouts) | ${w.places} / ${w.admitted} / ${w.shownErrors} | |`)
    out.push(`| … latency p50 / p99 ms | ${w.p50} / ${w.p99} | |`)
  }
  out.push('')
  out.push('| step | p50 ms (Argon2id) | p99 ms (Argon2id) | p50 ms (no hash) | p99 ms (no hash) | count |')
  out.push('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const s of STEPS) {
    const a = withHash.steps[s]
    const b = noHash.steps[s]
    if (a || b) out.push(`| ${s} | ${fmt(a?.[0] ?? NaN)} | ${fmt(a?.[1] ?? NaN)} | ${fmt(b?.[0] ?? NaN)} | ${fmt(b?.[1] ?? NaN)} | ${(a?.[2] ?? 0) + (b?.[2] ?? 0)} |`)
  }
  for (const r of [withHash, noHash]) if (r.firstError) out.push(`first error: ${r.firstError}`)
  process.stdout.write(`${out.join('\n')}\n`)
  if (withHash.errors + noHash.errors + room.runs.reduce((s, w) => s + w.shownErrors, 0) > 0) process.exitCode = 1
}

if (values.phase === 'registrations') await registrationsPhase()
else await main()
