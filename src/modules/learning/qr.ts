/**
 * The certificate's QR code: the public verification address as a matrix of dark modules
 * (the qrcode package does the encoding), turned into horizontal runs so the PDF and the
 * web page draw a few hundred rectangles rather than a raster image. Pure.
 */
import QRCode from 'qrcode'

/** A run of dark modules on one row: `row`, starting at `col`, `length` modules long. */
export interface QrRun {
  readonly row: number
  readonly col: number
  readonly length: number
}

export interface QrDrawing {
  /** Modules per side, without the quiet zone. */
  readonly size: number
  readonly runs: readonly QrRun[]
}

/** Medium error correction: survives a crease or a smudge on a printed certificate. */
export function qrDrawing(text: string): QrDrawing {
  const m = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules
  const runs: QrRun[] = []
  for (let row = 0; row < m.size; row++) {
    let col = 0
    while (col < m.size) {
      if (!m.get(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < m.size && m.get(row, col)) col++
      runs.push({ row, col: start, length: col - start })
    }
  }
  return { size: m.size, runs }
}

/** The QR as inline SVG (4-module quiet zone), labelled for screen readers. */
export function qrSvg(text: string, label: string, pixels = 176): string {
  const q = qrDrawing(text)
  const side = q.size + 8
  const path = q.runs.map((r) => `M${r.col + 4} ${r.row + 4}h${r.length}v1h-${r.length}z`).join('')
  const esc = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc}" width="${pixels}" height="${pixels}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
}
