/**
 * A transfer as one account holder sees it: what happened, in plain words, and how it
 * changed the money they can use. Summing `availableChange` over every movement of an
 * account gives its available balance.
 */
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import type { AccountType, TransferCode } from './codes.ts'
import type { MovementRow } from './ledger.repository.ts'
import type { TransferKind } from './ledger.tables.ts'

export interface Movement {
  transferId: number
  accountId: number
  at: Date
  kind: TransferKind
  code: TransferCode
  side: 'debit' | 'credit'
  amount: number
  /** What the hold had reserved (for a post, void or expiry). */
  holdAmount: number | null
  counterpartyType: AccountType
  reference: { type: string; id: string }
  memo: string | null
  /** Effect on what the holder can spend now. */
  availableChange: number
  /** Effect on the money that has really moved. */
  postedChange: number
}

export function toMovement(r: MovementRow): Movement {
  const side = r.account_id === r.debit_account_id ? 'debit' : 'credit'
  const held = r.hold_amount ?? 0
  const out = side === 'debit'
  let availableChange = 0
  let postedChange = 0
  switch (r.kind) {
    case 'single':
      availableChange = out ? -r.amount : r.amount
      postedChange = availableChange
      break
    case 'pending':
      availableChange = out ? -r.amount : 0
      break
    case 'post':
      availableChange = out ? held - r.amount : r.amount
      postedChange = out ? -r.amount : r.amount
      break
    case 'void':
    case 'expire':
      availableChange = out ? held : 0
      break
  }
  return {
    transferId: r.id,
    accountId: r.account_id,
    at: r.created_at,
    kind: r.kind,
    code: r.code,
    side,
    amount: r.amount,
    holdAmount: r.hold_amount,
    counterpartyType: r.counterparty_type,
    reference: { type: r.reference_type, id: r.reference_id },
    memo: r.memo,
    availableChange,
    postedChange,
  }
}

/** What the money did, seen from the side of the account losing it (out) or receiving it (in). */
const WHAT: Record<TransferCode, { out: Text; in: Text }> = {
  fund_deposit: { out: { id: 'Dana dialokasikan ke program', en: 'Funds allocated to the programme' }, in: { id: 'Dana masuk dari anggaran negara', en: 'Funds received from the state budget' } },
  credit_balance: { out: { id: 'Saldo pelatihan diberikan ke peserta', en: 'Training balance given to a participant' }, in: { id: 'Saldo pelatihan diterima dari program', en: 'Training balance received from the programme' } },
  purchase: { out: { id: 'Pembelian pelatihan', en: 'Course purchase' }, in: { id: 'Penjualan pelatihan dengan kartu', en: 'Course sold for the card' } },
  refund: { out: { id: 'Pengembalian dana ke peserta', en: 'Refund to a participant' }, in: { id: 'Pengembalian dana pembelian pelatihan', en: 'Refund of a course purchase' } },
  forfeit: { out: { id: 'Saldo hangus dan kembali ke program', en: 'Balance forfeited and returned to the programme' }, in: { id: 'Saldo hangus diterima', en: 'Forfeited balance received' } },
  recover: { out: { id: 'Saldo hangus dipindahkan ke dana program', en: 'Forfeited balance moved to the programme fund' }, in: { id: 'Saldo hangus kembali ke dana program', en: 'Forfeited balance returned to the programme fund' } },
  incentive: { out: { id: 'Insentif diberikan ke peserta', en: 'Incentive granted to a participant' }, in: { id: 'Insentif diterima', en: 'Incentive granted to you' } },
  payout: { out: { id: 'Insentif dikirim ke rekening bank atau e-wallet Anda', en: 'Incentive sent to your bank or e-wallet account' }, in: { id: 'Insentif menunggu dikirim ke bank', en: 'Incentive waiting to be sent to the bank' } },
  payout_settled: { out: { id: 'Pembayaran insentif diterima bank', en: 'Incentive payment accepted by the bank' }, in: { id: 'Pembayaran insentif keluar', en: 'Incentive payment out' } },
  payout_returned: { out: { id: 'Pengiriman insentif gagal', en: 'Incentive payment failed' }, in: { id: 'Pengiriman insentif gagal, insentif kembali ke saldo Anda', en: 'Incentive payment failed, the incentive is back in your balance' } },
  repayment: { out: { id: 'Pengembalian dana oleh penerima', en: 'Repayment by a recipient' }, in: { id: 'Pengembalian dana oleh penerima yang tidak berhak', en: 'Repayment by an ineligible recipient' } },
  platform_settlement: { out: { id: 'Pembayaran ke platform digital', en: 'Payment to a digital platform' }, in: { id: 'Pembayaran ke platform digital', en: 'Payment to a digital platform' } },
  platform_claim: { out: { id: 'Tagihan ke platform digital', en: 'Claim on a digital platform' }, in: { id: 'Tagihan ke platform digital', en: 'Claim on a digital platform' } },
  platform_collection: { out: { id: 'Pelunasan tagihan oleh platform', en: 'Claim paid by the platform' }, in: { id: 'Pelunasan tagihan oleh platform', en: 'Claim paid by the platform' } },
  correction: { out: { id: 'Koreksi oleh Manajemen Pelaksana', en: 'Correction by the programme office' }, in: { id: 'Koreksi oleh Manajemen Pelaksana', en: 'Correction by the programme office' } },
}

const HOW: Record<TransferKind, Text> = {
  single: { id: '{what}', en: '{what}' },
  pending: { id: '{what}: saldo ditahan, menunggu konfirmasi', en: '{what}: money held, waiting for confirmation' },
  post: { id: '{what}: dikonfirmasi', en: '{what}: confirmed' },
  void: { id: '{what}: dibatalkan, saldo yang ditahan kembali', en: '{what}: cancelled, the held money is released' },
  expire: { id: '{what}: tidak dikonfirmasi tepat waktu, saldo yang ditahan kembali', en: '{what}: not confirmed in time, the held money is released' },
}

const REMAINDER: Text = { id: ' ({rest} yang tidak terpakai kembali ke saldo)', en: ' ({rest} not used is back in the balance)' }

export function describeMovement(locale: Locale, m: Movement, formatAmount: (n: number) => string): string {
  const what = tr(locale, WHAT[m.code][m.side === 'debit' ? 'out' : 'in'])
  let s = tr(locale, HOW[m.kind], { what })
  if (m.kind === 'post' && m.side === 'debit' && m.holdAmount !== null && m.holdAmount > m.amount) {
    s += tr(locale, REMAINDER, { rest: formatAmount(m.holdAmount - m.amount) })
  }
  return s
}
