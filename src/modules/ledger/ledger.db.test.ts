import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import type { Db } from '../../platform/db/database.ts'
import { transaction } from '../../platform/db/database.ts'
import { checkLedger } from './ledger.check.ts'
import { countTransfers, ledgerFixture, uniqueKey, type LedgerFixture } from './testing.ts'
import { PAYABLE_SHARDS, type TransferInput } from './ledger.service.ts'

let tdb: TestDatabase
let db: Db
let f: LedgerFixture

beforeAll(async () => {
  tdb = await openTestDatabase()
  db = tdb.db
  f = await ledgerFixture(tdb)
})
afterAll(async () => {
  await f?.stop()
  await tdb?.dispose()
})

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toMatchObject({ name: 'AppError', code })
}

async function purchaseInput(training: number, amount: number, key = uniqueKey('buy')): Promise<TransferInput> {
  const platform = await f.ledger.openAccount(db, 'platform_payable', 'demo-platform')
  return { debitAccountId: training, creditAccountId: platform.id, amount, code: 'purchase', reference: { type: 'purchase', id: key }, idempotencyKey: key }
}

describe('accounts', () => {
  it('opens each account once, with its sign rule from its type', async () => {
    const a = await f.ledger.openAccount(db, 'participant_training', 'owner-1')
    const b = await f.ledger.openAccount(db, 'participant_training', 'owner-1')
    expect(b.id).toBe(a.id)
    expect(a.mayGoNegative).toBe(false)
    expect((await f.ledger.openAccount(db, 'state_budget')).mayGoNegative).toBe(true)
    expect((await f.ledger.openAccount(db, 'programme_fund')).id).toBe(f.fund)
    expect(await f.ledger.findAccount(db, 'participant_incentive', 'nobody')).toBeNull()
    await refused(f.ledger.openAccount(db, 'participant_training'), 'VALIDATION_FAILED')
    await refused(f.ledger.openAccount(db, 'programme_fund', 'someone'), 'VALIDATION_FAILED')
    await refused(f.ledger.openAccount(db, 'pocket_money' as 'forfeited'), 'VALIDATION_FAILED')
  })
})

describe('a platform\'s payable account in shards', () => {
  it('opens each shard once, only for platform_payable; the platform\'s balance is the sum of its shards', async () => {
    const s0 = await f.ledger.openAccount(db, 'platform_payable', 'shard-platform')
    const s3 = await f.ledger.openAccount(db, 'platform_payable', 'shard-platform', 3)
    expect(s3.id).not.toBe(s0.id)
    expect((await f.ledger.openAccount(db, 'platform_payable', 'shard-platform', 3)).id).toBe(s3.id)
    expect((await f.ledger.findAccount(db, 'platform_payable', 'shard-platform', 3))!.id).toBe(s3.id)
    await refused(f.ledger.openAccount(db, 'participant_training', 'owner-1', 1), 'VALIDATION_FAILED')
    await refused(f.ledger.openAccount(db, 'platform_payable', 'shard-platform', PAYABLE_SHARDS), 'VALIDATION_FAILED')
    const buyer = await f.ledger.openAccount(db, 'participant_training', 'shard-buyer')
    await f.ledger.transfer(db, { debitAccountId: f.fund, creditAccountId: buyer.id, amount: 900, code: 'credit_balance', reference: { type: 'card', id: 'shard-buyer' }, idempotencyKey: uniqueKey('c') })
    await f.ledger.transfer(db, { debitAccountId: buyer.id, creditAccountId: s0.id, amount: 200, code: 'purchase', reference: { type: 'purchase', id: 'a' }, idempotencyKey: uniqueKey('p') })
    await f.ledger.hold(db, { debitAccountId: buyer.id, creditAccountId: s3.id, amount: 300, code: 'purchase', reference: { type: 'purchase', id: 'b' }, idempotencyKey: uniqueKey('h'), timeoutSeconds: 600 })
    const total = await f.ledger.ownerBalance(db, 'platform_payable', 'shard-platform')
    expect(total).toMatchObject({ posted: 200, incoming: 300 })
    expect(await f.ledger.ownerBalance(db, 'platform_payable', 'no-such-platform')).toBeNull()
    expect((await checkLedger(db, f.clock)).ok).toBe(true)
  })
})

describe('transfers', () => {
  it('moves money from the fund to a participant and balances both sides', async () => {
    const fundBefore = await f.ledger.balance(db, f.fund)
    const p = await f.participant(3_500_000)
    const bal = await f.ledger.balance(db, p.training)
    expect(bal).toMatchObject({ posted: 3_500_000, held: 0, available: 3_500_000 })
    expect((await f.ledger.balance(db, f.fund)).posted).toBe(fundBefore.posted - 3_500_000)
    expect((await f.ledger.balance(db, f.budget)).posted).toBeLessThan(0)
  })

  it('refuses each kind of bad input with its own code and leaves nothing behind', async () => {
    const p = await f.participant(1_000_000)
    const base = await purchaseInput(p.training, 100_000)
    const before = await countTransfers(db)
    await refused(f.ledger.transfer(db, { ...base, amount: 0 }), 'LEDGER_INVALID_AMOUNT')
    await refused(f.ledger.transfer(db, { ...base, amount: -5 }), 'LEDGER_INVALID_AMOUNT')
    await refused(f.ledger.transfer(db, { ...base, amount: 1.5 }), 'LEDGER_INVALID_AMOUNT')
    await refused(f.ledger.transfer(db, { ...base, amount: Number.NaN }), 'LEDGER_INVALID_AMOUNT')
    await refused(f.ledger.transfer(db, { ...base, amount: '100' as unknown as number }), 'LEDGER_INVALID_AMOUNT')
    await refused(f.ledger.transfer(db, { ...base, amount: 2 ** 53 }), 'LEDGER_AMOUNT_TOO_LARGE')
    await refused(f.ledger.transfer(db, { ...base, amount: 1e30 }), 'LEDGER_AMOUNT_TOO_LARGE')
    await refused(f.ledger.transfer(db, { ...base, creditAccountId: 987_654_321 }), 'LEDGER_UNKNOWN_ACCOUNT')
    await refused(f.ledger.transfer(db, { ...base, debitAccountId: -1 }), 'LEDGER_UNKNOWN_ACCOUNT')
    await refused(f.ledger.transfer(db, { ...base, creditAccountId: p.training }), 'LEDGER_SAME_ACCOUNT')
    await refused(f.ledger.transfer(db, { ...base, currency: 'USD' }), 'LEDGER_CURRENCY')
    await refused(f.ledger.transfer(db, { ...base, code: 'incentive' }), 'LEDGER_CODE_NOT_ALLOWED')
    await refused(f.ledger.transfer(db, { ...base, code: 'gift' as 'purchase' }), 'LEDGER_CODE_NOT_ALLOWED')
    await refused(f.ledger.transfer(db, { ...base, amount: 1_000_001 }), 'LEDGER_INSUFFICIENT_FUNDS')
    await refused(f.ledger.transfer(db, { ...base, idempotencyKey: 'ledger:expire:1' }), 'VALIDATION_FAILED')
    await refused(f.ledger.transfer(db, { ...base, idempotencyKey: '' }), 'VALIDATION_FAILED')
    await refused(f.ledger.transfer(db, { ...base, reference: { type: '', id: 'x' } }), 'VALIDATION_FAILED')
    await refused(f.ledger.hold(db, { ...base, timeoutSeconds: 0 }), 'LEDGER_INVALID_DEADLINE')
    await refused(f.ledger.hold(db, { ...base, timeoutSeconds: 91 * 86_400 }), 'LEDGER_INVALID_DEADLINE')
    await refused(f.ledger.balance(db, 987_654_321), 'LEDGER_UNKNOWN_ACCOUNT')
    expect(await countTransfers(db)).toBe(before)
    expect((await f.ledger.balance(db, p.training)).available).toBe(1_000_000)
  })

  it('spends a balance down to exactly zero and not a rupiah further', async () => {
    const p = await f.participant(500_000)
    await f.ledger.transfer(db, await purchaseInput(p.training, 500_000))
    expect((await f.ledger.balance(db, p.training)).available).toBe(0)
    await refused(f.ledger.transfer(db, await purchaseInput(p.training, 1)), 'LEDGER_INSUFFICIENT_FUNDS')
  })

  it('joins the caller transaction: a rollback takes the transfer with it', async () => {
    const p = await f.participant(200_000)
    const input = await purchaseInput(p.training, 150_000)
    await expect(
      transaction(db, async (trx) => {
        await f.ledger.transfer(trx, input)
        throw new Error('seat gone')
      }),
    ).rejects.toThrow('seat gone')
    expect((await f.ledger.balance(db, p.training)).available).toBe(200_000)
    // Nothing was stored, so the same key is free for the real attempt.
    expect((await f.ledger.transfer(db, input)).replayed).toBe(false)
  })
})

describe('idempotency', () => {
  it('returns the first result for the same key and request, and moves the money once', async () => {
    const p = await f.participant(1_000_000)
    const input = await purchaseInput(p.training, 400_000)
    const first = await f.ledger.transfer(db, input)
    const again = await f.ledger.transfer(db, { ...input })
    expect(first.replayed).toBe(false)
    expect(again.replayed).toBe(true)
    expect(again.transfer).toEqual(first.transfer)
    expect((await f.ledger.balance(db, p.training)).available).toBe(600_000)
  })

  it('refuses the same key with different parameters', async () => {
    const p = await f.participant(1_000_000)
    const input = await purchaseInput(p.training, 100_000)
    await f.ledger.transfer(db, input)
    await refused(f.ledger.transfer(db, { ...input, amount: 100_001 }), 'LEDGER_IDEMPOTENCY_CONFLICT')
    await refused(f.ledger.transfer(db, { ...input, reference: { type: 'purchase', id: 'other' } }), 'LEDGER_IDEMPOTENCY_CONFLICT')
    await refused(f.ledger.hold(db, { ...input, timeoutSeconds: 60 }), 'LEDGER_IDEMPOTENCY_CONFLICT')
    expect((await f.ledger.balance(db, p.training)).available).toBe(900_000)
  })

  it('answers a retry with its first result even after that result spent the last rupiah', async () => {
    const p = await f.participant(300_000)
    const input = await purchaseInput(p.training, 300_000)
    const first = await f.ledger.transfer(db, input)
    const retry = await f.ledger.transfer(db, input)
    expect(retry).toEqual({ transfer: first.transfer, replayed: true })
  })

  it('keeps keys unique in the database itself', async () => {
    const p = await f.participant(100)
    const input = await purchaseInput(p.training, 10)
    await f.ledger.transfer(db, input)
    await expect(
      sql`insert into ledger_transfers (kind, debit_account_id, credit_account_id, amount, code, reference_type, reference_id, idempotency_key)
          values ('single', ${f.fund}, ${p.training}, 1, 'credit_balance', 'x', 'y', ${input.idempotencyKey})`.execute(db),
    ).rejects.toMatchObject({ code: '23505' })
  })
})

describe('holds', () => {
  const hold = async (training: number, amount: number, timeoutSeconds = 900) => {
    const input = await purchaseInput(training, amount)
    return (await f.ledger.hold(db, { ...input, timeoutSeconds })).transfer
  }

  it('reduces the available balance at once and refuses a hold larger than what is available', async () => {
    const p = await f.participant(1_000_000)
    await hold(p.training, 700_000)
    expect(await f.ledger.balance(db, p.training)).toMatchObject({ posted: 1_000_000, held: 700_000, available: 300_000 })
    await refused(hold(p.training, 300_001), 'LEDGER_INSUFFICIENT_FUNDS')
    await refused(f.ledger.transfer(db, await purchaseInput(p.training, 300_001)), 'LEDGER_INSUFFICIENT_FUNDS')
  })

  it('posts part of a hold and releases the rest', async () => {
    const p = await f.participant(1_000_000)
    const h = await hold(p.training, 600_000)
    const platform = await f.ledger.openAccount(db, 'platform_payable', 'demo-platform')
    const platformBefore = (await f.ledger.balance(db, platform.id)).posted
    const posted = await f.ledger.post(db, { holdId: h.id, amount: 450_000, idempotencyKey: uniqueKey('post') })
    expect(posted.transfer).toMatchObject({ kind: 'post', amount: 450_000, holdId: h.id, code: 'purchase' })
    expect(await f.ledger.balance(db, p.training)).toMatchObject({ posted: 550_000, held: 0, available: 550_000 })
    expect((await f.ledger.balance(db, platform.id)).posted).toBe(platformBefore + 450_000)
  })

  it('posts the whole hold by default and replays a repeated post', async () => {
    const p = await f.participant(1_000_000)
    const h = await hold(p.training, 250_000)
    const key = uniqueKey('post')
    const a = await f.ledger.post(db, { holdId: h.id, idempotencyKey: key })
    const b = await f.ledger.post(db, { holdId: h.id, idempotencyKey: key })
    expect(a.transfer.amount).toBe(250_000)
    expect(b).toEqual({ transfer: a.transfer, replayed: true })
    await refused(f.ledger.post(db, { holdId: h.id, idempotencyKey: key, amount: 1 }), 'LEDGER_IDEMPOTENCY_CONFLICT')
    expect((await f.ledger.balance(db, p.training)).available).toBe(750_000)
  })

  it('voids a hold and gives the money back', async () => {
    const p = await f.participant(1_000_000)
    const h = await hold(p.training, 900_000)
    const key = uniqueKey('void')
    await f.ledger.void(db, { holdId: h.id, idempotencyKey: key })
    expect(await f.ledger.balance(db, p.training)).toMatchObject({ posted: 1_000_000, held: 0, available: 1_000_000 })
    expect((await f.ledger.void(db, { holdId: h.id, idempotencyKey: key })).replayed).toBe(true)
  })

  it('refuses posting more than held, posting a voided hold, voiding a posted hold, an unknown hold', async () => {
    const p = await f.participant(1_000_000)
    const a = await hold(p.training, 100_000)
    await refused(f.ledger.post(db, { holdId: a.id, amount: 100_001, idempotencyKey: uniqueKey() }), 'LEDGER_POST_EXCEEDS_HOLD')
    await refused(f.ledger.post(db, { holdId: a.id, amount: 0, idempotencyKey: uniqueKey() }), 'LEDGER_INVALID_AMOUNT')
    await f.ledger.void(db, { holdId: a.id, idempotencyKey: uniqueKey() })
    await refused(f.ledger.post(db, { holdId: a.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_VOIDED')
    await refused(f.ledger.void(db, { holdId: a.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_VOIDED')
    const b = await hold(p.training, 100_000)
    await f.ledger.post(db, { holdId: b.id, idempotencyKey: uniqueKey() })
    await refused(f.ledger.void(db, { holdId: b.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_POSTED')
    await refused(f.ledger.post(db, { holdId: b.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_POSTED')
    await refused(f.ledger.post(db, { holdId: 987_654_321, idempotencyKey: uniqueKey() }), 'LEDGER_UNKNOWN_HOLD')
    const single = await f.ledger.transfer(db, await purchaseInput(p.training, 1))
    await refused(f.ledger.void(db, { holdId: single.transfer.id, idempotencyKey: uniqueKey() }), 'LEDGER_UNKNOWN_HOLD')
    expect((await f.ledger.balance(db, p.training)).available).toBe(899_999)
  })

  it('expires at its deadline, not before; after it, post and void are refused', async () => {
    const p = await f.participant(1_000_000)
    const h = await hold(p.training, 400_000, 60)
    expect(await f.ledger.expire(db, h.id)).toBe('not_due')
    f.clock.advance(60_000)
    await refused(f.ledger.post(db, { holdId: h.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_EXPIRED')
    expect((await f.ledger.balance(db, p.training)).available).toBe(600_000)
    expect(await f.ledger.expireDue(db)).toBeGreaterThanOrEqual(1)
    expect(await f.ledger.expire(db, h.id)).toBe('already_resolved')
    expect((await f.ledger.balance(db, p.training)).available).toBe(1_000_000)
    await refused(f.ledger.void(db, { holdId: h.id, idempotencyKey: uniqueKey() }), 'LEDGER_HOLD_EXPIRED')
  })
})

describe('history is append-only and the invariants hold', () => {
  it('refuses UPDATE and DELETE on transfers, in the database', async () => {
    await expect(sql`update ledger_transfers set amount = amount + 1`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from ledger_transfers`.execute(db)).rejects.toThrow(/append-only/)
  })

  it('refuses a cached balance below zero on a participant account, in the database', async () => {
    const p = await f.participant(10)
    await expect(sql`update ledger_accounts set debits_posted = debits_posted + 11 where id = ${p.training}`.execute(db)).rejects.toMatchObject({
      code: '23514',
    })
  })

  it('finds every invariant intact after all of the above', async () => {
    const report = await checkLedger(db, f.clock)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted)
    expect(report.holds.posted).toBeGreaterThanOrEqual(3)
    expect(report.holds.voided).toBeGreaterThanOrEqual(2)
    expect(report.holds.expired).toBeGreaterThanOrEqual(1)
  })
})
