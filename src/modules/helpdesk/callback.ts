/**
 * Call-back windows (BRIEF P3: "calls never answered"): the person chooses a day and a window
 * inside the centre's hours (08:00–20:00 WIB, not a holiday), at least half an hour long and
 * within the next week; a call that is not picked up is tried again later in the same window,
 * or in the same window on the next working day. Pure: the calendar and the moment are handed in.
 */
import type { FieldError } from '../../platform/errors.ts'
import { isBusinessTime, localDate, type BusinessCalendar } from './sla.ts'

export const CALLBACK_MIN_WINDOW_MINUTES = 30
export const CALLBACK_DAYS_AHEAD = 7
/** A missed call is tried again this much later, three calls in all. */
export const CALLBACK_RETRY_MINUTES = 30
export const CALLBACK_MAX_ATTEMPTS = 3

const MINUTE = 60_000
const DAY = 86_400_000

export interface CallbackWindow {
  readonly start: Date
  readonly end: Date
}

function atLocal(cal: BusinessCalendar, day: string, minute: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + (minute - cal.utcOffsetMinutes) * MINUTE)
}

function minuteOf(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim())
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

const hh = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}.${String(minute % 60).padStart(2, '0')}`

/** The window the person asked for, or what is wrong with it in words that say what to choose. */
export function callbackWindow(cal: BusinessCalendar, now: Date, input: { day: string; from: string; to: string }): { ok: true; window: CallbackWindow } | { ok: false; error: FieldError } {
  const bad = (field: string, id: string, en: string) => ({ ok: false as const, error: { field, id, en } })
  const open = hh(cal.opensAt)
  const close = hh(cal.closesAt)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || Number.isNaN(Date.parse(`${input.day}T00:00:00Z`))) return bad('day', 'Pilih hari untuk kami telepon.', 'Choose the day for our call.')
  const from = minuteOf(input.from)
  const to = minuteOf(input.to)
  if (from === null || to === null) return bad('from', 'Pilih jam mulai dan jam selesai (misalnya 10.00 sampai 12.00).', 'Choose a start and an end time (for example 10:00 to 12:00).')
  if (from < cal.opensAt || to > cal.closesAt)
    return bad('from', `Layanan telepon buka pukul ${open}–${close} WIB. Pilih waktu di antara jam itu.`, `The phone service is open ${open}–${close} WIB. Choose a time between those hours.`)
  if (to - from < CALLBACK_MIN_WINDOW_MINUTES)
    return bad('to', `Jam selesai paling cepat ${CALLBACK_MIN_WINDOW_MINUTES} menit setelah jam mulai, agar petugas punya waktu menelepon.`, `The end time must be at least ${CALLBACK_MIN_WINDOW_MINUTES} minutes after the start, so an agent has time to call.`)
  if (cal.holidays.has(input.day)) return bad('day', 'Layanan pengaduan tutup pada hari libur itu. Pilih hari lain.', 'The helpdesk is closed on that holiday. Choose another day.')
  const start = atLocal(cal, input.day, from)
  const end = atLocal(cal, input.day, to)
  if (end.getTime() - now.getTime() < CALLBACK_MIN_WINDOW_MINUTES * MINUTE)
    return bad('day', 'Waktu itu sudah lewat atau terlalu dekat. Pilih waktu yang berakhir paling cepat 30 menit dari sekarang.', 'That time has passed or is too close. Choose a window ending at least 30 minutes from now.')
  if (start.getTime() - now.getTime() > CALLBACK_DAYS_AHEAD * DAY)
    return bad('day', `Pilih hari dalam ${CALLBACK_DAYS_AHEAD} hari ke depan.`, `Choose a day within the next ${CALLBACK_DAYS_AHEAD} days.`)
  return { ok: true, window: { start, end } }
}

/** The working days from today on (local dates), for the form's choice of day. */
export function callbackDays(cal: BusinessCalendar, now: Date): string[] {
  const out: string[] = []
  for (let i = 0; i <= CALLBACK_DAYS_AHEAD && out.length < CALLBACK_DAYS_AHEAD; i++) {
    const day = localDate(cal, new Date(now.getTime() + i * DAY))
    if (!cal.holidays.has(day)) out.push(day)
  }
  return out
}

/** The times the form offers, every half hour from opening to closing (HH:MM). */
export function callbackTimes(cal: BusinessCalendar): string[] {
  const out: string[] = []
  for (let m = cal.opensAt; m <= cal.closesAt; m += 30) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
  return out
}

/**
 * When to call again after a missed call at `now`: later in the same window if there is room,
 * otherwise the same window on the next working day. Null once the attempts are used up.
 */
export function nextCallWindow(cal: BusinessCalendar, window: CallbackWindow, now: Date, attemptsMade: number): CallbackWindow | null {
  if (attemptsMade >= CALLBACK_MAX_ATTEMPTS) return null
  const retry = new Date(now.getTime() + CALLBACK_RETRY_MINUTES * MINUTE)
  if (retry.getTime() < window.end.getTime() && isBusinessTime(cal, retry)) return { start: retry, end: window.end }
  for (let d = 1; d <= 31; d++) {
    const start = new Date(window.start.getTime() + d * DAY)
    const end = new Date(window.end.getTime() + d * DAY)
    if (start.getTime() > now.getTime() && !cal.holidays.has(localDate(cal, start))) return { start, end }
  }
  return null
}
