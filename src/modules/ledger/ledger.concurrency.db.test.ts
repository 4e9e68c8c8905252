/**
 * Many clients racing for the same money. On PostgreSQL they run on a pool of real
 * connections and truly overlap; on PGlite (one connection) the same test runs serially
 * and still proves the outcome does not depend on the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, onPostgres, type TestDatabase } from '../../../test/db.ts'
import { openDatabase, type Database, type Db } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { checkLedger } from './ledger.check.ts'
import { createLedger, type Ledger, type TransferInput } from './ledger.service.ts'
import { ledgerFixture, uniqueKey, type LedgerFixture } from './testing.ts'

const CLIENTS = 60
let tdb: TestDatabase
let racing: Database
let db: Db
let f: LedgerFixture
let ledger: Ledger

beforeAll(async () => {
  tdb = await openTestDatabase()
  f = await ledgerFixture(tdb)
  // A pool as wide as the crowd, so every client holds its own connection at once.
  racing = onPostgres ? await openDatabase({ kind: 'postgres', url: tdb.url!, poolSize: CLIENTS }) : tdb
  db = racing.db
  ledger = createLedger({ jobs: f.jobs, clock: f.clock })
})
afterAll(async () => {
  if (racing && racing !== tdb) await racing.close()
  await f?.stop()
  await tdb?.dispose()
})

type Outcome = { ok: true; id: number; replayed: boolean } | { ok: false; code: string }

async function settle(p: Promise<{ transfer: { id: number }; replayed: boolean }>): Promise<Outcome> {
  try {
    const r = await p
    return { ok: true, id: r.transfer.id, replayed: r.replayed }
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code }
    throw err
  }
}

async function platformId(): Promise<number> {
  return (await ledger.openAccount(db, 'platform_payable', 'race-platform')).id
}

function purchase(training: number, platform: number, amount: number, key = uniqueKey('race')): TransferInput {
  return { debitAccountId: training, creditAccountId: platform, amount, code: 'purchase', reference: { type: 'purchase', id: key }, idempotencyKey: key }
}

describe('racing for one balance', () => {
  it('lets exactly one of many clients take the last rupiah', async () => {
    const p = await f.participant(100_000)
    const platform = await platformId()
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, () => settle(ledger.transfer(db, purchase(p.training, platform, 100_000)))))
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1)
    expect(outcomes.filter((o) => !o.ok).map((o) => (o as { code: string }).code)).toEqual(Array(CLIENTS - 1).fill('LEDGER_INSUFFICIENT_FUNDS'))
    expect((await ledger.balance(db, p.training)).available).toBe(0)
  })

  it('lets holds and transfers share a balance without ever overspending it', async () => {
    const p = await f.participant(1_000_000)
    const platform = await platformId()
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        settle(i % 2 === 0 ? ledger.transfer(db, purchase(p.training, platform, 30_000)) : ledger.hold(db, { ...purchase(p.training, platform, 30_000), timeoutSeconds: 600 })),
      ),
    )
    expect(outcomes.filter((o) => o.ok)).toHaveLength(33)
    expect(await ledger.balance(db, p.training)).toMatchObject({ available: 10_000 })
  })

  it('moves the money once when many clients send the same idempotency key', async () => {
    const p = await f.participant(1_000_000)
    const platform = await platformId()
    const input = purchase(p.training, platform, 250_000)
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, () => settle(ledger.transfer(db, { ...input }))))
    const ok = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok)
    expect(ok).toHaveLength(CLIENTS)
    expect(new Set(ok.map((o) => o.id)).size).toBe(1)
    expect(ok.filter((o) => !o.replayed)).toHaveLength(1)
    expect((await ledger.balance(db, p.training)).available).toBe(750_000)
  })

  it('resolves a hold once when posts and voids race for it', async () => {
    const p = await f.participant(1_000_000)
    const platform = await platformId()
    const hold = await ledger.hold(db, { ...purchase(p.training, platform, 500_000), timeoutSeconds: 600 })
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        settle(i % 2 === 0 ? ledger.post(db, { holdId: hold.transfer.id, idempotencyKey: uniqueKey() }) : ledger.void(db, { holdId: hold.transfer.id, idempotencyKey: uniqueKey() })),
      ),
    )
    const ok = outcomes.filter((o) => o.ok)
    expect(ok).toHaveLength(1)
    const codes = new Set(outcomes.filter((o) => !o.ok).map((o) => (o as { code: string }).code))
    expect(codes.size).toBe(1)
    expect(['LEDGER_HOLD_POSTED', 'LEDGER_HOLD_VOIDED']).toContain([...codes][0])
    const bal = await ledger.balance(db, p.training)
    expect(bal.held).toBe(0)
    expect([500_000, 1_000_000]).toContain(bal.available)
  })

  it('does not deadlock when transfers cross between the same accounts in both directions', async () => {
    const a = await f.participant(5_000_000)
    const b = await f.participant(5_000_000)
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => {
        const [from, to] = i % 2 === 0 ? [a.training, b.training] : [b.training, a.training]
        const key = uniqueKey('cross')
        return settle(ledger.transfer(db, { debitAccountId: from, creditAccountId: to, amount: 1_000 + i, code: 'correction', reference: { type: 'test', id: key }, idempotencyKey: key }))
      }),
    )
    expect(outcomes.every((o) => o.ok)).toBe(true)
    const total = (await ledger.balance(db, a.training)).posted + (await ledger.balance(db, b.training)).posted
    expect(total).toBe(10_000_000)
  })

  it('leaves every invariant intact', async () => {
    const report = await checkLedger(tdb.db, f.clock)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
  })
})
