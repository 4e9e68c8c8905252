/**
 * The overview's tables as data: the page renders them after their charts and the CSV
 * export writes the very same rows, so the file always matches what was on screen.
 */
import type { Locale } from '../../platform/i18n/index.ts'
import type { Cell } from './csv.ts'
import { AREA_METRICS, average, FUNNEL, PAYOUT_METRICS, rate, SERIES, type Overview } from './overview.service.ts'
import { channelName, metricName, reasonName } from './reports.texts.ts'

export interface TableData {
  readonly head: readonly string[]
  readonly rows: ReadonlyArray<readonly Cell[]>
}

export const TABLES = ['corong', 'deret', 'wilayah', 'alasan', 'insentif', 'pengaduan'] as const
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
  paidRate: { id: 'Dibayar dari yang dijadwalkan (%)', en: 'Paid of scheduled (%)' },
  channel: { id: 'Saluran', en: 'Channel' },
  firstResponse: { id: 'Rata-rata sampai jawaban pertama (jam)', en: 'Average time to first response (hours)' },
  resolution: { id: 'Rata-rata sampai selesai (jam)', en: 'Average time to resolution (hours)' },
  csat: { id: 'Kepuasan rata-rata (1–5)', en: 'Average satisfaction (1–5)' },
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
    case 'insentif':
      return {
        head: [H.area[l], H.code[l], ...PAYOUT_METRICS.map((m) => metricName(m, l)), metricName('paid_rp', l), metricName('outstanding_rp', l), H.paidRate[l]],
        rows: o.payoutAreas.map((a) => [
          a.name,
          a.code,
          ...PAYOUT_METRICS.map((m) => a.values[m] ?? 0),
          a.values.paid_rp ?? 0,
          a.values.outstanding_rp ?? 0,
          rate(a.values.payout_paid, a.values.payout_scheduled),
        ]),
      }
    case 'pengaduan':
      return {
        head: [H.channel[l], metricName('complaint_opened', l), metricName('complaint_closed', l), H.firstResponse[l], H.resolution[l], H.csat[l], metricName('csat_n', l)],
        rows: o.channels.map((c) => {
          const v = c.values
          return [channelName(c.channel, l), v.complaint_opened ?? 0, v.complaint_closed ?? 0, average(v.first_response_min, v.first_response_n, 60), average(v.resolution_min, v.resolution_n, 60), average(v.csat_sum, v.csat_n), v.csat_n ?? 0]
        }),
      }
  }
}
