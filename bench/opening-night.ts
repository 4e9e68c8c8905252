/**
 * bench/opening-night: opening night on this machine with PostgreSQL.
 *  1. the limits, measured in the same run: a bare insert loop into PostgreSQL (one row per
 *     statement, autocommit, 8 connections) and Argon2id hashes/s at the configured cost;
 *  2. registrations/s end to end over HTTP (form, sign-up, e-mail and SMS verification, first
 *     profile step), with the password hash and, in a child process with bench/no-hashing.mjs,
 *     without it; p50/p99 per step; rows per registration counted in every table, and SQL
 *     statements per registration counted at the driver; the load generator (the people, over
 *     node:http) runs in its own process, and the CPU time per registration of each part is
 *     reported (app process, PostgreSQL's backends and background processes from /proc, load
 *     generator) beside Argon2id's CPU per hash and the budget that 0.7 of the hashing limit leaves;
 *     --profile DIR writes CPU profiles of the app and the load generator over the measured window;
 *  3. the waiting room: new arrivals (no cookie) at a fixed rate (default the real 2020 peak,
 *     1 500/s) and at full speed, every answer a place (429) or an admission (200), never a 5xx;
 *     and people already holding a place asking again (the cheap refusal path).
 *
 *   npm run bench:opening-night [-- --duration 15 --concurrency 16 --arrivals 1500 --arrival-seconds 10]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; throw-away databases)
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import inspector from 'node:inspector/promises'
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
    // Writes a CPU profile of the registration phase's measured window (app and client) here.
    profile: { type: 'string' },
    // Internal: the load generator's process (--phase load).
    base: { type: 'string' },
    db: { type: 'string' },
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
  /** Machine time per registration (ms) by part. */
  cpu: CpuSplit
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

/** CPU time (ms, user + system) of the PostgreSQL processes given, read from /proc (same machine). */
async function processCpuMs(pids: readonly number[]): Promise<Map<number, number>> {
  const tick = 1000 / 100 // USER_HZ
  const out = new Map<number, number>()
  for (const pid of pids) {
    try {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(pid, (Number(f[11]) + Number(f[12])) * tick)
    } catch {
      // gone, or PostgreSQL on another machine: counted as nothing
    }
  }
  return out
}

/** Where the machine's time went during the run: the app, the load generator, PostgreSQL. */
interface CpuSplit {
  /** The app process: every thread, so the Argon2id hashes on the libuv pool are in it. */
  appMs: number
  /** The load generator's process (undici, the population, the code reads). */
  clientMs: number
  /** PostgreSQL backends serving this run's database (the app's pool and the code reads). */
  postgresMs: number
  /** PostgreSQL's shared background processes (WAL writer, checkpointer…; other users of the server count here too). */
  postgresBackgroundMs: number
  /** Whether /proc showed PostgreSQL's processes (false: PostgreSQL on another machine). */
  postgresSeen: boolean
}

interface LoadResult {
  completed: number
  errors: number
  seconds: number
  timings: Record<string, number[]>
  firstError: string | null
  cpuMs: number
}

/**
 * The load generator, in its own process (started by the registrations phase), so that its
 * HTTP client does not share the app's event loop; it still shares the machine's cores. Reads
 * "go" on stdin, runs `concurrency` people for `duration` s, prints a LoadResult as JSON.
 */
async function loadPhase(): Promise<void> {
  const base = values.base!
  const pool = new pg.Pool({ connectionString: values.db!, max: 4 })
  const codes: CodeSource = async (to, channel) => {
    const r = await pool.query<{ text_body: string }>('select text_body from mail_outbox where to_address = $1 and channel = $2 order by created_at desc limit 1', [to, channel])
    return (channel === 'email' ? /e-mail Anda: (\d{6})/ : /Karya: (\d{6})/).exec(r.rows[0]!.text_body)![1]!
  }
  const today = todayInJakarta()
  const people: Iterator<Person> = (function* () {
    for (const p of generatePeople({ seed: 2020, size: 5_000_000 })) {
      const age = ageOn(p.dateOfBirth, today)
      if (age >= 18 && age <= 64) yield p
    }
  })()
  // One warm-up person outside the timings (first requests compile routes and load the regions).
  const warm = (i: number) =>
    register(new Client([base]), {
      person: people.next().value as Person,
      email: `malam${i}@example.id`,
      phone: `+6281${String(20_000_000 + i).padStart(9, '0')}`,
      codes,
      maxWaitMs: 0,
      profile: true,
    })
  await warm(999_999)
  process.stdout.write('ready\n')
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
  const timings: Record<string, number[]> = Object.fromEntries(STEPS.map((s) => [s, []]))
  let completed = 0
  let errors = 0
  let firstError: string | null = null
  let n = 0
  const profiler = values.profile ? await startProfile() : null
  const cpu0 = process.cpuUsage()
  const t0 = Date.now()
  const deadline = t0 + durationMs
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        try {
          const out = await warm(n++)
          for (const [k, ms] of Object.entries(out.timings)) timings[k]!.push(ms)
          completed++
        } catch (err) {
          errors++
          firstError ??= String(err)
        }
      }
    }),
  )
  const seconds = (Date.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (profiler) await profiler.stop(path.join(values.profile!, `load-${process.pid}.cpuprofile`))
  await pool.end()
  const result: LoadResult = { completed, errors, seconds, timings, firstError, cpuMs: (cpu.user + cpu.system) / 1000 }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/** Starts the load generator (loadPhase) and resolves once it is warm; go() runs it. */
function startLoad(base: string, dbUrl: string): Promise<{ go(): Promise<LoadResult> }> {
  const args = ['--import', 'tsx', 'bench/opening-night.ts', '--phase', 'load', '--base', base, '--db', dbUrl, '--duration', String(values.duration), '--concurrency', String(concurrency), ...(values.profile ? ['--profile', values.profile] : [])]
  const p = spawn(process.execPath, args, { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'], env: process.env })
  let out = ''
  const exited = new Promise<LoadResult>((resolve, reject) => {
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      try {
        resolve(JSON.parse(line) as LoadResult)
      } catch {
        reject(new Error(`load generator exited ${code}: ${out.slice(-500)}`))
      }
    })
  })
  let ready = false
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d) => {
      out += d
      if (!ready && out.includes('ready\n')) {
        ready = true
        resolve({
          go() {
            p.stdin!.end('go\n')
            return exited
          },
        })
      }
    })
    exited.catch(reject)
  })
}

/** Phase 2, run in a child process (so the no-hashing variant can swap the module). Prints JSON. */
async function registrationsPhase(): Promise<void> {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_on', { DATABASE_POOL_SIZE: '10', WAITING_ROOM_ENABLED: 'false' })
  const deps = await compose(tmp.config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  // Statements sent to PostgreSQL by the app while the people register, counted at the driver
  // (the load generator reads the codes from its own process, so they are not counted).
  let statements = 0
  let counting = false
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  // With --profile, each statement's time from send to answer (PostgreSQL's work and the waits
  // around it), by its first words, printed to stderr at the end.
  const byStatement = new Map<string, { n: number; ms: number }>()
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (counting) statements++
    const out = query.apply(this, args)
    if (counting && values.profile && out && typeof (out as Promise<unknown>).then === 'function') {
      const a0 = args[0] as string | { text?: string }
      const text = (typeof a0 === 'string' ? a0 : (a0?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 90)
      const t = performance.now()
      ;(out as Promise<unknown>).then(
        () => {
          const e = byStatement.get(text) ?? { n: 0, ms: 0 }
          e.n++
          e.ms += performance.now() - t
          byStatement.set(text, e)
        },
        () => {},
      )
    }
    return out
  } as typeof pg.Client.prototype.query
  const load = await startLoad(base, tmp.url)
  const before = await countRows(tmp.url)
  // PostgreSQL's processes: the backends of this database (pids after the run include the ones
  // the pools opened meanwhile) and the server's background processes.
  const admin = new pg.Client({ connectionString: tmp.url })
  await admin.connect()
  const adminPid = (await admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid
  const backends = async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows.map((r) => r.pid)
  const background = (await admin.query<{ pid: number }>("select pid from pg_stat_activity where backend_type not in ('client backend')")).rows.map((r) => r.pid)
  const pg0 = await processCpuMs(await backends())
  const bg0 = await processCpuMs(background)
  const profiler = values.profile ? await startProfile() : null
  const app0 = process.cpuUsage()
  counting = true
  const result = await load.go()
  counting = false
  const appCpu = process.cpuUsage(app0)
  const pg1 = await processCpuMs((await backends()).filter((pid) => pid !== adminPid))
  const bg1 = await processCpuMs(background)
  await admin.end()
  const delta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((s, [pid, ms]) => s + ms - (a.get(pid) ?? 0), 0)
  const completed = result.completed
  const per = (x: number) => (completed > 0 ? x / completed : NaN)
  if (profiler) await profiler.stop(path.join(values.profile!, `registrations-${process.pid}.cpuprofile`))
  if (values.profile) {
    const rows = [...byStatement].sort((a, b) => b[1].ms - a[1].ms)
    for (const [text, e] of rows) process.stderr.write(`${per(e.ms).toFixed(2).padStart(8)} ms/reg ${per(e.n).toFixed(2).padStart(6)} per reg ${(e.ms / e.n).toFixed(2).padStart(8)} ms each  ${text}\n`)
  }
  const after = await countRows(tmp.url)
  await app.close()
  await deps.close()
  await tmp.drop()
  const steps: Record<string, [number, number, number]> = {}
  for (const [k, xs] of Object.entries(result.timings)) if (xs.length > 0) steps[k] = [percentile(xs, 50), percentile(xs, 99), xs.length]
  const run: RegistrationRun = {
    completed,
    errors: result.errors,
    seconds: result.seconds,
    rowsPerRegistration: per(after - before),
    statementsPerRegistration: per(statements),
    steps,
    firstError: result.firstError,
    cpu: {
      appMs: per((appCpu.user + appCpu.system) / 1000),
      clientMs: per(result.cpuMs),
      postgresMs: per(delta(pg0, pg1)),
      postgresBackgroundMs: per(delta(bg0, bg1)),
      postgresSeen: bg0.size > 0,
    },
  }
  process.stdout.write(`${JSON.stringify(run)}\n`)
}

/** A CPU profile of this process from now until stop() (node:inspector, the same format as --cpu-prof). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop')
      await fs.mkdir(path.dirname(file), { recursive: true })
      await fs.writeFile(file, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

function child(noHashing: boolean): Promise<RegistrationRun> {
  const args = ['--import', 'tsx', ...(noHashing ? ['--import', './bench/no-hashing.mjs'] : []), 'bench/opening-night.ts', '--phase', 'registrations', '--duration', String(values.duration), '--concurrency', String(concurrency), ...(values.profile ? ['--profile', values.profile] : [])]
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

async function hashLimit(): Promise<{ msPerHash: number; cpuMsPerHash: number; hashesPerSecond: number }> {
  for (let i = 0; i < 5; i++) await hash(`warm-${i}`)
  let t0 = performance.now()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < 30; i++) await hash(`sequential-${i}`)
  const cpu = process.cpuUsage(cpu0)
  const msPerHash = (performance.now() - t0) / 30
  t0 = performance.now()
  await Promise.all(Array.from({ length: 80 }, (_, i) => hash(`parallel-${i}`)))
  // CPU time (the libuv thread's included) is what the hash takes from the machine whatever the load.
  return { msPerHash, cpuMsPerHash: (cpu.user + cpu.system) / 1000 / 30, hashesPerSecond: 80 / ((performance.now() - t0) / 1000) }
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
  out.push(`| Argon2id CPU ms per hash (sequential, user + system) | ${fmt(hashing.cpuMsPerHash)} |`)
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
  out.push('Machine time per registration by part (CPU ms, user + system; the load generator runs in its own process):')
  out.push('')
  out.push('| part | with Argon2id | hashing off |')
  out.push('| --- | ---: | ---: |')
  const parts: [string, (c: CpuSplit) => number][] = [
    ['app process (Node; Argon2id threads included)', (c) => c.appMs],
    ['PostgreSQL backends of the run', (c) => c.postgresMs],
    ['PostgreSQL background (WAL writer, checkpointer; shared server)', (c) => c.postgresBackgroundMs],
    ['load generator process', (c) => c.clientMs],
    ['total', (c) => c.appMs + c.postgresMs + c.postgresBackgroundMs + c.clientMs],
  ]
  for (const [label, f] of parts) out.push(`| ${label} | ${fmt(f(withHash.cpu))} | ${fmt(f(noHash.cpu))} |`)
  const machine = (c: CpuSplit) => c.appMs + c.postgresMs + c.postgresBackgroundMs + c.clientMs
  out.push(`| registrations/s the ${os.cpus().length} cores would allow at this cost | ${fmt((os.cpus().length * 1000) / machine(withHash.cpu))} | ${fmt((os.cpus().length * 1000) / machine(noHash.cpu))} |`)
  out.push(`| Argon2id per registration at the parallel rate (${os.cpus().length} cores ÷ hashes/s) | ${fmt((os.cpus().length * 1000) / hashing.hashesPerSecond)} | |`)
  // At 0.7 of the hashing limit the hash takes 70 % of the machine: everything else gets 3/7 of a hash.
  out.push(`| budget for everything but the hash at 0.7 of the hashing limit (3/7 × Argon2id CPU ms per hash) | ${fmt((hashing.cpuMsPerHash * 3) / 7)} | |`)
  out.push(`| everything but the hash, measured (total hashing off) | ${fmt(machine(noHash.cpu))} | ${fmt(machine(noHash.cpu) / ((hashing.cpuMsPerHash * 3) / 7), 1)} × the budget |`)
  if (!withHash.cpu.postgresSeen) out.push('(PostgreSQL is not on this machine: its part is not measured)')
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
else if (values.phase === 'load') await loadPhase()
else await main()
