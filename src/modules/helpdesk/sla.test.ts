import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime, resumeAfterPause, shiftAt, slaState, wibCalendar } from './sla.ts'

// 24 and 25 December 2026 are holidays in this calendar (Christmas and the collective leave day).
const cal = wibCalendar(['2026-12-25', '2026-12-24'])
const wib = (s: string) => new Date(`${s}+07:00`)

describe('the SLA clock in business time (08:00–20:00 WIB daily, holidays off)', () => {
  it('runs straight through the shift change at 14:00', () => {
    const start = wib('2026-12-01T12:30:00')
    expect(shiftAt(cal, start)).toBe(0)
    const due = addBusinessMinutes(cal, start, 4 * 60)
    expect(due).toEqual(wib('2026-12-01T16:30:00'))
    expect(shiftAt(cal, due)).toBe(1)
    expect(businessMinutesBetween(cal, start, due)).toBe(240)
  })

  it('stops at 20:00 and goes on at 08:00 the next day', () => {
    expect(addBusinessMinutes(cal, wib('2026-12-01T19:30:00'), 240)).toEqual(wib('2026-12-02T11:30:00'))
    // Raised at night: the clock starts at opening.
    expect(addBusinessMinutes(cal, wib('2026-12-01T22:10:00'), 60)).toEqual(wib('2026-12-02T09:00:00'))
    expect(addBusinessMinutes(cal, wib('2026-12-02T06:00:00'), 0)).toEqual(wib('2026-12-02T08:00:00'))
  })

  it('skips a holiday: raised 19:30 on the 23rd, 4 business hours, due 11:30 on the 26th', () => {
    const start = wib('2026-12-23T19:30:00')
    const due = addBusinessMinutes(cal, start, 240)
    expect(due).toEqual(wib('2026-12-26T11:30:00'))
    expect(businessMinutesBetween(cal, start, due)).toBe(240)
    expect(isBusinessTime(cal, wib('2026-12-25T10:00:00'))).toBe(false)
    expect(shiftAt(cal, wib('2026-12-25T10:00:00'))).toBeNull()
    // Without the holidays the same ticket would be due on the 24th.
    expect(addBusinessMinutes(wibCalendar(), start, 240)).toEqual(wib('2026-12-24T11:30:00'))
  })

  it('ends exactly at closing when the target fills the day', () => {
    expect(addBusinessMinutes(cal, wib('2026-12-01T08:00:00'), 720)).toEqual(wib('2026-12-01T20:00:00'))
    expect(addBusinessMinutes(cal, wib('2026-12-01T08:00:00'), 721)).toEqual(wib('2026-12-02T08:01:00'))
  })

  it('counts back what it added (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 24 * 20 }), fc.integer({ min: 0, max: 5000 }), (offset, minutes) => {
        const start = new Date(wib('2026-12-20T00:00:00').getTime() + offset * 60_000)
        const due = addBusinessMinutes(cal, start, minutes)
        expect(businessMinutesBetween(cal, start, due)).toBe(minutes)
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime())
      }),
    )
  })

  it('says when a target is at risk, breached or met', () => {
    const startedAt = wib('2026-12-01T08:00:00')
    const dueAt = wib('2026-12-01T18:00:00')
    expect(slaState(cal, { startedAt, dueAt, doneAt: null }, wib('2026-12-01T10:00:00'))).toBe('ok')
    expect(slaState(cal, { startedAt, dueAt, doneAt: null }, wib('2026-12-01T16:30:00'))).toBe('at_risk')
    expect(slaState(cal, { startedAt, dueAt, doneAt: null }, wib('2026-12-01T18:01:00'))).toBe('breached')
    expect(slaState(cal, { startedAt, dueAt, doneAt: wib('2026-12-01T17:00:00') }, wib('2026-12-02T10:00:00'))).toBe('met')
    expect(slaState(cal, { startedAt, dueAt, doneAt: wib('2026-12-01T19:00:00') }, wib('2026-12-02T10:00:00'))).toBe('breached')
  })

  describe('stopped while a partner hand-off is open', () => {
    it('keeps the time left at the pause, across the 14:00 shift change and two holidays', () => {
      // Due 15:00 on the 23rd; handed off at 12:30 in the morning shift: 150 business minutes left.
      const due = wib('2026-12-23T15:00:00')
      const pausedAt = wib('2026-12-23T12:30:00')
      expect(shiftAt(cal, pausedAt)).toBe(0)
      // The partner answers at 09:00 on the 26th, after Christmas Eve and Christmas (both off).
      const resumedAt = wib('2026-12-26T09:00:00')
      const after = resumeAfterPause(cal, due, pausedAt, resumedAt)
      expect(after).toEqual(wib('2026-12-26T11:30:00'))
      expect(businessMinutesBetween(cal, resumedAt, after)).toBe(150)
      // The time given back is exactly the business time the clock stood still: 7.5 h on the 23rd and 1 h on the 26th.
      expect(businessMinutesBetween(cal, due, after)).toBe(businessMinutesBetween(cal, pausedAt, resumedAt))
      expect(businessMinutesBetween(cal, pausedAt, resumedAt)).toBe(450 + 60)
      // Without the holidays the same answer would have come on a working day, with more time given back.
      expect(resumeAfterPause(wibCalendar(), due, pausedAt, resumedAt)).toEqual(wib('2026-12-26T11:30:00'))
      expect(businessMinutesBetween(wibCalendar(), due, wib('2026-12-26T11:30:00'))).toBe(450 + 2 * 720 + 60)
    })

    it('carries the time left over the evening close into the afternoon shift of the next day', () => {
      // Paused at 19:00 with 5 business hours left; answered at 13:00 the next day: due 18:00, in the second shift.
      const after = resumeAfterPause(cal, wib('2026-12-02T12:00:00'), wib('2026-12-01T19:00:00'), wib('2026-12-02T13:00:00'))
      expect(after).toEqual(wib('2026-12-02T18:00:00'))
      expect(shiftAt(cal, after)).toBe(1)
      // Answered at night: the clock runs again at 08:00.
      expect(resumeAfterPause(cal, wib('2026-12-02T12:00:00'), wib('2026-12-01T19:00:00'), wib('2026-12-01T22:00:00'))).toEqual(wib('2026-12-02T13:00:00'))
    })

    it('gives nothing back to a target already missed when the clock stopped, or for no pause at all', () => {
      const due = wib('2026-12-01T10:00:00')
      expect(resumeAfterPause(cal, due, wib('2026-12-01T11:00:00'), wib('2026-12-02T11:00:00'))).toEqual(due)
      expect(resumeAfterPause(cal, due, wib('2026-12-01T09:00:00'), wib('2026-12-01T09:00:00'))).toEqual(due)
    })

    it('leaves as much business time after the resume as there was at the pause (property)', () => {
      const start = wib('2026-12-20T00:00:00').getTime()
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 60 * 24 * 12 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 60 * 24 * 8 }), (pauseOffset, left, waited) => {
          const pausedAt = new Date(start + pauseOffset * 60_000)
          const due = addBusinessMinutes(cal, pausedAt, left)
          const resumedAt = new Date(pausedAt.getTime() + waited * 60_000)
          const after = resumeAfterPause(cal, due, pausedAt, resumedAt)
          expect(businessMinutesBetween(cal, resumedAt, after)).toBe(businessMinutesBetween(cal, pausedAt, due))
          expect(after.getTime()).toBeGreaterThanOrEqual(due.getTime())
        }),
      )
    })
  })
})
