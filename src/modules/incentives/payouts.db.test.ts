/**
 * The payout run against the sandbox partners, with their faults: acknowledgement is not
 * payment, callbacks are signed and idempotent, failures return the hold and are retried
 * after the fix, a timeout or a process killed after sending never leads to a second
 * payment nor to a lost one, and the statement reconciles what callbacks missed.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { NO_FAULTS, sandboxPaymentsFor, type Delivery, type SandboxPayments } from '../../sandboxes/payments/index.ts'
import { createLedger } from '../ledger/index.ts'
import { incentivesDeps, type IncentivesDeps } from './deps.ts'
import { callbackSecret, payoutKey, signCallback, wibDay } from './gateway.ts'
import { confirmLink, startLink } from './linking.service.ts'
import { runPayouts } from './payouts.service.ts'
import { reconcile } from './reconcile.service.ts'
import { markOverdueClaims, markRepaid, openClaim } from './claims.service.ts'
import { myIncentives } from './views.ts'
import { completedCourse, fundProgramme, incentiveWorld, participant, type Person, type World } from './testing.ts'

const BASE = new Date('2026-12-01T03:00:00Z')
const DAY = 86_400_000
const clock = fixedClock(BASE)
let t: TestApp
let d: IncentivesDeps
let sandbox: SandboxPayments
let world: World

beforeAll(async () => {
  t = await startTestApp({ clock })
  d = incentivesDeps(t.deps)
  sandbox = sandboxPaymentsFor(t.database.db, { clock, serverSecret: t.deps.config.secret })
  const s = setup()
  world = await incentiveWorld(s, { incentiveCount: 1 })
  await fundProgramme(s, 10_000_000_000)
})
afterAll(async () => t?.close())
beforeEach(async () => {
  clock.set(BASE)
  for (const p of sandbox.all()) {
    Object.assign(p.faults, NO_FAULTS)
    p.takeCallbacks()
  }
})

const setup = () => ({ db: t.database.db, clock, jobs: t.deps.jobs, identity: t.deps.identity })

async function smsCode(phone: string): Promise<string> {
  const row = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', phone).where('template', '=', 'incentives.link-otp').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow()
  return /Kode Karya: (\d{6})/.exec(row.text_body)![1]!
}

async function link(who: Person, partner: 'ovo' | 'bca', number: string) {
  const s = await startLink(d, who.id, { partner, accountNumber: number })
  await confirmLink(d, who.id, s.linkId, await smsCode(who.phone))
}

/** An eligible participant with an OVO wallet linked: one payout of Rp 600 000 due now. */
async function ready(opts: { limit?: number } = {}) {
  const who = await participant(setup())
  await completedCourse(setup(), world, who)
  sandbox.partner('ovo').openAccount({ number: who.phone, holderName: who.name.toUpperCase(), nik: who.nik, phone: who.phone, ...(opts.limit ? { limit: opts.limit } : {}) })
  await link(who, 'ovo', who.phone)
  const p = await t.database.db.selectFrom('incentive_payouts').selectAll().where('account_id', '=', who.id).executeTakeFirstOrThrow()
  return { who, payoutId: p.id }
}

const payout = (id: string) => t.database.db.selectFrom('incentive_payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const timesPaid = (payoutId: string) => sandbox.all().flatMap((p) => p.sent).filter((s) => s.payoutId === payoutId).length

async function deliver(ds: Delivery[]) {
  const codes: number[] = []
  for (const c of ds) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/payments/callback/${c.partner}`, headers: { ...c.headers, 'content-type': 'application/json' }, payload: c.rawBody })
    codes.push(r.statusCode)
  }
  return codes
}

async function balance(type: 'participant_incentive' | 'settlement' | 'payout_clearing', owner: string | null = null) {
  const ledger = createLedger({ jobs: t.deps.jobs, clock })
  return ledger.balance(t.database.db, (await ledger.openAccount(t.database.db, type, owner)).id)
}

describe('a payout', () => {
  it('is only acknowledged by the answer, paid on the signed callback; duplicates and out-of-order callbacks are harmless', async () => {
    const { who, payoutId } = await ready()
    const settledBefore = (await balance('settlement')).posted
    sandbox.partner('ovo').faults.duplicateCallbackRate = 1
    sandbox.partner('ovo').faults.reorderCallbacks = true
    const r = await runPayouts(d)
    expect(r).toMatchObject({ held: 1, acknowledged: 1, paid: 0 })
    expect((await payout(payoutId)).status).toBe('sent')
    expect((await balance('participant_incentive', who.id)).held).toBe(600_000)
    const callbacks = sandbox.partner('ovo').takeCallbacks()
    expect(callbacks.length).toBe(4)
    // Delivered in reverse as well: "paid" before "processing", each twice.
    expect(await deliver([...callbacks].reverse())).toEqual([200, 200, 200, 200])
    const p = await payout(payoutId)
    expect(p.status).toBe('paid')
    expect((await balance('settlement')).posted - settledBefore).toBe(600_000)
    expect(await balance('participant_incentive', who.id)).toMatchObject({ posted: 0, held: 0 })
    expect(timesPaid(payoutId)).toBe(1)
    const paidEvents = await t.database.db.selectFrom('payout_events').select('kind').where('payout_id', '=', payoutId).where('kind', '=', 'paid').execute()
    expect(paidEvents).toHaveLength(1)
    const view = await myIncentives(t.database.db, who.id)
    expect(view.payouts[0]!.status).toBe('paid')
  })

  it('takes callbacks in a signed batch: applied together, one settlement transfer, an unknown line answered without refusing the rest, a repeat changes nothing', async () => {
    const a = await ready()
    const b = await ready()
    const settledBefore = (await balance('settlement')).posted
    sandbox.partner('ovo').faults.duplicateCallbackRate = 1
    await runPayouts(d)
    const delivery = sandbox.partner('ovo').takeCallbackBatch(100)!
    const body = JSON.parse(delivery.rawBody) as { reports: unknown[] }
    // processing + paid for each payout, each twice.
    expect(body.reports).toHaveLength(8)
    const stranger = { key: '00000000-0000-4000-8000-000000000000', status: 'paid', reason: null, partnerRef: 'X', amount: 600_000, at: clock.now().toISOString() }
    const raw = JSON.stringify({ reports: [...body.reports, stranger] })
    const ts = String(Math.floor(clock.now().getTime() / 1000))
    const post = (payload: string, signature = signCallback(callbackSecret(t.deps.config.secret, 'ovo'), 'ovo', ts, payload)) =>
      t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/ovo', headers: { 'content-type': 'application/json', 'x-payment-timestamp': ts, 'x-payment-signature': signature }, payload })
    expect((await post(raw, '0'.repeat(43))).statusCode).toBe(401)
    const r = await post(raw)
    expect(r.statusCode).toBe(200)
    const outcomes = (r.json() as { outcomes: string[] }).outcomes
    expect(outcomes).toHaveLength(9)
    expect(outcomes.filter((o) => o === 'paid')).toHaveLength(2)
    expect(outcomes[8]).toBe('unknown')
    expect((await payout(a.payoutId)).status).toBe('paid')
    expect((await payout(b.payoutId)).status).toBe('paid')
    expect((await balance('settlement')).posted - settledBefore).toBe(1_200_000)
    const settlements = await t.database.db
      .selectFrom('payout_events')
      .select(sql<string>`details->>'settlementKey'`.as('transfer'))
      .where('payout_id', 'in', [a.payoutId, b.payoutId])
      .where('kind', '=', 'paid')
      .execute()
    expect(settlements).toHaveLength(2)
    expect(new Set(settlements.map((x) => x.transfer)).size).toBe(1)
    // The same batch again: nothing moves.
    const again = await post(raw)
    expect((again.json() as { outcomes: string[] }).outcomes.filter((o) => o === 'paid')).toHaveLength(0)
    expect((await balance('settlement')).posted - settledBefore).toBe(1_200_000)
    expect(timesPaid(a.payoutId) + timesPaid(b.payoutId)).toBe(2)
    expect((await post(JSON.stringify({ reports: [] }))).statusCode).toBe(400)
  })

  it('refuses a callback with a bad signature and one for an unknown payout', async () => {
    const { payoutId } = await ready()
    await runPayouts(d)
    const [processing, paid] = sandbox.partner('ovo').takeCallbacks()
    const forged = { ...paid!, headers: { ...paid!.headers, 'x-payment-signature': '0'.repeat(64) } }
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/ovo', headers: { ...forged.headers, 'content-type': 'application/json' }, payload: forged.rawBody })
    expect(bad.statusCode).toBe(401)
    expect(bad.json().error.code).toBe('PAYMENT_CALLBACK_SIGNATURE')
    // Signed by OVO, sent as if from DANA: the signature does not hold for DANA.
    expect(await deliver([{ ...paid!, partner: 'dana' }])).toEqual([401])
    const ts = String(Math.floor(clock.now().getTime() / 1000))
    const body = JSON.stringify({ key: '00000000-0000-4000-8000-000000000000', status: 'paid', reason: null, partnerRef: 'X', amount: 600_000, at: clock.now().toISOString() })
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/ovo', headers: { 'content-type': 'application/json', 'x-payment-timestamp': ts, 'x-payment-signature': signCallback(callbackSecret(t.deps.config.secret, 'ovo'), 'ovo', ts, body) }, payload: body })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('PAYMENT_CALLBACK_UNKNOWN')
    expect((await payout(payoutId)).status).toBe('sent')
    expect(await deliver([processing!, paid!])).toEqual([200, 200])
    expect((await payout(payoutId)).status).toBe('paid')
  })

  it('that fails (account closed) returns the hold, tells the participant, and is retried after a new account is linked', async () => {
    const { who, payoutId } = await ready()
    sandbox.partner('ovo').accounts.get(who.phone)!.closed = true
    await runPayouts(d)
    const ovoCallbacks = sandbox.partner('ovo').takeCallbacks()
    await deliver(ovoCallbacks)
    const failed = await payout(payoutId)
    expect(failed).toMatchObject({ status: 'failed', failure: 'account_closed', attempt: 1 })
    expect(await balance('participant_incentive', who.id)).toMatchObject({ posted: 600_000, held: 0 })
    const told = await t.database.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', who.email).where('template', '=', 'incentives.payout').execute()
    expect(told.some((m) => m.text_body.includes('rekening Anda sudah ditutup'))).toBe(true)
    sandbox.partner('bca').openAccount({ number: '8800112233', holderName: who.name, nik: who.nik, phone: null })
    await link(who, 'bca', '8800112233')
    expect(await payout(payoutId)).toMatchObject({ status: 'scheduled', attempt: 2 })
    clock.set(new Date(BASE.getTime() + 3 * DAY + 1000))
    await runPayouts(d)
    await deliver(sandbox.partner('bca').takeCallbacks())
    expect(await payout(payoutId)).toMatchObject({ status: 'paid', partner: 'bca', attempt: 2 })
    // OVO's failure report for the first attempt, late and again: accepted as stale, changes nothing.
    const ts = String(Math.floor(clock.now().getTime() / 1000))
    const late = ovoCallbacks.map((c) => ({ ...c, headers: { 'x-payment-timestamp': ts, 'x-payment-signature': signCallback(callbackSecret(t.deps.config.secret, 'ovo'), 'ovo', ts, c.rawBody) } }))
    expect(await deliver(late)).toEqual(late.map(() => 200))
    expect(await payout(payoutId)).toMatchObject({ status: 'paid', partner: 'bca', attempt: 2 })
    expect(timesPaid(payoutId)).toBe(1)
    expect(await balance('participant_incentive', who.id)).toMatchObject({ posted: 0, held: 0 })
  })

  it('over the account’s limit fails at once and is tried again the next day', async () => {
    const { who, payoutId } = await ready({ limit: 500_000 })
    const r = await runPayouts(d)
    expect(r.failed).toBe(1)
    expect(await payout(payoutId)).toMatchObject({ status: 'failed', failure: 'limit_exceeded' })
    sandbox.partner('ovo').accounts.get(who.phone)!.limit = 2_000_000
    clock.set(new Date(BASE.getTime() + DAY))
    const again = await runPayouts(d)
    expect(again.retried).toBeGreaterThanOrEqual(1)
    expect(await payout(payoutId)).toMatchObject({ status: 'sent', attempt: 2 })
  })
})

describe('faults between us and the partner', () => {
  it('a timeout after the partner paid is "unknown"; the next run asks by the same key and records the payment once', async () => {
    const { payoutId } = await ready()
    Object.assign(sandbox.partner('ovo').faults, { timeoutRate: 1, paidOnTimeoutRate: 1 })
    const r = await runPayouts(d)
    expect(r.unknown).toBe(1)
    expect((await payout(payoutId)).status).toBe('unknown')
    sandbox.partner('ovo').faults.timeoutRate = 0
    sandbox.partner('ovo').takeCallbacks()
    await runPayouts(d)
    expect((await payout(payoutId)).status).toBe('paid')
    expect(timesPaid(payoutId)).toBe(1)
  })

  it('a timeout before the partner saw it is re-sent under the same key, never a new one', async () => {
    const { payoutId } = await ready()
    Object.assign(sandbox.partner('ovo').faults, { timeoutRate: 1, paidOnTimeoutRate: 0 })
    await runPayouts(d)
    expect(await sandbox.partner('ovo').status(payoutKey(payoutId, 1))).toBeNull()
    sandbox.partner('ovo').faults.timeoutRate = 0
    await runPayouts(d)
    expect(await payout(payoutId)).toMatchObject({ status: 'sent', attempt: 1 })
    expect(sandbox.partner('ovo').sent.filter((s) => s.payoutId === payoutId).map((s) => s.key)).toEqual([payoutId])
  })

  it('the process killed between sending and recording: the re-run pays nothing twice and loses nothing', async () => {
    const { payoutId } = await ready()
    await expect(
      runPayouts(d, {
        afterSend: () => {
          throw new Error('killed')
        },
      }),
    ).rejects.toThrow('killed')
    expect((await payout(payoutId)).status).toBe('sending')
    expect(timesPaid(payoutId)).toBe(1)
    sandbox.partner('ovo').takeCallbacks()
    const r = await runPayouts(d)
    expect(r.recovered).toBeGreaterThanOrEqual(1)
    expect((await payout(payoutId)).status).toBe('paid')
    expect(timesPaid(payoutId)).toBe(1)
  })
})

describe('reconciliation', () => {
  it('confirms payouts whose callbacks were lost and flags unknown, duplicate, mismatched and missing payments', async () => {
    const a = await ready()
    const b = await ready()
    await runPayouts(d)
    sandbox.partner('ovo').takeCallbacks() // lost
    const day = wibDay(clock.now())
    const keyA = payoutKey(a.payoutId, 1)
    const lines = await sandbox.partner('ovo').statement(day)
    const lineA = lines.find((l) => l.key === keyA)!
    sandbox.partner('ovo').extraStatementLines.set(day, [
      lineA,
      { key: '11111111-1111-4111-8111-111111111111', partnerRef: 'OVO-X', amount: 600_000, paidAt: clock.now().toISOString() },
    ])
    // B: the partner reports another amount.
    const keyB = payoutKey(b.payoutId, 1)
    const stmt = sandbox.partner('ovo').statement.bind(sandbox.partner('ovo'))
    const partnerB = sandbox.partner('ovo') as { statement: (day: string) => Promise<typeof lines> }
    partnerB.statement = async (dd) => (await stmt(dd)).map((l) => (l.key === keyB ? { ...l, amount: 60_000 } : l))
    try {
      const r = await reconcile(d, 'ovo', day)
      expect(r.findings.duplicate).toBe(1)
      expect(r.findings.unknown).toBe(1)
      expect(r.findings.mismatch).toBe(1)
      expect(r.confirmed).toBeGreaterThanOrEqual(1)
      expect((await payout(a.payoutId)).status).toBe('paid')
      expect((await payout(b.payoutId)).status).toBe('sent')
      // B is ours as sent, absent at its amount: after the partner fixes its statement a re-run confirms it.
      const again = await reconcile(d, 'ovo', day)
      expect(again.findings.duplicate).toBe(0)
    } finally {
      partnerB.statement = stmt
      sandbox.partner('ovo').extraStatementLines.delete(day)
    }
    await reconcile(d, 'ovo', day)
    expect((await payout(b.payoutId)).status).toBe('paid')
  })

  it('flags as missing a payout the partner acknowledged but never paid', async () => {
    const { who, payoutId } = await ready()
    sandbox.partner('ovo').accounts.get(who.phone)!.closed = true
    await runPayouts(d)
    sandbox.partner('ovo').takeCallbacks() // the failure callback is lost
    const r = await reconcile(d, 'ovo', wibDay(clock.now()))
    expect(r.findings.missing).toBeGreaterThanOrEqual(1)
    const f = await t.database.db.selectFrom('reconciliation_findings').select('kind').where('payout_id', '=', payoutId).execute()
    expect(f.map((x) => x.kind)).toContain('missing')
    const pmo = await loggedIn(t.app, 'pmo_admin', t.database.db)
    const page = await pmo.request({ method: 'GET', url: '/pmo/insentif', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(payoutKey(payoutId, 1))
  })
})

describe('repayment claims', () => {
  it('an ineligible recipient is asked to repay what was paid within 60 days; unpaid payouts are cancelled', async () => {
    const { who, payoutId } = await ready()
    await runPayouts(d)
    await deliver(sandbox.partner('ovo').takeCallbacks())
    expect((await payout(payoutId)).status).toBe('paid')
    const pmo = await t.database.db.selectFrom('accounts').select('id').where('role', '=', 'pmo_admin').executeTakeFirstOrThrow()
    const c = await openClaim(d, { id: pmo.id, role: 'pmo_admin' }, who.id, 'Ternyata ASN aktif')
    expect(c.amount).toBe(600_000)
    await expect(openClaim(d, { id: pmo.id, role: 'pmo_admin' }, who.id, 'Kedua kali')).rejects.toMatchObject({ code: 'REPAYMENT_CLAIM_OPEN' })
    const view = await myIncentives(t.database.db, who.id)
    expect(view.claim).toMatchObject({ amount: 600_000, status: 'open' })
    expect(view.claim!.dueAt.toISOString()).toBe(new Date(BASE.getTime() + 60 * DAY).toISOString())
    clock.set(new Date(BASE.getTime() + 61 * DAY))
    expect(await markOverdueClaims(d)).toBeGreaterThanOrEqual(1)
    await markRepaid(d, { id: pmo.id, role: 'pmo_admin' }, c.claimId)
    expect((await myIncentives(t.database.db, who.id)).claim?.status).toBe('repaid')
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('subject_id', 'in', [who.id, c.claimId]).execute()
    expect(audit.map((x) => x.action).sort()).toEqual(['incentives.repaid', 'incentives.repayment-claim'])
  })
})
