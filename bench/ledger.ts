/**
 * bench/ledger: transfers/s through the ledger on PostgreSQL
 *   1. contended: many concurrent clients moving money between 100 accounts;
 *   2. uncontended: the same clients between random accounts out of 1 000 000;
 * each with its ratio to a plain single-row `UPDATE … SET n = n + 1` loop over as many
 * rows, measured in the same run with the same clients and pool; then the invariant check.
 *
 *   npm run bench:ledger [-- --duration 10 --clients 1000 --pool 10 --accounts 100 --million 1000000]
 *   BENCH_DATABASE_URL=postgres://… (default postgres://postgres@127.0.0.1:5432/test): a
 *   throw-away database is created next to it and dropped afterwards.
 */
import crypto from 'node:crypto'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { systemClock } from '../src/platform/clock.ts'
import { openDatabase, type Db } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'
import { createJobs } from '../src/platform/jobs/jobs.ts'
import { AppError } from '../src/platform/errors.ts'
import { checkLedger, createLedger, defineLedgerJobs, recordCheck, type Ledger } from '../src/modules/ledger/index.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    clients: { type: 'string', default: '1000' },
    pool: { type: 'string', default: '10' },
    accounts: { type: 'string', default: '100' },
    million: { type: 'string', default: '1000000' },
  },
})
const duration = Number(values.duration) * 1000
const clients = Number(values.clients)
const poolSize = Number(values.pool)
const hotAccounts = Number(values.accounts)
const manyAccounts = Number(values.million)
const FUNDING = 1_000_000_000

interface Rate {
  ops: number
  perSecond: number
  refused: Record<string, number>
  errors: number
}

/** `clients` loops, each repeating `op` until the time is up. */
async function measure(op: () => Promise<void>): Promise<Rate> {
  const refused: Record<string, number> = {}
  let ops = 0
  let errors = 0
  const t0 = performance.now()
  const end = t0 + duration
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        try {
          await op()
          ops++
        } catch (err) {
          if (err instanceof AppError) refused[err.code] = (refused[err.code] ?? 0) + 1
          else {
            errors++
            if (errors <= 3) console.error(err)
          }
        }
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  return { ops, perSecond: ops / seconds, refused, errors }
}

const pick = (ids: number[]): [number, number] => {
  const a = ids[Math.floor(Math.random() * ids.length)]!
  let b = a
  while (b === a) b = ids[Math.floor(Math.random() * ids.length)]!
  return [a, b]
}

function transferBetween(ledger: Ledger, db: Db, ids: number[]): () => Promise<void> {
  return async () => {
    const [from, to] = pick(ids)
    const key = crypto.randomUUID()
    await ledger.transfer(db, {
      debitAccountId: from,
      creditAccountId: to,
      amount: 1 + Math.floor(Math.random() * 1000),
      code: 'correction',
      reference: { type: 'bench', id: key },
      idempotencyKey: key,
    })
  }
}

function plainUpdate(db: Db, rows: number): () => Promise<void> {
  return async () => {
    await sql`update bench_rows set n = n + 1 where id = ${1 + Math.floor(Math.random() * rows)}`.execute(db)
  }
}

/** `count` participant accounts, each credited from the fund by a real transfer row, in bulk. */
async function bulkAccounts(db: Db, fund: number, prefix: string, count: number): Promise<number[]> {
  await sql`
    insert into ledger_accounts (type, owner_ref, may_go_negative)
    select 'participant_training', ${prefix} || g, false from generate_series(1, ${count}::int) g`.execute(db)
  await sql`
    insert into ledger_transfers (kind, debit_account_id, credit_account_id, amount, code, reference_type, reference_id, idempotency_key)
    select 'single', ${fund}::bigint, a.id, ${FUNDING}::bigint, 'credit_balance', 'bench', a.owner_ref, 'bench-credit-' || a.id
    from ledger_accounts a where a.type = 'participant_training' and a.owner_ref like ${`${prefix}%`}`.execute(db)
  await sql`
    update ledger_accounts set credits_posted = credits_posted + ${FUNDING}::bigint
    where type = 'participant_training' and owner_ref like ${`${prefix}%`}`.execute(db)
  await sql`update ledger_accounts set debits_posted = debits_posted + ${FUNDING}::bigint * ${count}::bigint where id = ${fund}`.execute(db)
  const rows = await db.selectFrom('ledger_accounts').select('id').where('owner_ref', 'like', `${prefix}%`).execute()
  return rows.map((r) => r.id)
}

async function plainRows(db: Db, count: number): Promise<void> {
  await sql`drop table if exists bench_rows`.execute(db)
  await sql`create table bench_rows (id int primary key, n bigint not null default 0)`.execute(db)
  await sql`insert into bench_rows (id) select g from generate_series(1, ${count}::int) g`.execute(db)
  await sql`vacuum analyze bench_rows`.execute(db)
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

async function main(): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const name = `karya_bench_ledger_${Date.now()}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const u = new URL(base)
  u.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize })
  const jobs = createJobs(database, { runWorkers: false })
  try {
    await migrateToLatest(database.db)
    defineLedgerJobs(jobs, { clock: systemClock })
    await jobs.start()
    const db = database.db
    const ledger = createLedger({ jobs, clock: systemClock })
    const budget = await ledger.openAccount(db, 'state_budget')
    const fund = await ledger.openAccount(db, 'programme_fund')
    await ledger.transfer(db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: FUNDING * (manyAccounts + hotAccounts + 1), code: 'fund_deposit', reference: { type: 'bench', id: name }, idempotencyKey: 'bench-deposit' })
    const pgVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v
    console.log(`PostgreSQL ${pgVersion}; ${clients} concurrent clients over a pool of ${poolSize} connections; ${duration / 1000} s per measurement`)

    const hot = await bulkAccounts(db, fund.id, 'hot-', hotAccounts)
    await plainRows(db, hotAccounts)
    const contended = await measure(transferBetween(ledger, db, hot))
    const contendedBase = await measure(plainUpdate(db, hotAccounts))

    let t = performance.now()
    const many = await bulkAccounts(db, fund.id, 'many-', manyAccounts)
    await sql`vacuum analyze ledger_accounts`.execute(db)
    await sql`vacuum analyze ledger_transfers`.execute(db)
    await plainRows(db, manyAccounts)
    const setup = (performance.now() - t) / 1000
    const spread = await measure(transferBetween(ledger, db, many))
    const spreadBase = await measure(plainUpdate(db, manyAccounts))

    t = performance.now()
    const report = await checkLedger(db, systemClock)
    const checkSeconds = (performance.now() - t) / 1000
    await recordCheck(db, systemClock, report, { source: 'bench' })

    const line = (label: string, r: Rate, b: Rate) =>
      `| ${label} | ${fmt(r.perSecond)} | ${fmt(b.perSecond)} | ${(r.perSecond / b.perSecond).toFixed(2)} | ${fmt(r.ops)} | ${JSON.stringify(r.refused)} | ${r.errors + b.errors} |`
    console.log('')
    console.log('| workload | ledger transfers/s | plain UPDATE/s | ratio | transfers done | refused | errors |')
    console.log('|---|---:|---:|---:|---:|---|---:|')
    console.log(line(`contended: ${hotAccounts} accounts`, contended, contendedBase))
    console.log(line(`uncontended: ${fmt(manyAccounts)} accounts`, spread, spreadBase))
    console.log('')
    console.log(`Setting up ${fmt(manyAccounts)} funded accounts (bulk, generate_series): ${setup.toFixed(1)} s`)
    console.log(
      `Invariant check afterwards over ${fmt(report.accounts)} accounts and ${fmt(report.transfers)} transfers (${checkSeconds.toFixed(1)} s): ` +
        `${report.ok ? 'BALANCED' : 'VIOLATED'}, ${report.problemCount} violations; debits ${report.totals.debitsPosted} = credits ${report.totals.creditsPosted}`,
    )
    const goal = contended.perSecond >= 2000 && report.ok
    console.log(`Goal (≥ 2 000 transfers/s contended, zero violations): ${goal ? 'met' : 'NOT met'}`)
    if (!report.ok) process.exitCode = 1
  } finally {
    await jobs.stop()
    await database.close()
    const c = new pg.Client({ connectionString: base })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  }
}

await main()
