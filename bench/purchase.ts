/**
 * bench/purchase: complete purchases through the signed partner API on PostgreSQL — start
 * (card + course), the participant's one-time code, authorise (ledger hold + seat in one
 * transaction), confirm (post + voucher) — by concurrent platform clients over real HTTP.
 * Prints purchases/s, p50/p99 per purchase and per step, and, in the same run, a signed
 * no-op partner request (GET /api/v1/partner/me) for the ratio.
 *
 *   npm run bench:purchase [-- --duration 20 --concurrency 32 --cards 12000]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; a throw-away database)
 *
 * Reading the code back from the outbox (as the participant reads the SMS) is part of each
 * purchase here; it is one indexed query.
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { createLedger } from '../src/modules/ledger/index.ts'
import { v1Headers } from '../src/modules/partners/signature.ts'
import { partnersAndCourses, testWave, PLATFORM } from '../src/modules/purchases/testing.ts'

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '32' }, cards: { type: 'string', default: '12000' } },
})
const durationMs = Number(values.duration) * 1000
const concurrency = Number(values.concurrency)
const cardCount = Number(values.cards)
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const GOAL = 500

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function main() {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_purchase', { DATABASE_POOL_SIZE: '16' })
  const config = tmp.config
  const deps = await compose(config, { runWorkers: false })
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const db = deps.database.db

  // Set-up (not timed): partners, two courses (self-paced, and offline with a large session), cards with balance.
  const t0 = performance.now()
  const f = await partnersAndCourses({ db, clock: deps.clock, identity: deps.identity }, { seats: 1_000_000 })
  const wave = await testWave(db, deps.clock)
  await sql`
    insert into accounts (id, email, phone, display_name, role, status, created_at, email_verified_at, phone_verified_at)
    select gen_random_uuid(), 'bench' || g || '@example.id', '+62819' || lpad(g::text, 8, '0'), 'Peserta ' || g, 'participant', 'active', now(), now(), now()
    from generate_series(1, ${cardCount}) g`.execute(db)
  await sql`
    insert into cards (card_number, account_id, nik_hash, kk_hash, wave_id, status, issued_at, first_purchase_deadline)
    select '9360' || lpad((row_number() over ())::text, 12, '0'), a.id, 'nik-' || a.id, 'kk-' || a.id, ${wave}, 'active', now(), now() + interval '30 days'
    from accounts a where a.email like 'bench%'`.execute(db)
  const ledger = createLedger({ jobs: deps.jobs, clock: deps.clock })
  const budget = await ledger.openAccount(db, 'state_budget')
  const fund = await ledger.openAccount(db, 'programme_fund')
  await ledger.transfer(db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: cardCount * 3_500_000, code: 'fund_deposit', reference: { type: 'bench', id: 'fund' }, idempotencyKey: 'bench-fund' })
  const people = await db.selectFrom('cards as c').innerJoin('accounts as a', 'a.id', 'c.account_id').select(['c.card_number', 'a.id', 'a.phone']).execute()
  for (let i = 0; i < people.length; i += 200) {
    await Promise.all(
      people.slice(i, i + 200).map(async (p) => {
        const training = await ledger.openAccount(db, 'participant_training', p.id)
        await ledger.transfer(db, { debitAccountId: fund.id, creditAccountId: training.id, amount: 3_500_000, code: 'credit_balance', reference: { type: 'card', id: p.id }, idempotencyKey: `bench-credit-${p.id}` })
      }),
    )
  }
  const setupSeconds = (performance.now() - t0) / 1000

  async function signedFetch(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const rawBody = body === undefined ? '' : JSON.stringify(body)
    const headers = v1Headers(PLATFORM.client, PLATFORM.secret, { method, path, rawBody }, new Date())
    const res = await fetch(base + path, { method, headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : rawBody })
    return { status: res.status, json: await res.json() }
  }

  const steps = { start: [] as number[], code: [] as number[], authorise: [] as number[], confirm: [] as number[] }
  const whole: number[] = []
  let next = 0
  let completed = 0
  let errors = 0
  async function one(): Promise<boolean> {
    const p = people[next++]
    if (!p) return false
    const w0 = performance.now()
    const selfPaced = next % 2 === 0
    let s0 = performance.now()
    const start = await signedFetch('POST', '/api/v1/partner/purchases', { orderRef: `B-${p.id}`, cardNumber: p.card_number, courseId: selfPaced ? f.selfPacedId : f.courseId, sessionId: selfPaced ? null : f.sessionId, platformUserRef: `u-${p.id}` })
    steps.start.push(performance.now() - s0)
    if (start.status !== 200) throw new Error(`start ${start.status} ${JSON.stringify(start.json).slice(0, 200)}`)
    s0 = performance.now()
    const sms = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', p.phone!).orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
    const otp = /Kode OTP Karya: (\d{6})/.exec(sms.text_body)![1]!
    steps.code.push(performance.now() - s0)
    s0 = performance.now()
    const auth = await signedFetch('POST', `/api/v1/partner/purchases/${start.json.id}/authorise`, { otp })
    steps.authorise.push(performance.now() - s0)
    if (auth.status !== 200) throw new Error(`authorise ${auth.status} ${JSON.stringify(auth.json).slice(0, 200)}`)
    s0 = performance.now()
    const conf = await signedFetch('POST', `/api/v1/partner/purchases/${start.json.id}/confirm`)
    steps.confirm.push(performance.now() - s0)
    if (conf.status !== 200 || !conf.json.voucherCode) throw new Error(`confirm ${conf.status}`)
    whole.push(performance.now() - w0)
    completed++
    return true
  }

  const deadline = Date.now() + durationMs
  const b0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        try {
          if (!(await one())) return
        } catch (err) {
          errors++
          if (errors <= 3) console.error(String(err))
        }
      }
    }),
  )
  const seconds = (performance.now() - b0) / 1000
  const rate = completed / seconds

  // The floor in the same run: a signed call that does nothing but authenticate (signature, nonce).
  const noopDeadline = Date.now() + Math.min(durationMs, 10_000)
  let noops = 0
  const n0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < noopDeadline) {
        const r = await signedFetch('GET', '/api/v1/partner/me')
        if (r.status === 200) noops++
      }
    }),
  )
  const noopRate = noops / ((performance.now() - n0) / 1000)

  const held = await sql<{ n: number }>`select count(*)::int as n from purchases where status = 'paid'`.execute(db)
  console.log(`purchase bench: ${os.cpus().length} cores, Node ${process.version}, PostgreSQL, ${concurrency} concurrent platform clients, ${seconds.toFixed(1)} s (set-up ${setupSeconds.toFixed(1)} s, not counted)`)
  console.log('')
  console.log('| figure | value |')
  console.log('| --- | ---: |')
  console.log(`| purchases completed (start → code → authorise → confirm) | ${completed} |`)
  console.log(`| purchases/s | ${rate.toFixed(1)} |`)
  console.log(`| goal (purchases/s) | ${GOAL} |`)
  console.log(`| purchases/s ÷ goal | ${(rate / GOAL).toFixed(2)} |`)
  console.log(`| purchase p50 / p99 ms | ${pct(whole, 50).toFixed(1)} / ${pct(whole, 99).toFixed(1)} |`)
  console.log(`| signed no-op requests/s (GET /api/v1/partner/me) | ${noopRate.toFixed(0)} |`)
  console.log(`| purchases/s ÷ signed no-op requests/s (a purchase is 3 signed calls) | ${(rate / noopRate).toFixed(3)} |`)
  console.log(`| errors | ${errors} |`)
  console.log(`| purchases paid in the database | ${held.rows[0]!.n} |`)
  console.log('')
  console.log('| step | p50 ms | p99 ms |')
  console.log('| --- | ---: | ---: |')
  for (const [name, xs] of Object.entries(steps)) console.log(`| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} |`)
  await app.close()
  await deps.close()
  await tmp.drop()
  if (errors > 0) process.exitCode = 1
}

await main()
