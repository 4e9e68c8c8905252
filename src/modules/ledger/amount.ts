/** Money is integer rupiah in a JS number; anything a double cannot hold exactly is refused. */
import { AppError } from '../../platform/errors.ts'
import type { Locale } from '../../platform/i18n/index.ts'

export const CURRENCY = 'IDR'

/** A positive whole number of rupiah that a JS number holds exactly. */
export function checkAmount(value: unknown): number {
  if (typeof value === 'bigint') {
    if (value <= 0n) throw new AppError('LEDGER_INVALID_AMOUNT')
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError('LEDGER_AMOUNT_TOO_LARGE')
    return Number(value)
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    if (value === Infinity) throw new AppError('LEDGER_AMOUNT_TOO_LARGE')
    throw new AppError('LEDGER_INVALID_AMOUNT')
  }
  if (value > Number.MAX_SAFE_INTEGER) throw new AppError('LEDGER_AMOUNT_TOO_LARGE')
  if (!Number.isInteger(value) || value <= 0) throw new AppError('LEDGER_INVALID_AMOUNT')
  return value
}

export function checkCurrency(value: unknown): 'IDR' {
  if (value === undefined || value === CURRENCY) return CURRENCY
  throw new AppError('LEDGER_CURRENCY')
}

/** Hold deadlines: at least a second, at most 90 days. */
export const MAX_HOLD_SECONDS = 90 * 24 * 3600

export function checkTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_HOLD_SECONDS) {
    throw new AppError('LEDGER_INVALID_DEADLINE')
  }
  return value
}

const rupiah = {
  id: new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0, minimumFractionDigits: 0 }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0, minimumFractionDigits: 0 }),
}

/** "Rp 1.000.000" in Indonesian, "IDR 1,000,000" in English. */
export function formatRupiah(locale: Locale, amount: number): string {
  return rupiah[locale].format(amount).replace(/\u00a0/g, ' ')
}
