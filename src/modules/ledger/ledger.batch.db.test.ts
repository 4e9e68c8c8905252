/**
 * The batch ledger: many credits, holds and posts in a few statements under the same rules
 * as one transfer — balances add up, a repeated batch replays, one refused movement refuses
 * the batch, a hold is posted once, and the invariant check finds nothing wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import type { Db } from '../../platform/db/database.ts'
import { transaction } from '../../platform/db/database.ts'
import { createBatchLedger, type BatchLedger } from './ledger.batch.ts'
import { checkLedger } from './ledger.check.ts'
import { countTransfers, ledgerFixture, uniqueKey, type LedgerFixture } from './testing.ts'

let tdb: TestDatabase
let db: Db
let f: LedgerFixture
let batch: BatchLedger

beforeAll(async () => {
  tdb = await openTestDatabase()
  db = tdb.db
  f = await ledgerFixture(tdb)
  batch = createBatchLedger({ jobs: f.jobs, clock: f.clock })
})
afterAll(async () => {
  await f?.stop()
  await tdb?.dispose()
})

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ name: 'AppError', code })
}

describe('batch ledger', () => {
  it('credits, holds and posts many at once; a repeated batch replays and moves nothing', async () => {
    const owners = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()]
    const accounts = await batch.openAccounts(db, 'participant_incentive', [...owners, owners[0]!])
    expect(accounts.size).toBe(3)
    expect((await batch.openAccounts(db, 'participant_incentive', owners)).get(owners[1]!)).toBe(accounts.get(owners[1]!))
    const clearing = (await f.ledger.openAccount(db, 'payout_clearing')).id
    const tag = uniqueKey('b')
    const credits = owners.map((o, i) => ({
      debitAccountId: f.fund,
      creditAccountId: accounts.get(o)!,
      amount: 100_000 * (i + 1),
      code: 'incentive' as const,
      reference: { type: 'payout', id: `${tag}-${i}` },
      idempotencyKey: `${tag}:credit:${i}`,
    }))
    const fundBefore = (await f.ledger.balance(db, f.fund)).posted
    const first = await batch.transferMany(db, credits)
    expect(first.map((r) => r.replayed)).toEqual([false, false, false])
    expect((await f.ledger.balance(db, f.fund)).posted).toBe(fundBefore - 600_000)
    const again = await batch.transferMany(db, credits)
    expect(again.map((r) => r.replayed)).toEqual([true, true, true])
    expect(again.map((r) => r.transfer.id)).toEqual(first.map((r) => r.transfer.id))
    expect((await f.ledger.balance(db, f.fund)).posted).toBe(fundBefore - 600_000)

    const holds = await transaction(db, (trx) =>
      batch.holdMany(
        trx,
        owners.map((o, i) => ({ ...credits[i]!, debitAccountId: accounts.get(o)!, creditAccountId: clearing, code: 'payout' as const, idempotencyKey: `${tag}:hold:${i}`, timeoutSeconds: 3600 })),
      ),
    )
    expect(await f.ledger.balance(db, accounts.get(owners[2]!)!)).toMatchObject({ posted: 300_000, held: 300_000, available: 0 })
    const clearingBefore = await f.ledger.balance(db, clearing)
    const posts = holds.map((h, i) => ({ holdId: h.transfer.id, idempotencyKey: `${tag}:post:${i}` }))
    const posted = await transaction(db, (trx) => batch.postMany(trx, posts))
    expect(posted.map((r) => r?.replayed)).toEqual([false, false, false])
    expect(await f.ledger.balance(db, accounts.get(owners[2]!)!)).toMatchObject({ posted: 0, held: 0 })
    expect((await f.ledger.balance(db, clearing)).posted - clearingBefore.posted).toBe(600_000)
    const n = await countTransfers(db)
    expect((await transaction(db, (trx) => batch.postMany(trx, posts))).map((r) => r?.replayed)).toEqual([true, true, true])
    expect(await countTransfers(db)).toBe(n)
    // Another key for a hold already posted is refused, as for one post.
    await refused(transaction(db, (trx) => batch.postMany(trx, [{ holdId: holds[0]!.transfer.id, idempotencyKey: `${tag}:post:other` }])), 'LEDGER_HOLD_POSTED')
    expect((await checkLedger(db, f.clock)).ok).toBe(true)
  })

  it('refuses the whole batch when the debited account cannot cover all of it, or a route is not allowed', async () => {
    const p = await f.participant(0)
    const q = await f.participant(0)
    const clearing = (await f.ledger.openAccount(db, 'payout_clearing')).id
    await f.ledger.transfer(db, { debitAccountId: f.fund, creditAccountId: p.incentive, amount: 500_000, code: 'incentive', reference: { type: 'payout', id: p.owner }, idempotencyKey: uniqueKey('c') })
    const n = await countTransfers(db)
    const hold = (amount: number, key = uniqueKey('h')) => ({ debitAccountId: p.incentive, creditAccountId: clearing, amount, code: 'payout' as const, reference: { type: 'payout', id: key }, idempotencyKey: key, timeoutSeconds: 60 })
    // Each fits alone; together they do not.
    await refused(batch.holdMany(db, [hold(300_000), hold(300_000)]), 'LEDGER_INSUFFICIENT_FUNDS')
    await refused(batch.transferMany(db, [{ debitAccountId: q.incentive, creditAccountId: f.fund, amount: 1, code: 'incentive', reference: { type: 'x', id: 'y' }, idempotencyKey: uniqueKey('r') }]), 'LEDGER_CODE_NOT_ALLOWED')
    const k = uniqueKey('dup')
    await refused(batch.holdMany(db, [hold(100, k), hold(100, k)]), 'LEDGER_IDEMPOTENCY_CONFLICT')
    expect(await countTransfers(db)).toBe(n)
    expect(await f.ledger.balance(db, p.incentive)).toMatchObject({ posted: 500_000, held: 0 })
  })

  it('leaves a hold past its deadline unposted', async () => {
    const p = await f.participant(0)
    const clearing = (await f.ledger.openAccount(db, 'payout_clearing')).id
    await f.ledger.transfer(db, { debitAccountId: f.fund, creditAccountId: p.incentive, amount: 200_000, code: 'incentive', reference: { type: 'payout', id: p.owner }, idempotencyKey: uniqueKey('c') })
    const key = uniqueKey('h')
    const [h] = await batch.holdMany(db, [{ debitAccountId: p.incentive, creditAccountId: clearing, amount: 200_000, code: 'payout', reference: { type: 'payout', id: key }, idempotencyKey: key, timeoutSeconds: 60 }])
    const now = f.clock.now()
    f.clock.set(new Date(now.getTime() + 61_000))
    try {
      expect(await batch.pastDeadline(db, [h!.transfer.id])).toEqual(new Set([h!.transfer.id]))
      expect(await batch.postMany(db, [{ holdId: h!.transfer.id, idempotencyKey: uniqueKey('p') }])).toEqual([null])
      expect(await f.ledger.balance(db, p.incentive)).toMatchObject({ posted: 200_000, held: 200_000 })
    } finally {
      f.clock.set(now)
    }
  })
})
