import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { certificatePdf, QR_BOX } from './pdf.ts'
import { qrDrawing, qrSvg } from './qr.ts'

const URL_ = 'https://karya.example/sertifikat/KRY-AAAA-BBBB-CCCC'

describe('certificate PDF', () => {
  it('is a PDF whose cross-reference offsets point at its objects, with the text escaped', () => {
    const pdf = certificatePdf({ title: 'SERTIFIKAT', holder: 'Siti (Ani) \\ 李', course: 'Beternak ayam', provider: 'LP Ternak', details: ['Nilai 90'], verifyUrl: URL_ })
    const s = pdf.toString('latin1')
    expect(s.startsWith('%PDF-1.4')).toBe(true)
    expect(s.trimEnd().endsWith('%%EOF')).toBe(true)
    expect(s).toContain('(Siti \\(Ani\\) \\\\ ?) Tj')
    const startxref = Number(/startxref\n(\d+)/.exec(s)![1])
    expect(s.slice(startxref, startxref + 4)).toBe('xref')
    const offsets = [...s.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]))
    expect(offsets).toHaveLength(6)
    offsets.forEach((o, i) => expect(s.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`))
    const length = Number(/<< \/Length (\d+) >>\nstream\n/.exec(s)![1])
    const streamStart = s.indexOf('stream\n') + 'stream\n'.length
    expect(s.slice(streamStart + length, streamStart + length + '\nendstream'.length)).toBe('\nendstream')
  })

  it('draws the QR code of the verification address: its rectangles rebuild the module matrix of that address', () => {
    const s = certificatePdf({ title: 'SERTIFIKAT', holder: 'Siti', course: 'Beternak ayam', provider: 'LP Ternak', details: [], verifyUrl: URL_ }).toString('latin1')
    const block = /q 0 0 0 rg\n([\s\S]*?)\nf Q/.exec(s)
    expect(block).not.toBeNull()
    const rects = block![1]!.split('\n').map((l) => l.split(' ').slice(0, 4).map(Number))
    const expected = QRCode.create(URL_, { errorCorrectionLevel: 'M' }).modules
    const unit = QR_BOX.side / (expected.size + 8)
    // Paint the rectangles back onto a grid of modules, top row first as a scanner reads it.
    const grid = Array.from({ length: expected.size }, () => new Array<number>(expected.size).fill(0))
    for (const [x, y, w, h] of rects as Array<[number, number, number, number]>) {
      expect(h).toBeCloseTo(unit, 2)
      const col = Math.round((x - QR_BOX.x) / unit) - 4
      const row = Math.round((QR_BOX.y + QR_BOX.side - y) / unit) - 5
      for (let i = 0; i < Math.round(w / unit); i++) grid[row]![col + i] = 1
    }
    let dark = 0
    for (let r = 0; r < expected.size; r++) for (let c = 0; c < expected.size; c++) {
      expect(grid[r]![c], `module ${r},${c}`).toBe(expected.get(r, c))
      dark += expected.get(r, c)
    }
    expect(dark).toBeGreaterThan(100)
    expect(rects).toHaveLength(qrDrawing(URL_).runs.length)
    // Another address gives another drawing: the QR is not a fixed picture.
    expect(qrDrawing(`${URL_}X`).runs).not.toEqual(qrDrawing(URL_).runs)
  })

  it('gives the web page an SVG of the same runs, with an escaped label', () => {
    const svg = qrSvg(URL_, 'QR "verifikasi" <a>')
    expect(svg).toContain('aria-label="QR &quot;verifikasi&quot; &lt;a>"')
    expect((svg.match(/z/g) ?? []).length).toBe(qrDrawing(URL_).runs.length)
  })
})
