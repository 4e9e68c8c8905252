import { describe, expect, it } from 'vitest'
import { initials, newCertificateNumber, normaliseCertificateNumber, parseRow } from './rows.ts'

const now = new Date('2026-12-10T00:00:00Z')
const ok = { reportId: 'R-1', type: 'completion', voucherCode: 'VABC-DEF0-1234', grade: 90, completedAt: '2026-12-05T10:00:00+07:00', certificateUrl: 'https://lp.example/c.pdf' }

describe('parseRow', () => {
  it('accepts a good completion and a good assignment', () => {
    const c = parseRow(ok, now)
    expect(c.ok && c.row.type === 'completion' && c.row.grade).toBe(90)
    const a = parseRow({ reportId: 'R-2', type: 'assignment', purchaseId: '00000000-0000-4000-8000-00000000000A', assignmentRef: 't1', status: 'pending' }, now)
    expect(a.ok && a.row.purchaseId).toBe('00000000-0000-4000-8000-00000000000a')
  })

  it.each([
    [{ ...ok, grade: -1 }, 'GRADE_OUT_OF_RANGE'],
    [{ ...ok, grade: 99.5 }, 'GRADE_OUT_OF_RANGE'],
    [{ ...ok, grade: '100x' }, 'GRADE_OUT_OF_RANGE'],
    [{ ...ok, certificateUrl: 'http://lp.example/c.pdf' }, 'CERT_URL_NOT_HTTPS'],
    [{ ...ok, certificateUrl: 'javascript:alert(1)' }, 'CERT_URL_NOT_HTTPS'],
    [{ ...ok, completedAt: '5 Desember' }, 'DATE_INVALID'],
    [{ ...ok, completedAt: '2026-12-11T00:00:00Z' }, 'DATE_IN_FUTURE'],
    [{ ...ok, reportId: 'a b' }, 'REPORT_ID_INVALID'],
    [{ ...ok, voucherCode: undefined }, 'PURCHASE_REF_MISSING'],
    [{ ...ok, type: 'survey' }, 'TYPE_UNKNOWN'],
    [{ ...ok, type: 'attendance' }, 'REDEEM_CODE_INVALID'],
    [{ ...ok, type: 'attendance', redeemCode: 'R'.repeat(21) }, 'REDEEM_CODE_INVALID'],
    [[1, 2], 'ROW_NOT_OBJECT'],
  ])('refuses %j with %s', (row, code) => {
    const r = parseRow(row, now)
    expect(r.ok ? 'ok' : r.reason.code).toBe(code)
  })
})

describe('certificate numbers and names', () => {
  it('makes numbers in the public format and reads what a person types', () => {
    const n = newCertificateNumber()
    expect(n).toMatch(/^KRY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(normaliseCertificateNumber(` ${n.toLowerCase()} `)).toBe(n)
  })
  it('shows initials', () => {
    expect(initials('Siti  aminah Lubis')).toBe('S. A. L.')
  })
})
