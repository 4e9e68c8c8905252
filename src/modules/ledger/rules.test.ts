import { describe, expect, it } from 'vitest'
import { checkAmount, checkCurrency, checkTimeout, formatRupiah } from './amount.ts'
import { availableBalance, balanceChanges } from './balance.ts'
import { ACCOUNT_TYPES, allowedRoutes, mayGoNegative, TRANSFER_CODES, type TransferCode } from './codes.ts'
import { describeMovement, toMovement } from './history.ts'
import { sameRequest, type TransferRequest } from './idempotency.ts'
import { judge, type CheckFacts } from './invariants.ts'
import type { MovementRow } from './ledger.repository.ts'

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return 'no error'
}

describe('amounts', () => {
  it('accepts whole positive rupiah up to the safe integer limit', () => {
    expect(checkAmount(1)).toBe(1)
    expect(checkAmount(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER)
    expect(checkAmount(5n)).toBe(5)
  })
  it('refuses zero, negatives, fractions, non-numbers and unsafe sizes, each with its code', () => {
    for (const bad of [0, -1, 0.5, Number.NaN, '10', null, undefined, -0, 0n, -3n]) expect(code(() => checkAmount(bad)), String(bad)).toBe('LEDGER_INVALID_AMOUNT')
    for (const big of [Number.MAX_SAFE_INTEGER + 1, 1e300, Infinity, 2n ** 60n]) expect(code(() => checkAmount(big)), String(big)).toBe('LEDGER_AMOUNT_TOO_LARGE')
  })
  it('takes only rupiah, and hold deadlines between a second and 90 days', () => {
    expect(checkCurrency(undefined)).toBe('IDR')
    expect(code(() => checkCurrency('idr'))).toBe('LEDGER_CURRENCY')
    expect(code(() => checkCurrency('USD'))).toBe('LEDGER_CURRENCY')
    expect(checkTimeout(1)).toBe(1)
    for (const t of [0, 1.5, 90 * 86_400 + 1, '60']) expect(code(() => checkTimeout(t))).toBe('LEDGER_INVALID_DEADLINE')
  })
  it('formats rupiah the Indonesian way', () => {
    expect(formatRupiah('id', 3_500_000)).toBe('Rp 3.500.000')
    expect(formatRupiah('en', 3_500_000)).toBe('IDR 3,500,000')
  })
})

describe('account and transfer codes', () => {
  it('lets only the outside-world accounts go negative', () => {
    expect(ACCOUNT_TYPES.filter(mayGoNegative)).toEqual(['state_budget', 'platform_receivable', 'settlement'])
  })
  it('allows each code only on its routes, corrections anywhere', () => {
    expect(allowedRoutes('purchase')).toEqual(['participant_training>platform_payable'])
    expect(allowedRoutes('forfeit')).toEqual(['participant_training>forfeited', 'participant_incentive>forfeited'])
    expect(allowedRoutes('correction')).toBeNull()
    for (const c of Object.keys(TRANSFER_CODES) as TransferCode[]) {
      for (const r of allowedRoutes(c) ?? []) expect(r.split('>').every((t) => (ACCOUNT_TYPES as readonly string[]).includes(t))).toBe(true)
    }
  })
})

describe('balance arithmetic', () => {
  it('posts part of a hold and releases all of it', () => {
    const [d, c] = balanceChanges('post', 1, 2, 70, 100)
    expect(d).toEqual({ accountId: 1, debitsPosted: 70, creditsPosted: 0, debitsPending: -100, creditsPending: 0 })
    expect(c).toEqual({ accountId: 2, debitsPosted: 0, creditsPosted: 70, debitsPending: 0, creditsPending: -100 })
    expect(availableBalance({ debitsPosted: 10, creditsPosted: 100, debitsPending: 30, creditsPending: 999 })).toBe(60)
  })
})

describe('idempotency', () => {
  const r: TransferRequest = { kind: 'single', debitAccountId: 1, creditAccountId: 2, amount: 5, code: 'purchase', referenceType: 'p', referenceId: '1', pendingId: null, timeoutSeconds: null, memo: null }
  it('treats a request as the same only when every parameter matches', () => {
    expect(sameRequest(r, { ...r })).toBe(true)
    for (const change of [{ amount: 6 }, { kind: 'pending' as const }, { creditAccountId: 3 }, { referenceId: '2' }, { memo: 'x' }, { timeoutSeconds: 60 }]) {
      expect(sameRequest(r, { ...r, ...change })).toBe(false)
    }
  })
})

describe('history in plain words', () => {
  const row = (over: Partial<MovementRow>): MovementRow =>
    ({
      id: 1, kind: 'single', debit_account_id: 10, credit_account_id: 20, amount: 1000, currency: 'IDR', code: 'purchase',
      reference_type: 'purchase', reference_id: 'x', idempotency_key: 'k', pending_id: null, timeout_seconds: null,
      expires_at: null, memo: null, created_at: new Date(0), account_id: 10, hold_amount: null, counterparty_type: 'platform_payable', ...over,
    }) as MovementRow
  const fmt = (n: number) => formatRupiah('id', n)
  it('gives every code a description on both sides, in both languages', () => {
    for (const c of Object.keys(TRANSFER_CODES) as TransferCode[]) {
      for (const account_id of [10, 20]) {
        for (const l of ['id', 'en'] as const) expect(describeMovement(l, toMovement(row({ code: c, account_id })), fmt)).not.toMatch(/\{|undefined/)
      }
    }
  })
  it('shows what a partial post gave back and how each step changed the available balance', () => {
    const post = toMovement(row({ kind: 'post', amount: 800, hold_amount: 1000, pending_id: 9 }))
    expect(post.availableChange).toBe(200)
    expect(describeMovement('id', post, fmt)).toBe('Pembelian pelatihan: dikonfirmasi (Rp 200 yang tidak terpakai kembali ke saldo)')
    expect(toMovement(row({ kind: 'pending' })).availableChange).toBe(-1000)
    expect(toMovement(row({ kind: 'pending', account_id: 20 })).availableChange).toBe(0)
    expect(toMovement(row({ kind: 'expire', hold_amount: 1000, pending_id: 9 })).availableChange).toBe(1000)
  })
})

describe('invariant judgement', () => {
  const facts = (over: Partial<CheckFacts> = {}): CheckFacts => ({
    totals: { accounts: 2, transfers: 1, cached: { dp: 5, cp: 5, dq: 0, cq: 0 }, derived: { dp: 5, cp: 5, dq: 0, cq: 0 } },
    holds: { open: 0, posted: 0, voided: 0, expired: 0, overdue: 0 },
    accounts: { rows: [], count: 0 },
    transfers: [],
    ...over,
  })
  it('passes a balanced ledger', () => {
    expect(judge(facts())).toMatchObject({ ok: true, problemCount: 0 })
  })
  it('names each kind of violation', () => {
    const bad = judge(
      facts({
        totals: { accounts: 2, transfers: 1, cached: { dp: 5, cp: 6, dq: 0, cq: 0 }, derived: { dp: 5, cp: 5, dq: 0, cq: 0 } },
        accounts: { rows: [{ id: 7, type: 'participant_training', may_go_negative: false, cached: [0, 6, 0, 0], derived: [8, 5, 0, 0] }], count: 3 },
        transfers: [{ id: 4, problem: 'post_exceeds_hold' }],
      }),
    )
    expect(bad.ok).toBe(false)
    expect(bad.problems.map((p) => p.kind)).toEqual(['unbalanced', 'cache_mismatch', 'negative_balance', 'post_exceeds_hold'])
    expect(bad.problemCount).toBe(6)
  })
})
