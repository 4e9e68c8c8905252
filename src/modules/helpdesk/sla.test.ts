import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime, shiftAt, slaState, wibCalendar } from './sla.ts'

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
})
