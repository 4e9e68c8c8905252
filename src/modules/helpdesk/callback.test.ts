import { describe, expect, it } from 'vitest'
import { callbackDays, callbackWindow, nextCallWindow, CALLBACK_MAX_ATTEMPTS } from './callback.ts'
import { wibCalendar } from './sla.ts'

const cal = wibCalendar(['2026-12-25'])
const now = new Date('2026-12-01T03:00:00Z') // Tuesday 1 December, 10:00 WIB

describe('call-back windows', () => {
  it('takes a window inside business hours as WIB moments', () => {
    const w = callbackWindow(cal, now, { day: '2026-12-02', from: '10:00', to: '12:00' })
    expect(w).toEqual({ ok: true, window: { start: new Date('2026-12-02T03:00:00Z'), end: new Date('2026-12-02T05:00:00Z') } })
  })

  it('refuses a window outside 08:00–20:00, too short, reversed, on a holiday, past or too far ahead', () => {
    const why = (day: string, from: string, to: string) => {
      const r = callbackWindow(cal, now, { day, from, to })
      return r.ok ? 'ok' : `${r.error.field}: ${r.error.en}`
    }
    expect(why('2026-12-02', '07:00', '09:00')).toMatch(/^from: The phone service is open 08.00–20.00 WIB/)
    expect(why('2026-12-02', '19:00', '21:00')).toMatch(/^from: The phone service is open/)
    expect(why('2026-12-02', '10:00', '10:15')).toMatch(/^to: The end time must be at least 30 minutes/)
    expect(why('2026-12-02', '12:00', '10:00')).toMatch(/^to: /)
    expect(why('2026-12-25', '10:00', '12:00')).toMatch(/^day: The helpdesk is closed on that holiday/)
    expect(why('2026-11-30', '10:00', '12:00')).toMatch(/^day: That time has passed/)
    expect(why('2026-12-01', '08:00', '10:15')).toMatch(/^day: That time has passed or is too close/)
    expect(why('2026-12-20', '10:00', '12:00')).toMatch(/^day: Choose a day within the next 7 days/)
    expect(why('2026-13-45', '10:00', '12:00')).toMatch(/^day: /)
    expect(why('2026-12-02', '10', '12:00')).toMatch(/^from: Choose a start and an end time/)
  })

  it('offers the working days of the coming week', () => {
    const days = callbackDays(wibCalendar(['2026-12-03']), now)
    expect(days).toHaveLength(7)
    expect(days[0]).toBe('2026-12-01')
    expect(days).not.toContain('2026-12-03')
  })

  it('tries a missed call again later in the window, then in the same window on the next working day, three calls in all', () => {
    const w = { start: new Date('2026-12-24T03:00:00Z'), end: new Date('2026-12-24T05:00:00Z') } // 24 Dec 10:00–12:00 WIB
    expect(nextCallWindow(cal, w, new Date('2026-12-24T03:10:00Z'), 1)).toEqual({ start: new Date('2026-12-24T03:40:00Z'), end: w.end })
    // Too late for another try today; 25 December is a holiday: the 26th, same hours.
    expect(nextCallWindow(cal, w, new Date('2026-12-24T04:45:00Z'), 2)).toEqual({ start: new Date('2026-12-26T03:00:00Z'), end: new Date('2026-12-26T05:00:00Z') })
    expect(nextCallWindow(cal, w, new Date('2026-12-24T03:10:00Z'), CALLBACK_MAX_ATTEMPTS)).toBeNull()
  })
})
