import { describe, expect, it } from 'vitest'
import { validateCourse, type CourseInput } from './catalogue.rules.ts'

const now = new Date('2026-12-01T00:00:00Z')
const good: CourseInput = {
  ref: 'AYAM-01',
  platformCode: 'demo-platform',
  title: 'Beternak ayam petelur untuk pemula',
  description: 'Kandang, pakan, vaksin dan pencatatan produksi telur untuk peternak rumahan di desa.',
  category: 'livestock',
  mode: 'offline',
  hours: 16,
  price: 900_000,
  marketPrice: 1_100_000,
  regencyCode: '13.06',
  address: 'Balai Desa Sungai Sariak, Kec. VII Koto',
  sessions: [{ ref: 'S1', startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T09:00:00Z', seats: 25 }],
}

function fieldsOf(input: Partial<CourseInput>): string[] {
  const r = validateCourse({ ...good, ...input }, now)
  return r.ok ? [] : r.fields.map((f) => f.field)
}

describe('course rules', () => {
  it('accepts a complete offline livestock course and knows its province', () => {
    const r = validateCourse(good, now)
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.course.provinceCode).toBe('13')
  })

  it('needs at least 15 hours', () => {
    expect(fieldsOf({ hours: 14 })).toEqual(['hours'])
    expect(fieldsOf({ hours: 15 })).toEqual([])
  })

  it('refuses a programme price above the market price, and allows equal', () => {
    expect(fieldsOf({ marketPrice: 899_999 })).toEqual(['marketPrice'])
    expect(fieldsOf({ marketPrice: 900_000 })).toEqual([])
  })

  it('caps a webinar session at 150 seats but not an offline one', () => {
    const big = [{ ref: 'S1', startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T03:00:00Z', seats: 151 }]
    expect(fieldsOf({ mode: 'webinar', sessions: big })).toEqual(['sessions.0.seats'])
    expect(fieldsOf({ mode: 'webinar', sessions: [{ ...big[0]!, seats: 150 }] })).toEqual([])
    expect(fieldsOf({ sessions: big })).toEqual([])
  })

  it('an offline course says where; an online one needs no place', () => {
    expect(fieldsOf({ regencyCode: '99.99' })).toEqual(['regencyCode'])
    expect(fieldsOf({ address: '' })).toEqual(['address'])
    const online = validateCourse({ ...good, mode: 'self_paced', regencyCode: null, address: null, sessions: [] }, now)
    expect(online.ok).toBe(true)
    if (online.ok) expect(online.course.provinceCode).toBeNull()
  })

  it('refuses unknown categories and modes, past or inverted sessions, duplicate session ids', () => {
    expect(fieldsOf({ category: 'astrology' })).toEqual(['category'])
    expect(fieldsOf({ mode: 'radio' })).toContain('mode')
    expect(fieldsOf({ sessions: [{ ref: 'S1', startsAt: '2026-11-30T01:00:00Z', endsAt: '2026-11-30T02:00:00Z', seats: 5 }] })).toEqual(['sessions.0.startsAt'])
    expect(fieldsOf({ sessions: [{ ref: 'S1', startsAt: '2026-12-10T05:00:00Z', endsAt: '2026-12-10T02:00:00Z', seats: 5 }] })).toEqual(['sessions.0.startsAt'])
    const s = { ref: 'S1', startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T02:00:00Z', seats: 5 }
    expect(fieldsOf({ sessions: [s, s] })).toEqual(['sessions.1.ref'])
    expect(fieldsOf({ mode: 'webinar', sessions: [] })).toEqual(['sessions'])
  })
})
