import { describe, expect, it } from 'vitest'
import { CsvReader, parseCsv, splitLine } from './csv.ts'

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
  it('reads the same rows whatever the pieces the text arrives in, and stops past the row limit', () => {
    const csv = 'reportId,type,certificateNumber\r\nR1,completion,Sertifikat-élève\r\nR2,"assignment\r\nR3,completion,\r\n'
    const whole = parseCsv(csv)
    for (const size of [1, 2, 3, 7]) {
      const r = new CsvReader()
      for (let i = 0; i < csv.length; i += size) r.push(csv.slice(i, i + size))
      expect(r.end(), `pieces of ${size}`).toEqual(whole)
    }
    expect(whole.rows).toEqual([{ reportId: 'R1', type: 'completion', certificateNumber: 'Sertifikat-élève' }, null, { reportId: 'R3', type: 'completion' }])
    const limited = new CsvReader(1)
    expect(limited.push('reportId\nA\n')).toBe(true)
    expect(limited.push('B\n')).toBe(false)
  })
})
