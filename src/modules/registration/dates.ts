/**
 * Calendar dates as `YYYY-MM-DD` strings. A date of birth or a card's issue date is a day,
 * not an instant: keeping it out of `Date` keeps time zones from moving it by one.
 */
export interface CalendarDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

export function isRealDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
}

/** Null unless the text is a real date written `YYYY-MM-DD`. */
export function parseIsoDate(text: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return null
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }
  return isRealDate(date.year, date.month, date.day) ? date : null
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

export function toIsoDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`
}

/** `12-03-1995`, the way dates are written on a KTP. */
export function formatDmy(d: CalendarDate): string {
  return `${pad(d.day)}-${pad(d.month)}-${pad(d.year, 4)}`
}

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const

/** `12 Maret 2026` / `12 March 2026`. */
export function formatLongDate(locale: 'id' | 'en', d: CalendarDate): string {
  return `${d.day} ${MONTHS[locale][d.month - 1]} ${d.year}`
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day
}

/** The same day `years` later; 29 February falls on 1 March in a year without it. */
export function addYears(d: CalendarDate, years: number): CalendarDate {
  const year = d.year + years
  if (d.month === 2 && d.day === 29 && !isLeapYear(year)) return { year, month: 3, day: 1 }
  return { year, month: d.month, day: d.day }
}

/** Today in Western Indonesia Time, the programme's reference zone. */
export function todayInJakarta(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}
