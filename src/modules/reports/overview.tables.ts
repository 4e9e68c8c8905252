/**
 * The overview's tables as data: the page renders them after their charts and the CSV
 * export writes the very same rows, so the file always matches what was on screen.
 */
import type { Locale } from '../../platform/i18n/index.ts'
import type { Cell } from './csv.ts'
import { AREA_METRICS, FUNNEL, rate, SERIES, type Overview } from './overview.service.ts'
import { metricName, reasonName } from './reports.texts.ts'

export interface TableData {
  readonly head: readonly string[]
  readonly rows: ReadonlyArray<readonly Cell[]>
}

export const TABLES = ['corong', 'deret', 'wilayah', 'alasan'] as const
export type TableName = (typeof TABLES)[number]

const H = {
  step: { id: 'Tahap', en: 'Step' },
  count: { id: 'Jumlah', en: 'Count' },
  ofPrevious: { id: '% dari tahap sebelumnya', en: '% of previous step' },
  from: { id: 'Mulai', en: 'From' },
  area: { id: 'Wilayah', en: 'Area' },
  code: { id: 'Kode', en: 'Code' },
  completion: { id: 'Tingkat penyelesaian (%)', en: 'Completion rate (%)' },
  what: { id: 'Ukuran', en: 'Measure' },
  reason: { id: 'Jenis / alasan', en: 'Kind / reason' },
}

export function tableData(name: TableName, o: Overview, l: Locale): TableData {
  switch (name) {
    case 'corong':
      return {
        head: [H.step[l], H.count[l], H.ofPrevious[l]],
        rows: FUNNEL.map((m, i) => {
          const prev = i === 0 ? undefined : o.totals.get(FUNNEL[i - 1]!)
          return [metricName(m, l), o.totals.get(m) ?? 0, i === 0 ? null : rate(o.totals.get(m), prev)]
        }),
      }
    case 'deret':
      return {
        head: [H.from[l], ...SERIES.map((m) => metricName(m, l))],
        rows: o.buckets.map((b, i) => [b, ...SERIES.map((m) => o.series.get(m)![i]!)]),
      }
    case 'wilayah':
      return {
        head: [H.area[l], H.code[l], ...AREA_METRICS.map((m) => metricName(m, l)), H.completion[l]],
        rows: o.areas.map((a) => [a.name, a.code, ...AREA_METRICS.map((m) => a.values[m] ?? 0), rate(a.values.completed, a.values.bought)]),
      }
    case 'alasan':
      return {
        head: [H.what[l], H.reason[l], H.count[l]],
        rows: o.reasons.map((r) => [metricName(r.metric, l), reasonName(r.reason, l), r.value]),
      }
  }
}
