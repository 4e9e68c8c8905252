/**
 * The benefit scheme of a wave (pure): the 2020 and 2023 presets of the real programme and
 * the check of a scheme typed by PMO. Amounts are whole rupiah.
 */
import type { FieldError } from '../../platform/errors.ts'
import type { Scheme } from './waves.tables.ts'

export type { Scheme }

export const SCHEME_PRESETS = {
  '2020': {
    preset: '2020',
    trainingBalance: 1_000_000,
    incentiveAmount: 600_000,
    incentiveCount: 4,
    surveyIncentiveAmount: 50_000,
    surveyCount: 3,
    firstPurchaseDays: 30,
    balanceExpiresOn: null,
    excludeOtherProgrammes: true,
    maxPerKk: 2,
  },
  '2023': {
    preset: '2023',
    trainingBalance: 3_500_000,
    incentiveAmount: 600_000,
    incentiveCount: 1,
    surveyIncentiveAmount: 100_000,
    surveyCount: 2,
    firstPurchaseDays: 30,
    balanceExpiresOn: null,
    excludeOtherProgrammes: false,
    maxPerKk: 2,
  },
} as const satisfies Record<'2020' | '2023', Scheme>

export type PresetName = keyof typeof SCHEME_PRESETS

export function isPreset(v: unknown): v is PresetName {
  return v === '2020' || v === '2023'
}

/** What the whole benefit is worth to one person: training + incentives + surveys. */
export function benefitPerPerson(s: Scheme): number {
  return s.trainingBalance + s.incentiveAmount * s.incentiveCount + s.surveyIncentiveAmount * s.surveyCount
}

export interface SchemeForm {
  preset: string
  trainingBalance: string
  incentiveAmount: string
  incentiveCount: string
  surveyIncentiveAmount: string
  surveyCount: string
  firstPurchaseDays: string
  balanceExpiresOn: string
  excludeOtherProgrammes: string
  maxPerKk: string
}

const NUMBERS = [
  ['trainingBalance', 0, 100_000_000, { id: 'Saldo pelatihan', en: 'Training balance' }],
  ['incentiveAmount', 0, 100_000_000, { id: 'Insentif per pembayaran', en: 'Incentive per payment' }],
  ['incentiveCount', 0, 24, { id: 'Jumlah pembayaran insentif', en: 'Number of incentive payments' }],
  ['surveyIncentiveAmount', 0, 10_000_000, { id: 'Insentif survei', en: 'Survey incentive' }],
  ['surveyCount', 0, 12, { id: 'Jumlah survei', en: 'Number of surveys' }],
  ['firstPurchaseDays', 1, 365, { id: 'Batas pembelian pertama (hari)', en: 'First-purchase deadline (days)' }],
  ['maxPerKk', 1, 20, { id: 'Penerima paling banyak per KK', en: 'Most recipients per KK' }],
] as const

/**
 * A preset as it is, or a custom scheme from the form. A preset chosen with changed
 * numbers becomes 'custom', so the stored scheme always says what was really used.
 */
export function parseScheme(form: Partial<SchemeForm>): { ok: true; scheme: Scheme } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = []
  const base = isPreset(form.preset) ? SCHEME_PRESETS[form.preset] : null
  if (!base && form.preset !== 'custom') {
    fields.push({ field: 'preset', id: 'Pilih skema 2020, 2023 atau isian sendiri.', en: 'Choose the 2020 or 2023 scheme, or your own numbers.' })
  }
  const values: Record<string, number> = {}
  for (const [name, min, max, label] of NUMBERS) {
    const raw = (form[name] ?? '').replace(/[.\s]/g, '')
    if (raw === '' && base) {
      values[name] = base[name]
      continue
    }
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      fields.push({ field: name, id: `${label.id}: bilangan bulat ${min}–${max}.`, en: `${label.en}: a whole number ${min}–${max}.` })
    } else values[name] = n
  }
  const expiry = (form.balanceExpiresOn ?? '').trim()
  if (expiry !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(expiry)) {
    fields.push({ field: 'balanceExpiresOn', id: 'Tanggal kedaluwarsa saldo ditulis TTTT-BB-HH, atau kosongkan.', en: 'Write the balance expiry date as YYYY-MM-DD, or leave it empty.' })
  }
  if (fields.length > 0) return { ok: false, fields }
  const exclude = form.excludeOtherProgrammes === undefined || form.excludeOtherProgrammes === '' ? (base?.excludeOtherProgrammes ?? false) : form.excludeOtherProgrammes === 'ya'
  const scheme: Scheme = {
    preset: 'custom',
    trainingBalance: values.trainingBalance!,
    incentiveAmount: values.incentiveAmount!,
    incentiveCount: values.incentiveCount!,
    surveyIncentiveAmount: values.surveyIncentiveAmount!,
    surveyCount: values.surveyCount!,
    firstPurchaseDays: values.firstPurchaseDays!,
    balanceExpiresOn: expiry === '' ? null : expiry,
    excludeOtherProgrammes: exclude,
    maxPerKk: values.maxPerKk!,
  }
  const same = base && (Object.keys(base) as Array<keyof Scheme>).every((k) => k === 'preset' || base[k] === scheme[k])
  return { ok: true, scheme: same ? { ...base } : scheme }
}

/** The stored scheme (jsonb comes back parsed from both drivers; a string is parsed too). */
export function asScheme(v: unknown): Scheme {
  return (typeof v === 'string' ? JSON.parse(v) : v) as Scheme
}
