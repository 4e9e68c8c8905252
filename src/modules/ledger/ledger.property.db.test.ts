/**
 * Property-based: random sequences and random concurrent batches of transfers, holds,
 * posts, voids, expiries, repeated and conflicting requests. After every step the
 * invariant check finds nothing, and (sequentially) every balance equals a simple model.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import type { Db } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { checkLedger } from './ledger.check.ts'
import type { HoldInput, TransferInput, TransferResult } from './ledger.service.ts'
import { ledgerFixture, uniqueKey, type LedgerFixture } from './testing.ts'

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

const PEOPLE = 3
type Op =
  | { t: 'transfer'; who: number; amount: number }
  | { t: 'hold'; who: number; amount: number; timeout: number }
  | { t: 'post'; hold: number; part: 'all' | 'some' | 'over' }
  | { t: 'void'; hold: number }
  | { t: 'tick'; seconds: number }
  | { t: 'repeat'; earlier: number }
  | { t: 'conflict'; earlier: number }

const amount = fc.oneof(fc.integer({ min: 1, max: 400_000 }), fc.constantFrom(1, 100_000, 1_000_000))
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('transfer' as const), who: fc.nat(PEOPLE - 1), amount }),
  fc.record({ t: fc.constant('hold' as const), who: fc.nat(PEOPLE - 1), amount, timeout: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ t: fc.constant('post' as const), hold: fc.nat(), part: fc.constantFrom('all' as const, 'some' as const, 'over' as const) }),
  fc.record({ t: fc.constant('void' as const), hold: fc.nat() }),
  fc.record({ t: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 90 }) }),
  fc.record({ t: fc.constant('repeat' as const), earlier: fc.nat() }),
  fc.record({ t: fc.constant('conflict' as const), earlier: fc.nat() }),
)

interface World {
  training: number[]
  platform: number
  holds: Array<{ id: number; who: number; amount: number; expiresAt: number; state: 'open' | 'post' | 'void' | 'expire' }>
  /** Requests that succeeded, to be repeated. */
  done: Array<{ replay: () => Promise<TransferResult>; conflict: () => Promise<TransferResult>; id: number }>
}

async function newWorld(balances: number[]): Promise<World> {
  const training: number[] = []
  for (const b of balances) training.push((await f.participant(b)).training)
  const platform = (await f.ledger.openAccount(db, 'platform_payable', 'prop-platform')).id
  return { training, platform, holds: [], done: [] }
}

function input(w: World, who: number, amount: number): TransferInput {
  const key = uniqueKey('prop')
  return { debitAccountId: w.training[who]!, creditAccountId: w.platform, amount, code: 'purchase', reference: { type: 'purchase', id: key }, idempotencyKey: key }
}

/** Runs one op; resolves with the error code it was refused with, or null. */
async function run(w: World, op: Op): Promise<string | null> {
  try {
    switch (op.t) {
      case 'transfer': {
        const i = input(w, op.who, op.amount)
        const r = await f.ledger.transfer(db, i)
        w.done.push({ id: r.transfer.id, replay: () => f.ledger.transfer(db, i), conflict: () => f.ledger.transfer(db, { ...i, amount: i.amount + 1 }) })
        return null
      }
      case 'hold': {
        const i: HoldInput = { ...input(w, op.who, op.amount), timeoutSeconds: op.timeout }
        const r = await f.ledger.hold(db, i)
        w.holds.push({ id: r.transfer.id, who: op.who, amount: op.amount, expiresAt: f.clock.now().getTime() + op.timeout * 1000, state: 'open' })
        w.done.push({ id: r.transfer.id, replay: () => f.ledger.hold(db, i), conflict: () => f.ledger.hold(db, { ...i, timeoutSeconds: op.timeout + 1 }) })
        return null
      }
      case 'post':
      case 'void': {
        const h = w.holds[op.hold % Math.max(1, w.holds.length)]
        if (!h) return null
        const key = uniqueKey(op.t)
        const amount = op.t === 'post' ? (op.part === 'all' ? undefined : op.part === 'some' ? Math.ceil(h.amount / 2) : h.amount + 1) : undefined
        const call = () => (op.t === 'post' ? f.ledger.post(db, { holdId: h.id, idempotencyKey: key, amount }) : f.ledger.void(db, { holdId: h.id, idempotencyKey: key }))
        const r = await call()
        w.done.push({ id: r.transfer.id, replay: call, conflict: () => f.ledger.post(db, { holdId: h.id, idempotencyKey: key, amount: r.transfer.amount === 1 ? 2 : 1 }) })
        return null
      }
      case 'tick':
        f.clock.advance(op.seconds * 1000)
        await f.ledger.expireDue(db)
        return null
      case 'repeat':
      case 'conflict': {
        const d = w.done[op.earlier % Math.max(1, w.done.length)]
        if (!d) return null
        const r = await (op.t === 'repeat' ? d.replay() : d.conflict())
        if (!r.replayed || r.transfer.id !== d.id) throw new Error(`repeat of ${d.id} answered ${JSON.stringify(r)}`)
        return null
      }
    }
  } catch (err) {
    if (err instanceof AppError) return err.code
    throw err
  }
}

/** What the model expects an op to do; applies it to the model when it should succeed. */
function expectAndApply(w: World, model: { posted: number[]; held: number[] }, op: Op): string | null {
  const now = f.clock.now().getTime()
  const available = (who: number) => model.posted[who]! - model.held[who]!
  switch (op.t) {
    case 'transfer':
      if (op.amount > available(op.who)) return 'LEDGER_INSUFFICIENT_FUNDS'
      model.posted[op.who]! -= op.amount
      return null
    case 'hold':
      if (op.amount > available(op.who)) return 'LEDGER_INSUFFICIENT_FUNDS'
      model.held[op.who]! += op.amount
      return null
    case 'post':
    case 'void': {
      const h = w.holds[op.hold % Math.max(1, w.holds.length)]
      if (!h) return null
      if (h.state !== 'open') return { post: 'LEDGER_HOLD_POSTED', void: 'LEDGER_HOLD_VOIDED', expire: 'LEDGER_HOLD_EXPIRED' }[h.state]
      if (now >= h.expiresAt) return 'LEDGER_HOLD_EXPIRED'
      const amount = op.t === 'void' ? 0 : op.part === 'all' ? h.amount : op.part === 'some' ? Math.ceil(h.amount / 2) : h.amount + 1
      if (amount > h.amount) return 'LEDGER_POST_EXCEEDS_HOLD'
      model.held[h.who]! -= h.amount
      model.posted[h.who]! -= amount
      h.state = op.t
      return null
    }
    case 'tick':
      for (const h of w.holds) {
        if (h.state === 'open' && now + op.seconds * 1000 >= h.expiresAt) {
          h.state = 'expire'
          model.held[h.who]! -= h.amount
        }
      }
      return null
    case 'repeat':
      return null
    case 'conflict':
      return w.done.length === 0 ? null : 'LEDGER_IDEMPOTENCY_CONFLICT'
  }
}

async function assertInvariants(): Promise<void> {
  const report = await checkLedger(db, f.clock)
  expect(report.problems).toEqual([])
  expect(report.ok).toBe(true)
}

describe('ledger properties', () => {
  it('matches a simple model and keeps every invariant after each step of a random sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: PEOPLE, maxLength: PEOPLE }), fc.array(opArb, { minLength: 1, maxLength: 25 }), async (balances, ops) => {
        const w = await newWorld(balances)
        const model = { posted: [...balances], held: balances.map(() => 0) }
        for (const op of ops) {
          const expected = expectAndApply(w, model, op)
          expect(await run(w, op), JSON.stringify(op)).toBe(expected)
          for (let i = 0; i < PEOPLE; i++) {
            const b = await f.ledger.balance(db, w.training[i]!)
            expect({ posted: b.posted, held: b.held }).toEqual({ posted: model.posted[i], held: model.held[i] })
          }
          await assertInvariants()
        }
      }),
      { numRuns: 25 },
    )
  })

  it('keeps every invariant when random batches run concurrently, and moves exactly what succeeded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        const start = 600_000
        const w = await newWorld(Array(PEOPLE).fill(start))
        for (const batch of batches) {
          const codes = await Promise.all(batch.map((op) => run(w, op)))
          for (const c of codes) if (c !== null) expect(c).toMatch(/^LEDGER_/)
          await assertInvariants()
          for (let i = 0; i < PEOPLE; i++) {
            const b = await f.ledger.balance(db, w.training[i]!)
            expect(b.available).toBeGreaterThanOrEqual(0)
            expect(b.posted).toBeLessThanOrEqual(start)
          }
        }
        // Conservation: what left the participants is exactly what the platform received.
        let left = 0
        for (const id of w.training) left += start - (await f.ledger.balance(db, id)).posted
        const platformRows = await db
          .selectFrom('ledger_transfers')
          .select((eb) => eb.fn.sum<number>('amount').as('s'))
          .where('credit_account_id', '=', w.platform)
          .where('kind', 'in', ['single', 'post'])
          .where('debit_account_id', 'in', w.training)
          .executeTakeFirstOrThrow()
        expect(Number(platformRows.s ?? 0)).toBe(left)
      }),
      { numRuns: 20 },
    )
  })
})
