import { describe, expect, it } from 'vitest'
import { parseCsv, splitLine } from './csv.ts'

describe('CSV report rows', () => {
  it('splits quoted fields with commas and doubled quotes', () => {
    expect(splitLine('a,"b, c","say ""hi""",')).toEqual({ ok: true, fields: ['a', 'b, c', 'say "hi"', ''] })
  })
  it('refuses stray and unclosed quotes', () => {
    expect(splitLine('a,b"c')).toEqual({ ok: false })
    expect(splitLine('a,"bc')).toEqual({ ok: false })
    expect(splitLine('a,"b"c')).toEqual({ ok: false })
  })
  it('turns lines into rows by the header; a malformed line is null and the next one still parses', () => {
    const csv = 'reportId,type,voucherCode,grade\r\nR1,completion,VABC,90\nR2,"completion\nR3,assignment,VDEF\n\nR4,completion,VGHI,'
    const { rows, headerError } = parseCsv(csv)
    expect(headerError).toBeNull()
    expect(rows).toEqual([{ reportId: 'R1', type: 'completion', voucherCode: 'VABC', grade: '90' }, null, null, { reportId: 'R4', type: 'completion', voucherCode: 'VGHI' }])
  })
  it('refuses an unknown header', () => {
    expect(parseCsv('id,kind\n1,2').headerError).toMatch(/Unknown columns: id, kind/)
  })
})
