/**
 * bench/payouts: incentive payouts end to end against the sandbox payment partners on
 * PostgreSQL — the daily run (per partner, side by side: batches written ahead in one
 * transaction each — fund check, credits and holds in the ledger — then sent with their
 * idempotency keys, the answers recorded together), the partners' signed callbacks in batches
 * through the real callback route (app.inject), and their confirmation (holds posted, one
 * settlement transfer per batch). Two runs:
 *
 *  1. throughput: `--clean` payouts, no faults; payouts confirmed paid per second.
 *  2. fault run: `--count` payouts (default 100 000) with timeouts (half of them after the
 *     partner paid), duplicate and reordered callbacks, lost callbacks (the statement
 *     confirms those), closed accounts, and the process "killed" between a send and its
 *     record; the run is repeated until nothing is in flight. Then the sandbox's own books
 *     of money sent are compared with ours: double payments and lost payouts must be 0 and 0.
 *
 *   npm run bench:payouts [-- --count 100000 --clean 5000 --concurrency 16 --callback-batch 200]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; a throw-away database)
 */
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { createLedger } from '../src/modules/ledger/index.ts'
import { incentivesDeps, runPayouts, PARTNERS, type PartnerCode } from '../src/modules/incentives/index.ts'
import { reconcile } from '../src/modules/incentives/reconcile.service.ts'
import { wibDay } from '../src/modules/incentives/gateway.ts'
import { createRng } from '../src/sandboxes/population/index.ts'
import { NO_FAULTS, sandboxPaymentsFor, type Delivery } from '../src/sandboxes/payments/index.ts'

const { values } = parseArgs({
  options: { count: { type: 'string', default: '100000' }, clean: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '16' }, 'callback-batch': { type: 'string', default: '200' } },
})
const faultCount = Number(values.count)
const cleanCount = Number(values.clean)
const concurrency = Number(values.concurrency)
const callbackBatch = Number(values['callback-batch'])
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const AMOUNT = 600_000
const CODES = Object.keys(PARTNERS) as PartnerCode[]

async function main() {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_payouts', { DATABASE_POOL_SIZE: '20' })
  // Real time, which the bench can move a day on (to let the next day's run ask about stale acknowledgements).
  let offsetMs = 0
  const clock = { now: () => new Date(Date.now() + offsetMs) }
  const deps = await compose(tmp.config, { runWorkers: false, clock })
  const { app } = await buildApp(deps)
  const db = deps.database.db
  const d = incentivesDeps(deps)
  const sandbox = sandboxPaymentsFor(db, { clock: deps.clock, serverSecret: deps.config.secret })
  const rng = createRng(2026)
  const ledger = createLedger({ jobs: deps.jobs, clock: deps.clock })
  const budget = await ledger.openAccount(db, 'state_budget')
  const fund = await ledger.openAccount(db, 'programme_fund')
  await ledger.transfer(db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: (faultCount + cleanCount) * AMOUNT * 2, code: 'fund_deposit', reference: { type: 'bench', id: 'fund' }, idempotencyKey: 'bench-fund' })

  /** n participants, each with an active payout account at a partner (round robin) and one payout due now. */
  async function population(tag: string, n: number, closedRate: number): Promise<void> {
    await sql`
      insert into accounts (id, email, phone, display_name, role, status, created_at, email_verified_at, phone_verified_at)
      select gen_random_uuid(), ${tag} || g || '@example.id', '+6281' || ${tag === 'clean' ? '1' : '2'} || lpad(g::text, 9, '0'), 'Peserta ' || g, 'participant', 'active', now(), now(), now()
      from generate_series(1, ${n}) g`.execute(db)
    const codes = sql.raw(`array[${CODES.map((c) => `'${c}'`).join(',')}]`)
    await sql`
      insert into payout_accounts (account_id, partner, kind, account_number, holder_name, status, created_at, confirmed_at, usable_from)
      select a.id, (${codes})[1 + (row_number() over () % 6)], 'bank', '70' || lpad((row_number() over ())::text, 10, '0') || ${tag === 'clean' ? '1' : '2'}, upper(a.display_name), 'active', now(), now(), now() - interval '1 hour'
      from accounts a where a.email like ${tag + '%'}`.execute(db)
    await sql`
      insert into incentive_payouts (account_id, kind, source_ref, sequence, amount, due_at, status, created_at)
      select account_id, 'survey', ${'bench-' + tag}, 1, ${AMOUNT}, now() - interval '1 minute', 'scheduled', now()
      from payout_accounts p join accounts a on a.id = p.account_id where a.email like ${tag + '%'}`.execute(db)
    const rows = await db.selectFrom('payout_accounts as p').innerJoin('accounts as a', 'a.id', 'p.account_id').select(['p.partner', 'p.account_number', 'p.holder_name']).where('a.email', 'like', `${tag}%`).execute()
    for (const r of rows) sandbox.partner(r.partner as PartnerCode).openAccount({ number: r.account_number, holderName: r.holder_name, nik: '', phone: null, closed: rng.chance(closedRate) })
  }

  /**
   * Delivers callbacks as the partners make them, concurrently with the run (they arrive while
   * sending goes on): each partner sends its waiting reports in batches of up to `--callback-batch`
   * (one signed request each), the six partners at once. A dropped report is lost on the way.
   */
  function startPump(dropRate: number) {
    let stop = false
    const deliver = async (c: Delivery) => {
      const body = JSON.parse(c.rawBody) as { reports: unknown[] }
      const kept = body.reports.filter(() => !rng.chance(dropRate))
      if (kept.length === 0) return
      // Re-signed as the partner would sign what it really sent.
      const partner = sandbox.partner(c.partner)
      partner.outbox.unshift(...kept.map((r) => JSON.stringify(r)))
      const d = partner.takeCallbackBatch(kept.length)!
      const r = await app.inject({ method: 'POST', url: `/api/v1/payments/callback/${d.partner}`, headers: { ...d.headers, 'content-type': 'application/json' }, payload: d.rawBody })
      if (r.statusCode !== 200) throw new Error(`callback refused: ${r.statusCode} ${r.body}`)
      const outcomes = (r.json() as { outcomes: string[] }).outcomes
      if (outcomes.includes('unknown')) throw new Error('callback for an unknown payout')
    }
    const loop = (async () => {
      for (;;) {
        const batches = sandbox.all().flatMap((p) => {
          const b = p.takeCallbackBatch(callbackBatch)
          return b ? [b] : []
        })
        await Promise.all(batches.map(deliver))
        if (stop && batches.length === 0) return
        if (batches.length === 0) await new Promise((r) => setTimeout(r, 20))
      }
    })()
    return async () => {
      stop = true
      await loop
    }
  }

  const countStatus = async (tag: string) =>
    db.selectFrom('incentive_payouts').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).where('source_ref', '=', `bench-${tag}`).groupBy('status').execute()

  // 1. Throughput, no faults.
  for (const p of sandbox.all()) Object.assign(p.faults, NO_FAULTS)
  await population('clean', cleanCount, 0)
  const t0 = performance.now()
  const stopClean = startPump(0)
  await runPayouts(d, { concurrency })
  await stopClean()
  const cleanSeconds = (performance.now() - t0) / 1000
  const cleanPaid = (await countStatus('clean')).find((r) => r.status === 'paid')?.n ?? 0
  console.log(`throughput: ${cleanPaid} of ${cleanCount} payouts confirmed paid in ${cleanSeconds.toFixed(1)} s = ${(Number(cleanPaid) / cleanSeconds).toFixed(0)} payouts/s (concurrency ${concurrency}, callbacks through the signed route)`)

  // 2. Fault run.
  for (const p of sandbox.all()) Object.assign(p.faults, { ...NO_FAULTS, timeoutRate: 0.03, paidOnTimeoutRate: 0.5, duplicateCallbackRate: 0.2, reorderCallbacks: true })
  await population('fault', faultCount, 0.01)
  const killRate = 0.0005
  let kills = 0
  let runs = 0
  const t1 = performance.now()
  const stopFault = startPump(0.05)
  for (;;) {
    runs++
    let killed = false
    try {
      await runPayouts(d, {
        concurrency,
        afterSend: () => {
          if (killed || rng.chance(killRate)) {
            if (!killed) kills++
            killed = true
            throw new Error('killed between send and record')
          }
        },
      })
    } catch (err) {
      if (!killed) throw err
    }
    const open = await db.selectFrom('incentive_payouts').select((eb) => eb.fn.countAll<number>().as('n')).where('source_ref', '=', 'bench-fault').where('status', 'in', ['scheduled', 'sending', 'unknown']).executeTakeFirstOrThrow()
    if (Number(open.n) === 0 || runs > 200) break
  }
  await stopFault()
  // Callbacks lost on the way: the day's statement confirms the payments among them; the
  // next day's run asks the partner about acknowledged payouts still without an outcome.
  const day = wibDay(deps.clock.now())
  for (const code of CODES) await reconcile(d, code, day)
  offsetMs = 86_400_000 + 60_000
  const stopNext = startPump(0)
  await runPayouts(d, { concurrency })
  await stopNext()
  const faultSeconds = (performance.now() - t1) / 1000

  // The partners' own books against ours.
  const sent = sandbox.all().flatMap((p) => p.sent)
  const paidTimes = new Map<string, number>()
  for (const s of sent) paidTimes.set(s.payoutId, (paidTimes.get(s.payoutId) ?? 0) + 1)
  const ours = await db.selectFrom('incentive_payouts').select(['id', 'status', 'hold_id']).where('source_ref', 'in', ['bench-fault', 'bench-clean']).execute()
  let doubles = 0
  for (const n of paidTimes.values()) if (n > 1) doubles += n - 1
  let lost = 0
  for (const p of ours) {
    const atPartner = paidTimes.get(p.id) ?? 0
    // Lost: money went out and we do not know it as paid, or we count it paid and it never went, or it is stuck in flight.
    if ((atPartner > 0) !== (p.status === 'paid') || ['scheduled', 'sending', 'unknown', 'sent'].includes(p.status)) lost++
  }
  const settled = await sql<{ total: number }>`select coalesce(sum(amount), 0)::bigint as total from ledger_transfers where code = 'payout_settled'`.execute(db)
  const partnerTotal = sent.reduce((s, x) => s + x.amount, 0)
  const byStatus = await countStatus('fault')
  console.log(`fault run: ${faultCount} payouts, ${runs} runs, ${kills} kills, ${faultSeconds.toFixed(1)} s; states: ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ')}`)
  console.log(`partners' books: ${sent.length} payments, Rp ${partnerTotal}; our ledger (payout_settled): Rp ${Number(settled.rows[0]!.total)}`)
  console.log(`double payments: ${doubles}`)
  console.log(`lost payouts: ${lost}`)
  await app.close()
  await deps.close()
  await tmp.drop()
  if (doubles !== 0 || lost !== 0 || partnerTotal !== Number(settled.rows[0]!.total)) process.exitCode = 1
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
