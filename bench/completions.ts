/**
 * bench/completions: a provider's completion reports, bulk, end to end on PostgreSQL —
 * signed JSON requests of 100 000 rows through the real HTTP route, each row checked,
 * verified by the rules and applied (certificates, reviews, events, mail) — as rows/s, with
 * a bare COPY of the same rows into a scratch table in the same run for the ratio. Then the
 * time from a single report (POST) to the participant's dashboard (GET /pelatihan-saya with a
 * logged-in session) showing the certificate, p50/p99.
 *
 *   npm run bench:completions [-- --rows 1000000 --per-request 100000 --samples 200]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; a throw-away database)
 *
 * Set-up (not timed): purchases seeded with SQL, ten report rows per purchase. Of the
 * purchases, 80 % are an offline course attended by redeem code, 10 % offline with attendance
 * reported in the batch for half of them (the other half goes to review), 10 % self-paced. Per
 * purchase: assignments, one completion, and either one more assignment plus a repeated report
 * id (duplicate), or, for one purchase in ten, a grade out of range and an unknown voucher (rejected).
 * The COPY baseline uses psql's \copy (the psql client must be on PATH).
 */
import crypto from 'node:crypto'
import { spawn } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { v1Headers } from '../src/modules/partners/signature.ts'
import { partnersAndCourses, testWave, PROVIDER } from '../src/modules/purchases/testing.ts'
import { seedPurchases, type SeededPurchase } from '../src/modules/learning/bulk-testing.ts'
import { hashSessionId, SESSION_COOKIE } from '../src/platform/http/session.ts'

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, 'per-request': { type: 'string', default: '100000' }, samples: { type: 'string', default: '200' } } })
const totalRows = Number(values.rows)
const perRequest = Number(values['per-request'])
const samples = Number(values.samples)
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const GOAL_ROWS = 20_000
const GOAL_P99_MS = 1000
const ROWS_PER_PURCHASE = 10

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

type Row = Record<string, string | number>

/** The ten rows of one purchase; `kind` says which group it is in. */
function rowsOf(p: SeededPurchase, n: number, kind: 'attended' | 'reports-attendance' | 'no-attendance' | 'self-paced', completedAt: string): Row[] {
  const id = (s: string) => `B${n}-${s}`
  const out: Row[] = []
  if (kind === 'reports-attendance') out.push({ reportId: id('h'), type: 'attendance', voucherCode: p.voucher, redeemCode: p.redeemCode! })
  const assignments = kind === 'reports-attendance' ? 7 : 8
  for (let a = 1; a <= assignments; a++) out.push({ reportId: id(`a${a}`), type: 'assignment', voucherCode: p.voucher, assignmentRef: `tugas-${a}`, status: 'success' })
  out.push({ reportId: id('c'), type: 'completion', voucherCode: p.voucher, grade: 70 + (n % 30), completedAt, certificateNumber: `LP-${n}`, certificateUrl: `https://lp.example/sertifikat/${n}.pdf` })
  if (n % 10 === 0) {
    out.push({ reportId: id('bad-grade'), type: 'completion', voucherCode: p.voucher, grade: 150, completedAt })
  } else {
    out.push({ reportId: id('a1'), type: 'assignment', voucherCode: p.voucher, assignmentRef: 'tugas-1', status: 'success' })
  }
  if (out.length < ROWS_PER_PURCHASE) out.push(n % 10 === 0 ? { reportId: id('unknown'), type: 'completion', voucherCode: 'VZZZZZZZZZZZ', grade: 80, completedAt } : { reportId: id('a9'), type: 'assignment', voucherCode: p.voucher, assignmentRef: 'tugas-9', status: 'success' })
  return out
}

const CSV_COLUMNS = ['reportId', 'type', 'voucherCode', 'grade', 'completedAt', 'certificateNumber', 'certificateUrl', 'assignmentRef', 'status', 'redeemCode']
const csvLine = (r: Row) => CSV_COLUMNS.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(',')

/** A bare COPY of CSV text into a table, through psql (no COPY client among our dependencies). */
function psqlCopy(url: string, table: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ${table} from stdin with (format csv)`], { stdio: ['pipe', 'inherit', 'inherit'] })
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`))))
    p.stdin.end(text)
  })
}

async function main() {
  const purchases = Math.ceil(totalRows / ROWS_PER_PURCHASE)
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_completions', { DATABASE_POOL_SIZE: '8' })
  const deps = await compose(tmp.config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const db = deps.database.db

  // Set-up (not timed): the session lies in the past, so completions after it are not in the future.
  const t0 = performance.now()
  const f = await partnersAndCourses({ db, clock: deps.clock, identity: deps.identity }, { seats: 1_000_000 })
  const wave = await testWave(db, deps.clock)
  const now = Date.now()
  await db.updateTable('course_sessions').set({ starts_at: new Date(now - 5 * 86_400_000), ends_at: new Date(now - 5 * 86_400_000 + 8 * 3_600_000) }).where('id', '=', f.sessionId).execute()
  const completedAt = new Date(now - 4 * 86_400_000).toISOString()
  const at = new Date(now - 10 * 86_400_000)
  const attended = await seedPurchases(db, f, wave, { batch: 1, count: Math.round(purchases * 0.8), status: 'redeemed', course: 'offline', attended: true, at })
  const notAttended = await seedPurchases(db, f, wave, { batch: 2, count: Math.round(purchases * 0.1), status: 'redeemed', course: 'offline', attended: false, at })
  const selfPaced = await seedPurchases(db, f, wave, { batch: 3, count: purchases - attended.length - notAttended.length, status: 'redeemed', course: 'self_paced', attended: false, at })
  const probes = await seedPurchases(db, f, wave, { batch: 4, count: samples, status: 'redeemed', course: 'offline', attended: true, at })
  await sql`analyze`.execute(db)
  // Interleaved, so every request carries every kind of row.
  const plan: Array<{ p: SeededPurchase; kind: 'attended' | 'reports-attendance' | 'no-attendance' | 'self-paced' }> = []
  for (let i = 0; i < Math.max(attended.length, notAttended.length, selfPaced.length); i++) {
    if (attended[i]) plan.push({ p: attended[i]!, kind: 'attended' })
    if (notAttended[i]) plan.push({ p: notAttended[i]!, kind: i % 2 === 0 ? 'reports-attendance' : 'no-attendance' })
    if (selfPaced[i]) plan.push({ p: selfPaced[i]!, kind: 'self-paced' })
  }
  const setupSeconds = (performance.now() - t0) / 1000

  async function signed(path: string, rawBody: string, contentType: string) {
    const headers = v1Headers(PROVIDER.client, PROVIDER.secret, { method: 'POST', path, rawBody }, new Date())
    const res = await fetch(base + path, { method: 'POST', headers: { ...headers, accept: 'application/json', 'content-type': contentType }, body: rawBody })
    return { status: res.status, json: (await res.json()) as any }
  }

  // The bulk ingest, request by request; only the requests are timed, not building their bodies.
  const counts = { accepted: 0, duplicates: 0, rejected: 0, completed: 0, review: 0 }
  const csv: string[] = []
  let ingestMs = 0
  let sent = 0
  let next = 0
  while (sent < totalRows && next < plan.length) {
    const reports: Row[] = []
    while (reports.length < perRequest && next < plan.length) reports.push(...rowsOf(plan[next]!.p, next, plan[next]!.kind, completedAt)), next++
    const body = JSON.stringify({ reports })
    for (const r of reports) csv.push(csvLine(r))
    const r0 = performance.now()
    const res = await signed('/api/v1/partner/learning/reports', body, 'application/json')
    ingestMs += performance.now() - r0
    if (res.status !== 200) throw new Error(`bulk ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`)
    counts.accepted += res.json.accepted
    counts.duplicates += res.json.duplicates
    counts.rejected += res.json.rejected
    for (const x of res.json.results as Array<{ outcome?: string }>) {
      if (x.outcome === 'completed') counts.completed++
      else if (x.outcome === 'review') counts.review++
    }
    sent += reports.length
  }
  const rowsPerSecond = sent / (ingestMs / 1000)

  // The floor: the same rows as CSV, COPYed into a scratch table with no checks at all.
  await sql`create table copy_scratch (report_id text, type text, voucher_code text, grade int, completed_at timestamptz, certificate_number text, certificate_url text, assignment_ref text, status text, redeem_code text)`.execute(db)
  const text = csv.join('\n') + '\n'
  const c0 = performance.now()
  await psqlCopy(tmp.url, 'copy_scratch', text)
  const copyMs = performance.now() - c0
  const copied = await sql<{ n: number }>`select count(*)::int as n from copy_scratch`.execute(db)
  const copyRowsPerSecond = copied.rows[0]!.n / (copyMs / 1000)

  // Single report to dashboard: POST one completion, then GET the participant's page until it shows the certificate.
  const post: number[] = []
  const toDashboard: number[] = []
  for (const [i, p] of probes.entries()) {
    const raw = crypto.randomBytes(32).toString('base64url')
    await db.insertInto('sessions').values({ id_hash: hashSessionId(raw), account_id: p.accountId, expires_at: new Date(Date.now() + 3_600_000), ip: null, user_agent: 'bench', stage: 'full' }).execute()
    const row = { reportId: `P-${i}`, type: 'completion', voucherCode: p.voucher, grade: 90, completedAt, certificateNumber: null, certificateUrl: null }
    const s0 = performance.now()
    const res = await signed('/api/v1/partner/learning/report', JSON.stringify(row), 'application/json')
    post.push(performance.now() - s0)
    if (res.json.outcome !== 'completed') throw new Error(`probe ${i}: ${JSON.stringify(res.json).slice(0, 300)}`)
    for (;;) {
      const page = await fetch(`${base}/pelatihan-saya`, { headers: { accept: 'text/html', cookie: `${SESSION_COOKIE}=${raw}` } })
      const html = await page.text()
      if (page.status === 200 && html.includes(res.json.certificateNumber)) break
      if (performance.now() - s0 > 30_000) throw new Error(`probe ${i}: certificate not on the dashboard after 30 s (status ${page.status})`)
      await new Promise((r) => setTimeout(r, 10))
    }
    toDashboard.push(performance.now() - s0)
  }

  const db1 = await sql<{ certs: number; reviews: number; events: number; outbox: number }>`
    select (select count(*)::int from certificates) as certs, (select count(*)::int from completion_reviews) as reviews,
      (select count(*)::int from purchase_events) as events, (select count(*)::int from mail_outbox) as outbox`.execute(db)
  const d = db1.rows[0]!
  console.log(`completions bench: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL, ${plan.length} purchases, ${sent} rows in ${Math.ceil(sent / perRequest)} signed requests of up to ${perRequest} rows (set-up ${setupSeconds.toFixed(1)} s, not counted)`)
  console.log('')
  console.log('| figure | value |')
  console.log('| --- | ---: |')
  console.log(`| rows ingested end to end (HTTP, parse, verify, apply) | ${sent} in ${(ingestMs / 1000).toFixed(1)} s |`)
  console.log(`| rows/s | ${rowsPerSecond.toFixed(0)} |`)
  console.log(`| rows/s ÷ goal (${GOAL_ROWS}) | ${(rowsPerSecond / GOAL_ROWS).toFixed(2)} |`)
  console.log(`| bare COPY of the same rows, rows/s | ${copyRowsPerSecond.toFixed(0)} (${(copyMs / 1000).toFixed(1)} s) |`)
  console.log(`| ingest rows/s ÷ COPY rows/s | ${(rowsPerSecond / copyRowsPerSecond).toFixed(3)} |`)
  console.log(`| accepted / duplicate / rejected | ${counts.accepted} / ${counts.duplicates} / ${counts.rejected} |`)
  console.log(`| completions completed / sent to review | ${counts.completed} / ${counts.review} |`)
  console.log(`| in the database: certificates / reviews / purchase events / outbox messages | ${d.certs} / ${d.reviews} / ${d.events} / ${d.outbox} |`)
  console.log(`| single report POST p50 / p99 ms | ${pct(post, 50).toFixed(1)} / ${pct(post, 99).toFixed(1)} |`)
  console.log(`| single report → dashboard shows the certificate, p50 / p99 ms (${probes.length} samples) | ${pct(toDashboard, 50).toFixed(1)} / ${pct(toDashboard, 99).toFixed(1)} |`)
  console.log(`| p99 ÷ goal (${GOAL_P99_MS} ms) | ${(pct(toDashboard, 99) / GOAL_P99_MS).toFixed(3)} |`)
  await app.close()
  await deps.close()
  await tmp.drop()
}

await main()
