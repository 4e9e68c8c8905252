/**
 * The console's overview, computed from the daily facts only (never from the source
 * tables), so its cost depends on days × areas, not on the number of participants.
 */
import type { Executor } from '../../platform/db/database.ts'
import { getProvince, getRegency } from '../regions/index.ts'
import { addDays, bucketFor, EARLIEST_DAY, type ReportFilters } from './filters.ts'
import * as repo from './reports.repository.ts'

export const FUNNEL = ['registered', 'applied', 'selected', 'card_issued', 'bought', 'completed', 'certified'] as const
export const SERIES = ['registered', 'applied', 'bought', 'completed'] as const
export const AREA_METRICS = ['registered', 'applied', 'selected', 'bought', 'completed', 'certified'] as const
export const REASON_METRICS = ['check_passed', 'check_failed', 'check_gave_up', 'ineligible', 'revoked', 'payout_failed'] as const
export const MONEY_METRICS = ['credited_rp', 'forfeited_rp', 'returned_rp'] as const
export const PAYOUT_METRICS = ['payout_scheduled', 'payout_sent', 'payout_paid', 'payout_failed'] as const
/** Flows whose running sum up to a day is what is still owed on it. */
const OWED_METRICS = ['scheduled_rp', 'paid_rp', 'cancelled_rp'] as const
export const COMPLAINT_METRICS = ['complaint_opened', 'complaint_closed', 'first_response_min', 'first_response_n', 'resolution_min', 'resolution_n', 'csat_sum', 'csat_n'] as const
export const CHANNELS = ['web', 'email', 'chat', 'phone'] as const

export interface Overview {
  readonly totals: ReadonlyMap<string, number>
  readonly buckets: readonly string[]
  readonly bucket: 'day' | 'week' | 'month'
  /** metric → one value per bucket. */
  readonly series: ReadonlyMap<string, number[]>
  readonly areas: ReadonlyArray<{ code: string; name: string; values: Record<string, number> }>
  readonly reasons: ReadonlyArray<{ metric: string; reason: string; value: number }>
  /** Payouts per area in the range, with `paid_rp` and, as of the range's last day, `outstanding_rp`. */
  readonly payoutAreas: ReadonlyArray<{ code: string; name: string; values: Record<string, number> }>
  /** Owed at the end of the range's last day: scheduled − paid − cancelled since the programme began. */
  readonly outstanding: number
  /** Complaint metrics per channel (web, email, chat, phone, then any other). */
  readonly channels: ReadonlyArray<{ channel: string; values: Record<string, number> }>
}

/** Whole-programme flows up to the range's end, so their difference is a balance on that day. */
function sinceStart(f: ReportFilters): ReportFilters {
  return { ...f, from: EARLIEST_DAY }
}

function byCode(rows: ReadonlyArray<{ area: string; metric: string; value: number }>, into = new Map<string, Record<string, number>>()) {
  for (const r of rows) {
    const v = into.get(r.area) ?? {}
    v[r.metric] = Number(r.value)
    into.set(r.area, v)
  }
  return into
}

const owed = (v: Record<string, number>) => (v.scheduled_rp ?? 0) - (v.paid_rp ?? 0) - (v.cancelled_rp ?? 0)

/** Every bucket start in the range, so days without events show as zero rather than vanish. */
export function bucketStarts(f: ReportFilters, bucket: 'day' | 'week' | 'month'): string[] {
  const out: string[] = []
  let d = f.from
  if (bucket === 'week') {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay()
    d = addDays(d, -((dow + 6) % 7))
  } else if (bucket === 'month') d = `${d.slice(0, 7)}-01`
  while (d <= f.to) {
    out.push(d)
    if (bucket === 'day') d = addDays(d, 1)
    else if (bucket === 'week') d = addDays(d, 7)
    else {
      const [y, m] = d.split('-').map(Number) as [number, number]
      d = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
    }
  }
  return out
}

export function areaName(code: string): string {
  if (code === '') return '(tanpa wilayah / no area)'
  return (code.length === 2 ? getProvince(code)?.name : getRegency(code)?.name) ?? code
}

export async function loadOverview(ex: Executor, f: ReportFilters): Promise<Overview> {
  const bucket = bucketFor(f)
  const [totalRows, seriesRows, areaRows, reasonRows] = [
    await repo.totals(ex, f),
    await repo.series(ex, f, SERIES, bucket),
    await repo.byArea(ex, f, AREA_METRICS),
    await repo.reasons(ex, f, REASON_METRICS),
  ]
  const buckets = bucketStarts(f, bucket)
  const index = new Map(buckets.map((b, i) => [b, i]))
  const series = new Map<string, number[]>(SERIES.map((m) => [m, buckets.map(() => 0)]))
  for (const r of seriesRows) {
    const i = index.get(r.bucket)
    if (i !== undefined) series.get(r.metric)![i] = Number(r.value)
  }
  const areas = byCode(areaRows)
  const payouts = byCode(await repo.byArea(ex, f, [...PAYOUT_METRICS, 'paid_rp']))
  const owedByArea = byCode(await repo.byArea(ex, sinceStart(f), OWED_METRICS))
  for (const [code, v] of owedByArea) {
    const o = owed(v)
    if (o !== 0 || payouts.has(code)) payouts.set(code, { ...(payouts.get(code) ?? {}), outstanding_rp: o })
  }
  const owedTotal = new Map((await repo.totals(ex, sinceStart(f))).map((r) => [r.metric, Number(r.value)]))
  const channels = new Map<string, Record<string, number>>(CHANNELS.map((c) => [c, {}]))
  for (const r of await repo.reasons(ex, f, COMPLAINT_METRICS)) {
    const v = channels.get(r.reason) ?? {}
    v[r.metric] = Number(r.value)
    channels.set(r.reason, v)
  }
  return {
    totals: new Map(totalRows.map((r) => [r.metric, Number(r.value)])),
    buckets,
    bucket,
    series,
    areas: [...areas].map(([code, values]) => ({ code, name: areaName(code), values })),
    reasons: reasonRows.map((r) => ({ metric: r.metric, reason: r.reason, value: Number(r.value) })),
    payoutAreas: [...payouts].sort(([a], [b]) => a.localeCompare(b)).map(([code, values]) => ({ code, name: areaName(code), values })),
    outstanding: owed(Object.fromEntries(OWED_METRICS.map((m) => [m, owedTotal.get(m) ?? 0]))),
    channels: [...channels].map(([channel, values]) => ({ channel, values })),
  }
}

/** A sum ÷ a count with one decimal (an average from the facts); null without a count. */
export function average(sum: number | undefined, n: number | undefined, divideBy = 1): number | null {
  if (!n) return null
  return Math.round(((sum ?? 0) / n / divideBy) * 10) / 10
}

/** Completed per bought, as a percentage with one decimal; null when nothing was bought. */
export function rate(part: number | undefined, whole: number | undefined): number | null {
  if (!whole) return null
  return Math.round(((part ?? 0) / whole) * 1000) / 10
}
