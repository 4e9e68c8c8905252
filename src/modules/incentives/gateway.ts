/**
 * The payment-partner adapter: what Karya asks a bank or e-wallet, and what it gets back.
 * A real partner plugs in here; `src/sandboxes/payments` plays all six. A send is answered
 * with an acknowledgement at best: only the partner's signed callback or its daily
 * statement says money arrived (decision 0007).
 */
import crypto from 'node:crypto'

export const PARTNERS = {
  bni: { name: 'BNI', kind: 'bank' },
  bca: { name: 'BCA', kind: 'bank' },
  ovo: { name: 'OVO', kind: 'ewallet' },
  gopay: { name: 'GoPay', kind: 'ewallet' },
  linkaja: { name: 'LinkAja', kind: 'ewallet' },
  dana: { name: 'DANA', kind: 'ewallet' },
} as const satisfies Record<string, { name: string; kind: 'bank' | 'ewallet' }>

export type PartnerCode = keyof typeof PARTNERS

export function isPartnerCode(v: unknown): v is PartnerCode {
  return typeof v === 'string' && Object.hasOwn(PARTNERS, v)
}

export type FailureReason = 'account_closed' | 'name_mismatch' | 'limit_exceeded' | 'account_unknown'

export interface AccountInquiry {
  readonly found: boolean
  readonly closed: boolean
  readonly holderName: string
  /** The partner's own KYC record is in the NIK we sent. */
  readonly nikMatches: boolean
  readonly kycVerified: boolean
  /** E-wallets: the phone number the wallet is registered on. */
  readonly phone: string | null
}

export interface SendRequest {
  /** The idempotency key: the partner never pays one key twice. */
  readonly key: string
  readonly payoutId: string
  readonly accountNumber: string
  readonly holderName: string
  readonly amount: number
}

/** A synchronous answer: `accepted` is an acknowledgement, not a payment. */
export type SendAnswer = { readonly status: 'accepted'; readonly partnerRef: string } | { readonly status: 'rejected'; readonly reason: FailureReason }

export interface TransferState {
  readonly status: 'processing' | 'paid' | 'failed'
  readonly reason: FailureReason | null
  readonly partnerRef: string
  readonly amount: number
}

export interface StatementLine {
  readonly key: string
  readonly partnerRef: string
  readonly amount: number
  readonly paidAt: string
}

export interface CallbackBody {
  readonly key: string
  readonly status: 'processing' | 'paid' | 'failed'
  readonly reason: FailureReason | null
  readonly partnerRef: string
  readonly amount: number
  readonly at: string
}

/** No answer in time, or no connection: the request may or may not have been carried out. */
export class PartnerUnavailable extends Error {
  constructor(
    readonly partner: string,
    readonly why: 'timeout' | 'outage',
  ) {
    super(`${partner}: ${why}`)
    this.name = 'PartnerUnavailable'
  }
}

export interface PaymentPartner {
  readonly code: PartnerCode
  inquire(accountNumber: string, nik: string): Promise<AccountInquiry>
  send(req: SendRequest): Promise<SendAnswer>
  /** What became of a key; null when the partner never received it. */
  status(key: string): Promise<TransferState | null>
  /** Every payment made on a day (`YYYY-MM-DD`, WIB). */
  statement(day: string): Promise<StatementLine[]>
}

export interface PaymentGateway {
  partner(code: PartnerCode): PaymentPartner
}

/** The key shared with one partner for its callbacks (agreed at onboarding; derived here from the server secret). */
export function callbackSecret(serverSecret: string, partner: string): string {
  return crypto.createHmac('sha256', serverSecret).update(`payments-callback:${partner}`).digest('base64url')
}

/** hex HMAC-SHA256 over `partner\ntimestamp\nraw body`. */
export function signCallback(secret: string, partner: string, timestamp: string, rawBody: string): string {
  return crypto.createHmac('sha256', secret).update(`${partner}\n${timestamp}\n${rawBody}`).digest('hex')
}

/** The key sent with an attempt: the payout id, and the attempt after a definite failure. */
export function payoutKey(payoutId: string, attempt: number): string {
  return attempt === 1 ? payoutId : `${payoutId}:${attempt}`
}

export function parsePayoutKey(key: string): { payoutId: string; attempt: number } | null {
  const m = /^([0-9a-f-]{36})(?::(\d{1,4}))?$/.exec(key)
  return m ? { payoutId: m[1]!, attempt: m[2] ? Number(m[2]) : 1 } : null
}

/** "•••• 1234": enough for the person to recognise their account. */
export function maskAccount(number: string): string {
  return `•••• ${number.slice(-4)}`
}

/** `YYYY-MM-DD` of an instant in WIB (UTC+7), the day partners close their books on. */
export function wibDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}
