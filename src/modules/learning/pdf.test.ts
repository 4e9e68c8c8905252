import { describe, expect, it } from 'vitest'
import { certificatePdf } from './pdf.ts'

describe('certificate PDF', () => {
  it('is a PDF whose cross-reference offsets point at its objects, with the text escaped', () => {
    const pdf = certificatePdf({ title: 'SERTIFIKAT', holder: 'Siti (Ani) \\ 李', course: 'Beternak ayam', provider: 'LP Ternak', details: ['Nilai 90'], verifyUrl: 'https://karya.example/sertifikat/KRY-AAAA-BBBB-CCCC' })
    const s = pdf.toString('latin1')
    expect(s.startsWith('%PDF-1.4')).toBe(true)
    expect(s.trimEnd().endsWith('%%EOF')).toBe(true)
    expect(s).toContain('(Siti \\(Ani\\) \\\\ ?) Tj')
    const startxref = Number(/startxref\n(\d+)/.exec(s)![1])
    expect(s.slice(startxref, startxref + 4)).toBe('xref')
    const offsets = [...s.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]))
    expect(offsets).toHaveLength(6)
    offsets.forEach((o, i) => expect(s.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`))
  })
})
