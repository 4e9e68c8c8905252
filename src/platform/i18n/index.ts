/**
 * Bahasa Indonesia first, English second. Texts live beside the page that shows them as
 * `{ id, en }` pairs, so a missing translation is a type error, not a blank on screen.
 */
import type { Locale } from '../errors.ts'

export type { Locale }
export const LOCALES: readonly Locale[] = ['id', 'en']
export const DEFAULT_LOCALE: Locale = 'id'

export interface Text {
  readonly id: string
  readonly en: string
}

export function isLocale(v: unknown): v is Locale {
  return v === 'id' || v === 'en'
}

/** Picks the locale's text and fills `{name}` placeholders. */
export function tr(locale: Locale, text: Text, params: Record<string, string | number> = {}): string {
  return text[locale].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
}

const dateFmt = {
  id: new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' }),
}

/** Dates are shown in WIB, the programme's reference time zone. */
export function formatDateTime(locale: Locale, d: Date): string {
  return `${dateFmt[locale].format(d)} WIB`
}
