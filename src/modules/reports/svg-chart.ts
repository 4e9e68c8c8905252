/**
 * Server-rendered charts: plain SVG strings, readable without JavaScript, each with a
 * `<title>`, `role="img"` and an aria-label, axis labels and values written on the chart.
 * Pure (no I/O); every piece of text is escaped here, so pages may embed the result as is.
 * Series differ by dash pattern as well as colour, so they can be told apart without colour.
 */

export interface Bar {
  readonly label: string
  readonly value: number
}

export interface LineSeries {
  readonly name: string
  /** One value per x label. */
  readonly values: readonly number[]
}

export interface ChartText {
  readonly title: string
  /** A one-sentence summary for screen readers (the table after the chart has the detail). */
  readonly summary?: string
  readonly formatValue?: (n: number) => string
}

const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#6f3c97', '#b58840']
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2']
const FONT = 'font-family="system-ui, sans-serif" font-size="12"'

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** The smallest 1, 2 or 5 × 10^k not below n, so axis ticks are round numbers. */
export function niceMax(n: number): number {
  if (!(n > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

/** Axis divisions that land on whole numbers for a niceMax value (counts are never fractions). */
export function tickCount(max: number): number {
  if (max < 4) return Math.max(1, Math.round(max))
  return max % 4 === 0 ? 4 : 5
}

function fmt(t: ChartText, n: number): string {
  return t.formatValue ? t.formatValue(n) : n.toLocaleString('id-ID')
}

function open(t: ChartText, width: number, height: number): string {
  const label = escapeXml(t.summary ? `${t.title}. ${t.summary}` : t.title)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${label}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    `<title>${escapeXml(t.title)}</title>` +
    (t.summary ? `<desc>${escapeXml(t.summary)}</desc>` : '')
  )
}

/** Horizontal bars (labels can be long, e.g. a funnel's steps or province names), values at the bar ends. */
export function barChart(t: ChartText, bars: readonly Bar[], opts: { width?: number } = {}): string {
  const width = opts.width ?? 640
  const labelW = 200
  const valueW = 90
  const rowH = 26
  const top = 8
  const axisH = 28
  const plotW = width - labelW - valueW
  const height = top + Math.max(bars.length, 1) * rowH + axisH
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)))
  const x = (v: number) => labelW + (Math.max(0, v) / max) * plotW
  const parts: string[] = [open(t, width, height), `<g ${FONT} fill="#0b0c0c">`]
  bars.forEach((b, i) => {
    const y = top + i * rowH
    parts.push(
      `<text x="${labelW - 6}" y="${y + rowH / 2 + 4}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${(x(b.value) - labelW).toFixed(1)}" height="${rowH - 8}" fill="${COLOURS[0]}"><title>${escapeXml(`${b.label}: ${fmt(t, b.value)}`)}</title></rect>`,
      `<text x="${(x(b.value) + 4).toFixed(1)}" y="${y + rowH / 2 + 4}">${escapeXml(fmt(t, b.value))}</text>`,
    )
  })
  const axisY = top + Math.max(bars.length, 1) * rowH
  parts.push(`<line x1="${labelW}" y1="${axisY}" x2="${labelW + plotW}" y2="${axisY}" stroke="#505a5f"/>`)
  const ticks = tickCount(max)
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks
    const px = x(v).toFixed(1)
    parts.push(`<line x1="${px}" y1="${axisY}" x2="${px}" y2="${axisY + 4}" stroke="#505a5f"/>`, `<text x="${px}" y="${axisY + 18}" text-anchor="middle">${escapeXml(fmt(t, v))}</text>`)
  }
  parts.push('</g></svg>')
  return parts.join('')
}

/** Lines over shared x labels (days, weeks or months), with a y axis, x labels and a legend. */
export function lineChart(t: ChartText, labels: readonly string[], series: readonly LineSeries[], opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 640
  const legendH = 20 * series.length + 8
  const height = (opts.height ?? 260) + legendH
  const left = 64
  const right = 16
  const top = 12
  const bottom = 36 + legendH
  const plotW = width - left - right
  const plotH = height - top - bottom
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)))
  const n = labels.length
  const x = (i: number) => left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW)
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH
  const parts: string[] = [open(t, width, height), `<g ${FONT} fill="#0b0c0c">`]
  const ticks = tickCount(max)
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks
    const py = y(v).toFixed(1)
    parts.push(
      `<line x1="${left}" y1="${py}" x2="${left + plotW}" y2="${py}" stroke="${i === 0 ? '#505a5f' : '#dcdcdc'}"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeXml(fmt(t, v))}</text>`,
    )
  }
  // At most about six x labels, always the first and the last.
  const step = Math.max(1, Math.ceil(n / 6))
  labels.forEach((label, i) => {
    if (i % step !== 0 && i !== n - 1) return
    parts.push(`<text x="${x(i).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle">${escapeXml(label)}</text>`)
  })
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]
    const dash = DASHES[k % DASHES.length] ? ` stroke-dasharray="${DASHES[k % DASHES.length]}"` : ''
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points}"><title>${escapeXml(s.name)}</title></polyline>`)
    if (n === 1) parts.push(`<circle cx="${x(0).toFixed(1)}" cy="${y(s.values[0] ?? 0).toFixed(1)}" r="3" fill="${colour}"/>`)
    const ly = top + plotH + 36 + k * 20
    parts.push(
      `<line x1="${left}" y1="${ly}" x2="${left + 28}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
      `<text x="${left + 34}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    )
  })
  parts.push('</g></svg>')
  return parts.join('')
}
