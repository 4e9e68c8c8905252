/**
 * Test helper process for ledger.kill.db.test.ts: moves money in a loop, each transfer in
 * a transaction that stays open a few milliseconds after the ledger wrote it, printing
 * "begin KEY" before and "ok KEY" after each commit, until it is killed.
 *   KILL_DATA_DIR=dir (PGlite) or KILL_DATABASE_URL=url (PostgreSQL)
 */
import { systemClock } from '../../platform/clock.ts'
import { openDatabase, openPglite, transaction } from '../../platform/db/database.ts'
import { migrateToLatest } from '../../platform/db/migrate.ts'
import { createJobs } from '../../platform/jobs/jobs.ts'
import { createLedger } from './ledger.service.ts'
import { defineLedgerJobs } from './ledger.jobs.ts'

const url = process.env.KILL_DATABASE_URL
const database = url ? await openDatabase({ kind: 'postgres', url, poolSize: 2 }) : await openPglite(process.env.KILL_DATA_DIR!)
await migrateToLatest(database.db)
const jobs = createJobs(database, { runWorkers: false })
defineLedgerJobs(jobs, { clock: systemClock })
await jobs.start()
const ledger = createLedger({ jobs, clock: systemClock })
const db = database.db

const budget = await ledger.openAccount(db, 'state_budget')
const fund = await ledger.openAccount(db, 'programme_fund')
const platform = await ledger.openAccount(db, 'platform_payable', 'kill-platform')
await ledger.transfer(db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: 1e12, code: 'fund_deposit', reference: { type: 'test', id: 'kill' }, idempotencyKey: 'kill-deposit' })
const people: number[] = []
for (let i = 0; i < 5; i++) {
  const acc = await ledger.openAccount(db, 'participant_training', `kill-person-${i}`)
  await ledger.transfer(db, { debitAccountId: fund.id, creditAccountId: acc.id, amount: 50_000_000, code: 'credit_balance', reference: { type: 'test', id: 'kill' }, idempotencyKey: `kill-credit-${i}` })
  people.push(acc.id)
}
console.log('ready')

const pause = () => new Promise((r) => setTimeout(r, 3))
// From this transfer on, the child stays inside the open transaction until it is killed, so the
// kill always lands mid-transaction however slowly the parent reads (a loaded CI machine read
// "begin" after the commit, and the kill then came between transfers).
const holdFrom = Number(process.env.KILL_HOLD_FROM ?? Number.POSITIVE_INFINITY)
for (let i = 0; ; i++) {
  const key = `kill-${process.pid}-${i}`
  const from = people[i % people.length]!
  const base = { debitAccountId: from, creditAccountId: platform.id, amount: 1_000 + (i % 97), code: 'purchase' as const, reference: { type: 'purchase', id: key } }
  console.log(`begin ${key}`)
  await transaction(db, async (trx) => {
    if (i % 3 === 0) {
      await ledger.transfer(trx, { ...base, idempotencyKey: key })
    } else {
      const hold = await ledger.hold(trx, { ...base, idempotencyKey: `${key}-hold`, timeoutSeconds: 600 })
      if (i % 3 === 1) await ledger.post(trx, { holdId: hold.transfer.id, idempotencyKey: key, amount: 500 })
      else await ledger.void(trx, { holdId: hold.transfer.id, idempotencyKey: key })
    }
    // Still inside the transaction: a kill here must leave no trace of this transfer.
    if (i >= holdFrom) await new Promise(() => {})
    await pause()
  })
  console.log(`ok ${key}`)
}
