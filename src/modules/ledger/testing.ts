/** Shared set-up for the ledger's database tests: a ledger on a test database with a movable clock. */
import crypto from 'node:crypto'
import { fixedClock } from '../../platform/clock.ts'
import type { Database, Executor } from '../../platform/db/database.ts'
import { createJobs, type Jobs } from '../../platform/jobs/jobs.ts'
import { createLedger, type Ledger } from './ledger.service.ts'
import { defineLedgerJobs } from './ledger.jobs.ts'

export interface LedgerFixture {
  ledger: Ledger
  jobs: Jobs
  clock: ReturnType<typeof fixedClock>
  budget: number
  fund: number
  /** Opens a participant's training account and credits it from the fund. */
  participant(amount: number): Promise<{ owner: string; training: number; incentive: number }>
  stop(): Promise<void>
}

export const uniqueKey = (prefix = 'k'): string => `${prefix}-${crypto.randomUUID()}`

export async function ledgerFixture(database: Database, opts: { runWorkers?: boolean } = {}): Promise<LedgerFixture> {
  const clock = fixedClock(new Date('2026-03-02T03:00:00Z'))
  const jobs = createJobs(database, { runWorkers: opts.runWorkers ?? false, pollingIntervalSeconds: 0.5 })
  defineLedgerJobs(jobs, { clock })
  await jobs.start()
  const ledger = createLedger({ jobs, clock })
  const db = database.db
  const budget = (await ledger.openAccount(db, 'state_budget')).id
  const fund = (await ledger.openAccount(db, 'programme_fund')).id
  await ledger.transfer(db, {
    debitAccountId: budget,
    creditAccountId: fund,
    amount: 1_000_000_000_000,
    code: 'fund_deposit',
    reference: { type: 'budget_allocation', id: 'APBN-2026' },
    idempotencyKey: uniqueKey('deposit'),
  })
  return {
    ledger,
    jobs,
    clock,
    budget,
    fund,
    async participant(amount) {
      const owner = crypto.randomUUID()
      const training = (await ledger.openAccount(db, 'participant_training', owner)).id
      const incentive = (await ledger.openAccount(db, 'participant_incentive', owner)).id
      if (amount > 0) {
        await ledger.transfer(db, {
          debitAccountId: fund,
          creditAccountId: training,
          amount,
          code: 'credit_balance',
          reference: { type: 'card', id: owner },
          idempotencyKey: uniqueKey('credit'),
        })
      }
      return { owner, training, incentive }
    },
    stop: () => jobs.stop(),
  }
}

export async function countTransfers(ex: Executor): Promise<number> {
  const r = await ex.selectFrom('ledger_transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}
