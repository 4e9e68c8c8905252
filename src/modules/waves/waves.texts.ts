/** Words shared by the wave pages: statuses, reasons, scheme fields. */
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { getProvince, getRegency } from '../regions/index.ts'
import { REMAINDER_AREA } from './draw/quotas.ts'
import type { WaveStatus } from './waves.tables.ts'

export const STATUS: Record<WaveStatus, Text> = {
  draft: { id: 'Draf', en: 'Draft' },
  committed: { id: 'Komitmen diumumkan', en: 'Commitment published' },
  open: { id: 'Pendaftaran dibuka', en: 'Registration open' },
  closed: { id: 'Pendaftaran ditutup, menunggu undian', en: 'Registration closed, awaiting the draw' },
  drawn: { id: 'Undian selesai', en: 'Draw done' },
  cancelled: { id: 'Dibatalkan', en: 'Cancelled' },
}

export const INELIGIBLE: Record<string, Text> = {
  checks_not_passed: { id: 'pemeriksaan data (Dukcapil, pendidikan, daftar pengecualian) belum lolos', en: 'the identity checks (civil registry, education, exclusion lists) had not passed' },
  has_card: { id: 'Anda sudah pernah menerima Kartu Prakerja (satu kartu seumur hidup)', en: 'you already received a card (one card for life)' },
  blacklisted: { id: 'kartu Anda pernah dicabut', en: 'your card was revoked before' },
  kk_full: { id: 'sudah ada 2 penerima dalam satu Kartu Keluarga', en: 'your family card (KK) already has 2 recipients' },
  other_programme: { id: 'Anda tercatat menerima bantuan sosial lain, yang dikecualikan di gelombang ini', en: 'you are recorded as receiving other social assistance, excluded in this wave' },
  account_closed: { id: 'akun ditutup', en: 'the account was closed' },
}

export function ineligibleText(reason: string | null): Text {
  return INELIGIBLE[reason ?? ''] ?? { id: 'tidak memenuhi syarat', en: 'not eligible' }
}

export function areaName(code: string, l: Locale): string {
  if (code === REMAINDER_AREA) return tr(l, { id: 'Wilayah lain (sisa kuota nasional)', en: 'Other areas (what the national quota leaves)' })
  return (code.includes('.') ? getRegency(code)?.name : getProvince(code)?.name) ?? code
}

export const SCHEME_LABELS = {
  trainingBalance: { id: 'Saldo pelatihan', en: 'Training balance' },
  incentiveAmount: { id: 'Insentif per pembayaran', en: 'Incentive per payment' },
  incentiveCount: { id: 'Jumlah pembayaran insentif', en: 'Number of incentive payments' },
  surveyIncentiveAmount: { id: 'Insentif per survei', en: 'Incentive per survey' },
  surveyCount: { id: 'Jumlah survei', en: 'Number of surveys' },
  firstPurchaseDays: { id: 'Batas pembelian pelatihan pertama (hari)', en: 'First-purchase deadline (days)' },
  balanceExpiresOn: { id: 'Saldo kedaluwarsa pada (TTTT-BB-HH, boleh kosong)', en: 'Balance expires on (YYYY-MM-DD, may be empty)' },
  excludeOtherProgrammes: { id: 'Kecualikan penerima bansos lain', en: 'Exclude recipients of other social assistance' },
  maxPerKk: { id: 'Penerima paling banyak per KK', en: 'Most recipients per KK' },
} satisfies Record<string, Text>
