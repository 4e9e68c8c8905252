import { describe, expect, it } from 'vitest'
import { barChart, escapeXml, lineChart, niceMax, tickCount } from './svg-chart.ts'

describe('svg charts', () => {
  it('rounds the axis up to 1, 2 or 5 × 10^k', () => {
    expect(niceMax(0)).toBe(1)
    expect(niceMax(7)).toBe(10)
    expect(niceMax(120)).toBe(200)
    expect(niceMax(4_999)).toBe(5_000)
    expect(niceMax(5_001)).toBe(10_000)
  })

  it('divides the axis so every tick is a whole number', () => {
    for (const max of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]) {
      const n = tickCount(max)
      expect(Number.isInteger(max / n), `${max} / ${n}`).toBe(true)
    }
  })

  it('draws an accessible bar chart with labels, values and axis ticks', () => {
    const svg = barChart({ title: 'Corong', summary: 'Dari pendaftar ke sertifikat' }, [
      { label: 'Terdaftar', value: 1200 },
      { label: 'Terpilih', value: 300 },
    ])
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-label="Corong. Dari pendaftar ke sertifikat"/)
    expect(svg).toContain('<title>Corong</title>')
    expect(svg).toContain('>Terdaftar</text>')
    expect(svg).toContain('>1.200</text>')
    // The axis runs to the round 2 000 and the longest bar is 1200/2000 of the plot width.
    expect(svg).toContain('>2.000</text>')
    expect(svg).toContain('width="210.0"')
    expect(svg.match(/<rect /g)).toHaveLength(2)
  })

  it('escapes every text so a province or wave name cannot inject markup', () => {
    const svg = barChart({ title: '<script>' }, [{ label: 'a"><script>alert(1)</script>', value: 1 }])
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;script&gt;')
    expect(escapeXml(`&'"`)).toBe('&amp;&#39;&quot;')
  })

  it('draws one polyline per series with a legend, telling series apart by dash as well as colour', () => {
    const svg = lineChart({ title: 'Harian', formatValue: (n) => `${n} x` }, ['2026-11-01', '2026-11-02', '2026-11-03'], [
      { name: 'Pendaftaran', values: [1, 5, 3] },
      { name: 'Pembelian', values: [0, 2, 4] },
    ])
    expect(svg.match(/<polyline /g)).toHaveLength(2)
    expect(svg).toContain('>Pendaftaran</text>')
    expect(svg).toContain('stroke-dasharray="6 3"')
    expect(svg).toContain('>2026-11-01</text>')
    expect(svg).toContain('>2026-11-03</text>')
    expect(svg).toContain('>5 x</text>')
  })

  it('copes with no data and a single point', () => {
    expect(barChart({ title: 'Kosong' }, [])).toContain('</svg>')
    const one = lineChart({ title: 'Satu' }, ['2026-11-01'], [{ name: 'A', values: [3] }])
    expect(one).toContain('<circle')
  })
})
