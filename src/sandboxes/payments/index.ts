/**
 * The six sandbox payment partners of one Karya process, shared by its web routes and its
 * jobs (one set per database handle, so a test's app and its jobs see the same partners).
 * A real deployment puts real adapters behind the same `PaymentGateway`.
 */
import type { Clock } from '../../platform/clock.ts'
import { callbackSecret, PARTNERS, type PartnerCode, type PaymentGateway } from '../../modules/incentives/gateway.ts'
import { createSandboxPartner, type Delivery, type SandboxPartner } from './payment-partner.ts'

export { wibDay } from '../../modules/incentives/gateway.ts'
export { createSandboxPartner, NO_FAULTS, type SandboxPartner, type SandboxAccount, type PaymentFaults, type SentRecord, type Delivery } from './payment-partner.ts'

export interface SandboxPayments extends PaymentGateway {
  partner(code: PartnerCode): SandboxPartner
  all(): SandboxPartner[]
  /** Where callbacks go when delivered automatically (the app's callback route); null: kept until taken. */
  deliverer: ((d: Delivery) => Promise<void>) | null
  /** Deliver callbacks as they are made, a moment later (the demo and the browser journey). */
  autoDeliver: boolean
  /** Takes every waiting callback of every partner and hands each to `deliver`. */
  deliverAll(deliver?: (d: Delivery) => Promise<void>): Promise<number>
}

const registry = new WeakMap<object, SandboxPayments>()

export function createSandboxPayments(opts: { clock: Clock; serverSecret: string; seed?: number }): SandboxPayments {
  const partners = new Map<PartnerCode, SandboxPartner>()
  for (const [i, code] of (Object.keys(PARTNERS) as PartnerCode[]).entries()) {
    partners.set(code, createSandboxPartner(code, { clock: opts.clock, secret: callbackSecret(opts.serverSecret, code), seed: (opts.seed ?? 11) + i }))
  }
  const self: SandboxPayments = {
    partner: (code) => partners.get(code)!,
    all: () => [...partners.values()],
    deliverer: null,
    autoDeliver: false,
    async deliverAll(deliver) {
      const to = deliver ?? self.deliverer
      if (!to) return 0
      let n = 0
      for (const p of partners.values()) {
        for (const d of p.takeCallbacks()) {
          await to(d)
          n++
        }
      }
      return n
    },
  }
  return self
}

/** The sandbox partners belonging to a database handle (created on first use). */
export function sandboxPaymentsFor(owner: object, opts: { clock: Clock; serverSecret: string }): SandboxPayments {
  let s = registry.get(owner)
  if (!s) {
    s = createSandboxPayments(opts)
    registry.set(owner, s)
  }
  return s
}

/**
 * Accounts for trying /insentif with the demo participant (Siti Rahmawati, NIK of the demo
 * resident, phone +6281200000001): her DANA wallet and BCA account work; a closed BNI
 * account, an OVO wallet without KYC and someone else's BCA account are refused.
 */
export function seedDemoPaymentAccounts(s: SandboxPayments): void {
  const nik = '1306025403959001'
  const phone = '+6281200000001'
  s.partner('dana').openAccount({ number: phone, holderName: 'SITI RAHMAWATI', nik, phone })
  s.partner('bca').openAccount({ number: '1306001234', holderName: 'IBU SITI RAHMAWATI', nik, phone: null })
  s.partner('bni').openAccount({ number: '0130600099', holderName: 'SITI RAHMAWATI', nik, phone: null, closed: true })
  s.partner('ovo').openAccount({ number: phone, holderName: 'SITI RAHMAWATI', nik, phone, kycVerified: false })
  s.partner('bca').openAccount({ number: '1306005678', holderName: 'BAMBANG SUTRISNO', nik: '1306021506800002', phone: null })
}
