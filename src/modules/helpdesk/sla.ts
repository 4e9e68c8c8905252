/**
 * The SLA clock in business time: the contact centre works 08:00–20:00 WIB every day except
 * the holidays in its calendar, in two shifts. Targets are business minutes, so a ticket
 * raised at 19:30 with a 4-hour target is due at 11:30 the next working day, not at 23:30.
 * Pure: the holidays are handed in.
 */

export interface BusinessCalendar {
  /** Minutes after local midnight: 480 = 08:00. */
  readonly opensAt: number
  readonly closesAt: number
  /** WIB is UTC+7 and has no daylight saving. */
  readonly utcOffsetMinutes: number
  /** Local dates, `YYYY-MM-DD`. */
  readonly holidays: ReadonlySet<string>
  /** Shift start times in minutes after midnight, ascending; the first is the opening. */
  readonly shiftStarts: readonly number[]
}

export function wibCalendar(holidays: Iterable<string> = []): BusinessCalendar {
  return { opensAt: 8 * 60, closesAt: 20 * 60, utcOffsetMinutes: 7 * 60, holidays: new Set(holidays), shiftStarts: [8 * 60, 14 * 60] }
}

const MINUTE = 60_000
const DAY_MINUTES = 24 * 60

/** Minutes since the epoch in local time, and the local day it falls on. */
function local(cal: BusinessCalendar, at: Date): { day: number; minute: number } {
  const m = Math.floor(at.getTime() / MINUTE) + cal.utcOffsetMinutes
  return { day: Math.floor(m / DAY_MINUTES), minute: m - Math.floor(m / DAY_MINUTES) * DAY_MINUTES }
}

function toDate(cal: BusinessCalendar, day: number, minute: number): Date {
  return new Date((day * DAY_MINUTES + minute - cal.utcOffsetMinutes) * MINUTE)
}

export function localDate(cal: BusinessCalendar, dayOrDate: number | Date): string {
  const day = typeof dayOrDate === 'number' ? dayOrDate : local(cal, dayOrDate).day
  return new Date(day * DAY_MINUTES * MINUTE).toISOString().slice(0, 10)
}

function isWorkingDay(cal: BusinessCalendar, day: number): boolean {
  return !cal.holidays.has(localDate(cal, day))
}

export function isBusinessTime(cal: BusinessCalendar, at: Date): boolean {
  const { day, minute } = local(cal, at)
  return isWorkingDay(cal, day) && minute >= cal.opensAt && minute < cal.closesAt
}

/** The shift (0-based) working at this moment, or null outside business time. */
export function shiftAt(cal: BusinessCalendar, at: Date): number | null {
  if (!isBusinessTime(cal, at)) return null
  const { minute } = local(cal, at)
  let shift = 0
  cal.shiftStarts.forEach((s, i) => {
    if (minute >= s) shift = i
  })
  return shift
}

/** The moment `minutes` of business time after `start` (seconds inside the start minute are kept). */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  if (minutes < 0) throw new Error('minutes must not be negative')
  const seconds = start.getTime() % MINUTE
  let { day, minute } = local(cal, start)
  let left = minutes
  // A year without a working day is a broken calendar, not a long wait.
  for (let guard = 0; guard < 800; guard++) {
    if (isWorkingDay(cal, day) && minute < cal.closesAt) {
      const from = Math.max(minute, cal.opensAt)
      const carrySeconds = from === minute ? seconds : 0
      const room = cal.closesAt - from
      if (left < room || (left === room && carrySeconds === 0)) return new Date(toDate(cal, day, from + left).getTime() + carrySeconds)
      if (left === room) return toDate(cal, day, cal.closesAt)
      left -= room
    }
    day += 1
    minute = 0
  }
  throw new Error('the business calendar has no working day within 800 days')
}

/** Business minutes between two moments (0 when `to` is not after `from`). */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0
  const a = local(cal, from)
  const b = local(cal, to)
  let total = 0
  for (let day = a.day; day <= b.day; day++) {
    if (!isWorkingDay(cal, day)) continue
    const start = Math.max(cal.opensAt, day === a.day ? a.minute : 0)
    const end = Math.min(cal.closesAt, day === b.day ? b.minute : DAY_MINUTES)
    if (end > start) total += end - start
  }
  return total
}

export type SlaState = 'met' | 'ok' | 'at_risk' | 'breached'

/**
 * Where a target stands: met once done in time, breached once past due, at risk in the last
 * fifth of its business time, ok before that.
 */
export function slaState(cal: BusinessCalendar, target: { startedAt: Date; dueAt: Date; doneAt: Date | null }, now: Date): SlaState {
  if (target.doneAt) return target.doneAt.getTime() <= target.dueAt.getTime() ? 'met' : 'breached'
  if (now.getTime() > target.dueAt.getTime()) return 'breached'
  const total = businessMinutesBetween(cal, target.startedAt, target.dueAt)
  const left = businessMinutesBetween(cal, now, target.dueAt)
  return total > 0 && left <= total / 5 ? 'at_risk' : 'ok'
}

/**
 * The due moment once a stopped clock runs again: the business time that was left when the
 * clock stopped is what is left when it resumes (a partner hand-off stops the programme's
 * resolution clock; the partner has its own). A target already missed when the clock stopped
 * stays missed: the pause gives back only time the programme still had.
 */
export function resumeAfterPause(cal: BusinessCalendar, due: Date, pausedAt: Date, resumedAt: Date): Date {
  if (pausedAt.getTime() >= due.getTime()) return due
  if (resumedAt.getTime() <= pausedAt.getTime()) return due
  return addBusinessMinutes(cal, resumedAt, businessMinutesBetween(cal, pausedAt, due))
}
