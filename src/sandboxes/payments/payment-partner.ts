/**
 * A payment partner (bank or e-wallet) as Karya meets it from outside: an account inquiry,
 * transfers deduplicated by idempotency key, signed callbacks that may come twice or out of
 * order, a statement of each day's payments, and the faults of a real one — slow answers,
 * timeouts after which the money may well have gone, outages, closed accounts, wallets
 * without KYC, accounts in someone else's name, transfer limits. One implementation,
 * parameterised per partner. Its own record of money sent (`sent`) is what a benchmark
 * compares with Karya's ledger.
 */
import crypto from 'node:crypto'
import type { Clock } from '../../platform/clock.ts'
import {
  PartnerUnavailable,
  signCallback,
  type AccountInquiry,
  type CallbackBody,
  type FailureReason,
  type PartnerCode,
  type PaymentPartner,
  type SendAnswer,
  type SendRequest,
  type StatementLine,
  type TransferState,
  wibDay,
} from '../../modules/incentives/gateway.ts'
import { createRng } from '../population/index.ts'

export interface SandboxAccount {
  readonly number: string
  holderName: string
  readonly nik: string
  readonly phone: string | null
  kycVerified: boolean
  closed: boolean
  /** Largest single transfer the account takes. */
  limit: number
}

export interface PaymentFaults {
  /** Answer time in ms, uniformly between the two. */
  latencyMs: [number, number]
  /** Share of sends that time out. */
  timeoutRate: number
  /** Of those, the share where the partner had carried out the transfer before the line dropped. */
  paidOnTimeoutRate: number
  /** Share of callbacks sent twice. */
  duplicateCallbackRate: number
  /** Callbacks delivered in a shuffled order. */
  reorderCallbacks: boolean
  outage: boolean
}

interface StoredTransfer {
  readonly key: string
  readonly answer: SendAnswer
  state: TransferState
  paidAt: Date | null
}

export interface SentRecord {
  readonly key: string
  readonly payoutId: string
  readonly accountNumber: string
  readonly amount: number
  readonly at: Date
}

export interface Delivery {
  readonly partner: PartnerCode
  readonly headers: Record<string, string>
  readonly rawBody: string
}

export interface SandboxPartner extends PaymentPartner {
  readonly faults: PaymentFaults
  readonly accounts: Map<string, SandboxAccount>
  /** Every transfer this partner really paid, in order: its own books. */
  readonly sent: SentRecord[]
  /** Callback bodies waiting to be delivered. */
  readonly outbox: string[]
  /** Lines the statement carries besides the real ones (tests of reconciliation). */
  readonly extraStatementLines: Map<string, StatementLine[]>
  openAccount(a: Omit<SandboxAccount, 'kycVerified' | 'closed' | 'limit'> & Partial<Pick<SandboxAccount, 'kycVerified' | 'closed' | 'limit'>>): SandboxAccount
  /** Takes the waiting callbacks, signed now (shuffled when asked, duplicates included); at most `limit` of them, as a retrying sender sends in bounded batches. */
  takeCallbacks(limit?: number): Delivery[]
  /**
   * Takes up to `limit` waiting callbacks as one batched delivery (`{ reports: [...] }`,
   * signed once, shuffled when asked, duplicates included), as a partner that reports in
   * batches does; null when none is waiting.
   */
  takeCallbackBatch(limit: number): Delivery | null
}

export const NO_FAULTS: PaymentFaults = { latencyMs: [0, 0], timeoutRate: 0, paidOnTimeoutRate: 0, duplicateCallbackRate: 0, reorderCallbacks: false, outage: false }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))


export function createSandboxPartner(code: PartnerCode, opts: { clock: Clock; secret: string; seed?: number; faults?: Partial<PaymentFaults> }): SandboxPartner {
  const rng = createRng(opts.seed ?? 7)
  const faults: PaymentFaults = { ...NO_FAULTS, ...opts.faults }
  const accounts = new Map<string, SandboxAccount>()
  const transfers = new Map<string, StoredTransfer>()
  const sent: SentRecord[] = []
  const outbox: string[] = []
  const extraStatementLines = new Map<string, StatementLine[]>()

  async function latency(timesOut: boolean): Promise<void> {
    const [lo, hi] = faults.latencyMs
    const wait = timesOut ? hi : rng.int(lo, hi)
    if (wait > 0) await sleep(wait)
  }

  function queueCallback(t: StoredTransfer): void {
    const body: CallbackBody = { key: t.key, status: t.state.status, reason: t.state.reason, partnerRef: t.state.partnerRef, amount: t.state.amount, at: opts.clock.now().toISOString() }
    const rawBody = JSON.stringify(body)
    outbox.push(rawBody)
    if (rng.chance(faults.duplicateCallbackRate)) outbox.push(rawBody)
  }

  /** Each delivery is signed when it is sent, as a partner's retrying sender does. */
  function signed(rawBody: string): Delivery {
    const timestamp = String(Math.floor(opts.clock.now().getTime() / 1000))
    return { partner: code, rawBody, headers: { 'x-payment-timestamp': timestamp, 'x-payment-signature': signCallback(opts.secret, code, timestamp, rawBody) } }
  }

  /** Carries out a transfer once per key; the money moves only for an open account in the right name. */
  function process(req: SendRequest): StoredTransfer {
    const first = transfers.get(req.key)
    if (first) return first
    const account = accounts.get(req.accountNumber)
    const partnerRef = `${code.toUpperCase()}-${crypto.randomUUID().slice(0, 12)}`
    let answer: SendAnswer
    let state: TransferState
    let failure: FailureReason | null = null
    if (!account) failure = 'account_unknown'
    else if (req.amount > account.limit) failure = 'limit_exceeded'
    if (failure) {
      answer = { status: 'rejected', reason: failure }
      state = { status: 'failed', reason: failure, partnerRef, amount: req.amount }
    } else {
      answer = { status: 'accepted', partnerRef }
      // Checks a real partner makes after acknowledging: the failure arrives by callback.
      const late: FailureReason | null = account!.closed ? 'account_closed' : account!.holderName !== req.holderName ? 'name_mismatch' : null
      state = late ? { status: 'failed', reason: late, partnerRef, amount: req.amount } : { status: 'paid', reason: null, partnerRef, amount: req.amount }
    }
    const t: StoredTransfer = { key: req.key, answer, state, paidAt: null }
    transfers.set(req.key, t)
    if (state.status === 'paid') {
      t.paidAt = opts.clock.now()
      sent.push({ key: req.key, payoutId: req.payoutId, accountNumber: req.accountNumber, amount: req.amount, at: t.paidAt })
      queueCallback({ ...t, state: { ...state, status: 'processing' } })
    }
    if (answer.status === 'accepted') queueCallback(t)
    return t
  }

  return {
    code,
    faults,
    accounts,
    sent,
    outbox,
    extraStatementLines,
    openAccount(a) {
      const acc: SandboxAccount = { kycVerified: true, closed: false, limit: 10_000_000, ...a }
      accounts.set(acc.number, acc)
      return acc
    },
    takeCallbacks(limit = Number.POSITIVE_INFINITY) {
      const out = outbox.splice(0, Math.min(limit, outbox.length)).map(signed)
      if (faults.reorderCallbacks) {
        for (let i = out.length - 1; i > 0; i--) {
          const j = rng.int(0, i)
          ;[out[i], out[j]] = [out[j]!, out[i]!]
        }
      }
      return out
    },
    takeCallbackBatch(limit) {
      const bodies = outbox.splice(0, Math.min(limit, outbox.length))
      if (bodies.length === 0) return null
      if (faults.reorderCallbacks) {
        for (let i = bodies.length - 1; i > 0; i--) {
          const j = rng.int(0, i)
          ;[bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!]
        }
      }
      return signed(`{"reports":[${bodies.join(',')}]}`)
    },
    async inquire(accountNumber, nik): Promise<AccountInquiry> {
      if (faults.outage) throw new PartnerUnavailable(code, 'outage')
      await latency(false)
      const a = accounts.get(accountNumber)
      if (!a) return { found: false, closed: false, holderName: '', nikMatches: false, kycVerified: false, phone: null }
      return { found: true, closed: a.closed, holderName: a.holderName, nikMatches: a.nik === nik, kycVerified: a.kycVerified, phone: a.phone }
    },
    async send(req) {
      if (faults.outage) throw new PartnerUnavailable(code, 'outage')
      const timesOut = rng.chance(faults.timeoutRate)
      await latency(timesOut)
      if (timesOut) {
        // The line dropped: before the partner saw the request, or after it paid.
        if (rng.chance(faults.paidOnTimeoutRate)) process(req)
        throw new PartnerUnavailable(code, 'timeout')
      }
      return process(req).answer
    },
    async status(key) {
      if (faults.outage) throw new PartnerUnavailable(code, 'outage')
      await latency(false)
      return transfers.get(key)?.state ?? null
    },
    async statement(day) {
      if (faults.outage) throw new PartnerUnavailable(code, 'outage')
      const lines: StatementLine[] = []
      for (const t of transfers.values()) {
        if (t.state.status === 'paid' && t.paidAt && wibDay(t.paidAt) === day) lines.push({ key: t.key, partnerRef: t.state.partnerRef, amount: t.state.amount, paidAt: t.paidAt.toISOString() })
      }
      return [...lines, ...(extraStatementLines.get(day) ?? [])]
    },
  }
}
