/** The incentive pages' words, and each payout's state in plain words (Indonesian first). */
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { formatRupiah } from '../ledger/index.ts'
import { PARTNERS, type FailureReason, type PartnerCode } from './gateway.ts'
import type { PayoutStatus } from './incentives.tables.ts'

export const FAILURE_HELP: Record<FailureReason, Text> = {
  account_closed: {
    id: 'Insentif gagal dikirim karena rekening Anda sudah ditutup. Tautkan rekening atau dompet digital lain di halaman Insentif; kami kirim ulang setelah itu.',
    en: 'The incentive could not be sent because your account is closed. Link another account or e-wallet on the Incentive page; we send again after that.',
  },
  name_mismatch: {
    id: 'Insentif gagal dikirim karena nama di rekening tidak sama dengan nama Anda di Karya. Tautkan rekening atas nama Anda sendiri; kami kirim ulang setelah itu.',
    en: 'The incentive could not be sent because the account name differs from your name in Karya. Link an account in your own name; we send again after that.',
  },
  limit_exceeded: {
    id: 'Insentif gagal dikirim karena melebihi batas saldo atau transaksi akun Anda. Naikkan batasnya (mis. upgrade ke premium) atau tautkan rekening bank; kami coba lagi besok.',
    en: 'The incentive could not be sent because it exceeds your account’s balance or transfer limit. Raise the limit (e.g. upgrade to premium) or link a bank account; we try again tomorrow.',
  },
  account_unknown: {
    id: 'Insentif gagal dikirim karena rekening tidak dikenal oleh bank. Tautkan ulang rekening Anda; kami kirim ulang setelah itu.',
    en: 'The incentive could not be sent because the bank does not know the account. Link your account again; we send again after that.',
  },
}

export interface PayoutLine {
  readonly amount: number
  readonly kind: 'course' | 'survey'
  readonly sequence: number
  readonly status: PayoutStatus
  readonly dueAt: Date
  readonly partner: string | null
  readonly maskedAccount: string | null
  readonly sentAt: Date | null
  readonly paidAt: Date | null
  readonly failedAt: Date | null
  readonly failure: string | null
}

const S = {
  scheduled: { id: 'Dijadwalkan untuk {date}.', en: 'Scheduled for {date}.' },
  sending: { id: 'Dikirim ke {to} pada {date}; menunggu konfirmasi bank.', en: 'Sent to {to} on {date}; waiting for the bank to confirm.' },
  paid: { id: 'Dibayar ke {to} pada {date}.', en: 'Paid to {to} on {date}.' },
  failed: { id: 'Gagal pada {date}.', en: 'Failed on {date}.' },
  cancelled: { id: 'Dibatalkan (tidak lagi berhak).', en: 'Cancelled (no longer eligible).' },
  course: { id: 'Insentif pelatihan ke-{n}', en: 'Training incentive no. {n}' },
  survey: { id: 'Insentif survei', en: 'Survey incentive' },
} satisfies Record<string, Text>

export function partnerName(code: string | null): string {
  return code ? (PARTNERS[code as PartnerCode]?.name ?? code) : ''
}

export function payoutTitle(l: Locale, p: Pick<PayoutLine, 'kind' | 'sequence' | 'amount'>): string {
  const what = p.kind === 'course' ? tr(l, S.course, { n: p.sequence }) : tr(l, S.survey)
  return `${what} · ${formatRupiah(l, p.amount)}`
}

/** One sentence saying where the money is, and for a failure what to do. */
export function describePayout(l: Locale, p: PayoutLine): string {
  const to = `${partnerName(p.partner)} ${p.maskedAccount ?? ''}`.trim()
  switch (p.status) {
    case 'scheduled':
      return tr(l, S.scheduled, { date: formatDateTime(l, p.dueAt) })
    case 'sending':
    case 'sent':
    case 'unknown':
      return tr(l, S.sending, { to, date: formatDateTime(l, p.sentAt ?? p.dueAt) })
    case 'paid':
      return tr(l, S.paid, { to, date: formatDateTime(l, p.paidAt ?? p.sentAt ?? p.dueAt) })
    case 'failed': {
      const help = FAILURE_HELP[p.failure as FailureReason]
      return `${tr(l, S.failed, { date: formatDateTime(l, p.failedAt ?? p.dueAt) })} ${help ? tr(l, help) : ''}`.trim()
    }
    case 'cancelled':
      return tr(l, S.cancelled)
  }
}
