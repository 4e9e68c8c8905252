import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmail, loggedIn, startTestApp, type Browser, type TestApp } from '../../../test/app.ts'
import { createLedger, type Ledger } from './ledger.service.ts'
import { uniqueKey } from './testing.ts'

let t: TestApp
let ledger: Ledger
let participant: Browser
let participantId: string

const html = { accept: 'text/html' }

beforeAll(async () => {
  t = await startTestApp({ runWorkers: true })
  ledger = createLedger(t.deps)
  participant = await loggedIn(t.app, 'participant', t.deps.database.db)
  const row = await t.deps.database.db.selectFrom('accounts').select('id').where('email', '=', demoEmail('participant')).executeTakeFirstOrThrow()
  participantId = row.id
})
afterAll(async () => t?.close())

async function until(what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('participant balance history', () => {
  it('says plainly that there is no balance yet', async () => {
    const res = await participant.request({ method: 'GET', url: '/saldo', headers: html })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Anda belum punya saldo')
  })

  it('shows every movement in plain words, and the JSON agrees with the balance', async () => {
    const db = t.deps.database.db
    const budget = await ledger.openAccount(db, 'state_budget')
    const fund = await ledger.openAccount(db, 'programme_fund')
    const training = await ledger.openAccount(db, 'participant_training', participantId)
    const platform = await ledger.openAccount(db, 'platform_payable', 'demo-platform')
    await ledger.transfer(db, { debitAccountId: budget.id, creditAccountId: fund.id, amount: 10_000_000, code: 'fund_deposit', reference: { type: 'budget', id: 'b1' }, idempotencyKey: uniqueKey() })
    await ledger.transfer(db, { debitAccountId: fund.id, creditAccountId: training.id, amount: 3_500_000, code: 'credit_balance', reference: { type: 'card', id: participantId }, idempotencyKey: uniqueKey() })
    const buy = { debitAccountId: training.id, creditAccountId: platform.id, code: 'purchase' as const, reference: { type: 'purchase', id: 'p1' }, timeoutSeconds: 900 }
    const h1 = await ledger.hold(db, { ...buy, amount: 1_000_000, idempotencyKey: uniqueKey() })
    await ledger.post(db, { holdId: h1.transfer.id, amount: 800_000, idempotencyKey: uniqueKey() })
    const h2 = await ledger.hold(db, { ...buy, amount: 500_000, idempotencyKey: uniqueKey() })
    await ledger.void(db, { holdId: h2.transfer.id, idempotencyKey: uniqueKey() })
    await ledger.hold(db, { ...buy, amount: 200_000, idempotencyKey: uniqueKey() })

    const page = await participant.request({ method: 'GET', url: '/saldo', headers: html })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Saldo pelatihan diterima dari program')
    expect(page.body).toContain('Pembelian pelatihan: dikonfirmasi (Rp 200.000 yang tidak terpakai kembali ke saldo)')
    expect(page.body).toContain('Pembelian pelatihan: dibatalkan, saldo yang ditahan kembali')
    expect(page.body).toContain('Pembelian pelatihan: saldo ditahan, menunggu konfirmasi')
    expect(page.body).toContain('Rp 2.500.000')
    expect(page.body).toContain('−Rp 200.000')

    const res = await participant.request({ method: 'GET', url: '/api/v1/me/balance', headers: { accept: 'application/json' } })
    expect(res.statusCode).toBe(200)
    const body = res.json() as { balances: Array<{ type: string; available: number; held: number; posted: number }>; movements: Array<{ availableChange: number; description: string }> }
    expect(body.balances).toEqual([expect.objectContaining({ type: 'participant_training', posted: 2_700_000, held: 200_000, available: 2_500_000 })])
    expect(body.movements).toHaveLength(6)
    expect(body.movements.reduce((s, m) => s + m.availableChange, 0)).toBe(2_500_000)
  })

  it('releases a hold by itself at its deadline (the expiry job)', async () => {
    const db = t.deps.database.db
    const training = await ledger.openAccount(db, 'participant_training', participantId)
    const platform = await ledger.openAccount(db, 'platform_payable', 'demo-platform')
    const before = (await ledger.balance(db, training.id)).available
    await ledger.hold(db, { debitAccountId: training.id, creditAccountId: platform.id, amount: 100_000, code: 'purchase', reference: { type: 'purchase', id: 'p2' }, idempotencyKey: uniqueKey(), timeoutSeconds: 1 })
    expect((await ledger.balance(db, training.id)).available).toBe(before - 100_000)
    await until('the hold to expire', async () => (await ledger.balance(db, training.id)).available === before)
    const page = await participant.request({ method: 'GET', url: '/saldo', headers: html })
    expect(page.body).toContain('tidak dikonfirmasi tepat waktu, saldo yang ditahan kembali')
  })
})

describe('PMO programme fund page', () => {
  it('shows the fund, runs the invariant check on request (audited) and shows its result', async () => {
    const pmo = await loggedIn(t.app, 'pmo_admin', t.deps.database.db)
    const first = await pmo.request({ method: 'GET', url: '/pmo/dana', headers: html })
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain('Buku besar belum pernah diperiksa')
    expect(first.body).toContain('Saldo pelatihan diberikan ke peserta')
    const token = await pmo.csrfFrom('/pmo/dana')
    const post = await pmo.request({
      method: 'POST',
      url: '/pmo/dana/periksa',
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token }).toString(),
    })
    expect(post.statusCode).toBe(303)
    expect(post.headers.location).toBe('/pmo/dana?checking=1')
    await until('the check result', async () => (await pmo.request({ method: 'GET', url: '/pmo/dana', headers: html })).body.includes('Seimbang:'))
    const audited = await t.deps.database.db.selectFrom('audit_log').select('action').where('action', '=', 'ledger.check_requested').execute()
    expect(audited).toHaveLength(1)
  })

  it('is not for participants', async () => {
    const res = await participant.request({ method: 'GET', url: '/pmo/dana', headers: { accept: 'application/json' } })
    expect(res.statusCode).toBe(403)
  })
})
