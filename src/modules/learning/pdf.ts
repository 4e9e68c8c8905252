/**
 * A one-page certificate PDF written by hand (PDF 1.4, the standard Helvetica fonts), so no
 * PDF library is needed. The QR code of the verification address is drawn as filled
 * rectangles (one per run of dark modules), and the address is printed beside it for
 * whoever cannot scan. Text outside Latin-1 is replaced by "?" (the standard fonts cannot show it).
 */
import { qrDrawing } from './qr.ts'

function pdfText(s: string): string {
  let out = ''
  for (const ch of s.normalize('NFC')) {
    const c = ch.codePointAt(0)!
    const safe = c >= 0x20 && c <= 0xff && c !== 0x7f ? ch : '?'
    out += safe === '(' || safe === ')' || safe === '\\' ? `\\${safe}` : safe
  }
  return out
}

export interface CertificateLines {
  readonly title: string
  readonly holder: string
  readonly course: string
  readonly provider: string
  readonly details: readonly string[]
  readonly verifyUrl: string
}

/** Where the QR sits: bottom right inside the border, `side` points square with the quiet zone. */
export const QR_BOX = { x: 680, y: 45, side: 110 } as const

/** Black rectangles, one per run, in a q/Q block so the colour does not leak into the text. */
function qrOps(url: string): string {
  const q = qrDrawing(url)
  const unit = QR_BOX.side / (q.size + 8)
  const n = (v: number) => v.toFixed(3)
  const rects = q.runs.map((r) => `${n(QR_BOX.x + (r.col + 4) * unit)} ${n(QR_BOX.y + QR_BOX.side - (r.row + 5) * unit)} ${n(r.length * unit)} ${n(unit)} re`)
  return `q 0 0 0 rg\n${rects.join('\n')}\nf Q`
}

/** A4 landscape; every string is escaped for a PDF literal. */
export function certificatePdf(c: CertificateLines): Buffer {
  const ops: string[] = []
  const line = (font: 'F1' | 'F2', size: number, y: number, text: string) => {
    // Centred roughly: Helvetica averages about half the font size per character.
    const x = Math.max(40, Math.round(421 - (text.length * size * 0.5) / 2))
    ops.push(`BT /${font} ${size} Tf ${x} ${y} Td (${pdfText(text)}) Tj ET`)
  }
  ops.push('0.1 0.3 0.5 RG 4 w 30 30 782 535 re S')
  line('F2', 30, 480, c.title)
  line('F1', 14, 440, 'diberikan kepada / awarded to')
  line('F2', 24, 405, c.holder)
  line('F1', 14, 365, 'telah menyelesaikan pelatihan / has completed the course')
  line('F2', 18, 335, c.course)
  line('F1', 14, 305, c.provider)
  let y = 260
  for (const d of c.details) {
    line('F1', 12, y, d)
    y -= 20
  }
  line('F1', 11, 80, `Periksa keaslian / Verify: ${c.verifyUrl}`)
  ops.push(qrOps(c.verifyUrl))
  const content = ops.join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ]
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'))
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(body, 'latin1')
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}
