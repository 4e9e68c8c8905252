/**
 * The console's filters: a day range in WIB, a wave, a province and a regency; checked as
 * data (a reversed or absurd range is refused with the field named), then narrowed to the
 * viewer's region when the viewer's account has one.
 */
import type { FieldError } from '../../platform/errors.ts'

export interface ReportFilters {
  /** `YYYY-MM-DD`, inclusive, WIB days. */
  readonly from: string
  readonly to: string
  readonly waveId: string | null
  /** `PP`, e.g. `32`. */
  readonly province: string | null
  /** `PP.KK`, e.g. `32.73`. */
  readonly regency: string | null
}

export interface RawFilters {
  readonly dari?: string | undefined
  readonly sampai?: string | undefined
  readonly gelombang?: string | undefined
  readonly provinsi?: string | undefined
  readonly kabupaten?: string | undefined
}

/** A range longer than this is refused: the console answers questions about a programme, not a decade. */
export const MAX_RANGE_DAYS = 3 * 366
export const DEFAULT_RANGE_DAYS = 30
/** The programme's data cannot predate it; earlier dates are a typo. */
export const EARLIEST_DAY = '2020-01-01'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const PROVINCE = /^\d{2}$/
const REGENCY = /^\d{2}\.\d{2}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MS_PER_DAY = 86_400_000

export function isDay(v: string): boolean {
  if (!DAY.test(v)) return false
  const d = new Date(`${v}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY)
}

/** Today's date in WIB (UTC+7, no daylight saving). */
export function wibDay(now: Date): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
}

/** The instant a WIB day begins. */
export function wibStart(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`)
}

const field = (f: string, id: string, en: string): FieldError => ({ field: f, id, en })

export type ParsedFilters = { ok: true; filters: ReportFilters } | { ok: false; errors: FieldError[]; filters: ReportFilters }

/** Empty fields take defaults (the last 30 days); anything wrong is named, never guessed. */
export function parseFilters(raw: RawFilters, today: string): ParsedFilters {
  const errors: FieldError[] = []
  const text = (v: string | undefined) => (v ?? '').trim()
  const dari = text(raw.dari)
  const sampai = text(raw.sampai)
  const to = sampai === '' ? today : sampai
  const from = dari === '' ? addDays(to, -(DEFAULT_RANGE_DAYS - 1)) : dari
  if (!isDay(from)) errors.push(field('dari', 'Tanggal awal harus berbentuk TTTT-BB-HH, misalnya 2026-11-01.', 'The start date must look like YYYY-MM-DD, e.g. 2026-11-01.'))
  if (!isDay(to)) errors.push(field('sampai', 'Tanggal akhir harus berbentuk TTTT-BB-HH, misalnya 2026-11-30.', 'The end date must look like YYYY-MM-DD, e.g. 2026-11-30.'))
  if (errors.length === 0) {
    if (to < from) {
      errors.push(field('sampai', 'Tanggal akhir sebelum tanggal awal. Tukar keduanya atau pilih tanggal akhir yang lebih baru.', 'The end date is before the start date. Swap them or pick a later end date.'))
    } else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
      errors.push(field('dari', 'Rentang paling panjang 3 tahun. Persempit rentangnya atau unduh per tahun.', 'The longest range is 3 years. Narrow it or export one year at a time.'))
    } else if (from < EARLIEST_DAY) {
      errors.push(field('dari', `Tanggal awal tidak boleh sebelum ${EARLIEST_DAY}.`, `The start date cannot be before ${EARLIEST_DAY}.`))
    } else if (from > addDays(today, 1)) {
      errors.push(field('dari', 'Tanggal awal ada di masa depan; belum ada data untuk rentang itu.', 'The start date is in the future; there is no data for that range yet.'))
    }
  }
  const gelombang = text(raw.gelombang)
  const provinsi = text(raw.provinsi)
  const kabupaten = text(raw.kabupaten)
  if (gelombang !== '' && !UUID.test(gelombang)) errors.push(field('gelombang', 'Pilih gelombang dari daftar.', 'Choose a wave from the list.'))
  if (provinsi !== '' && !PROVINCE.test(provinsi)) errors.push(field('provinsi', 'Pilih provinsi dari daftar.', 'Choose a province from the list.'))
  if (kabupaten !== '' && !REGENCY.test(kabupaten)) errors.push(field('kabupaten', 'Pilih kabupaten/kota dari daftar.', 'Choose a regency or city from the list.'))
  else if (kabupaten !== '' && provinsi !== '' && !kabupaten.startsWith(`${provinsi}.`)) {
    errors.push(field('kabupaten', 'Kabupaten/kota ini tidak ada di provinsi yang dipilih.', 'This regency is not in the chosen province.'))
  }
  const filters: ReportFilters = {
    from: isDay(from) ? from : addDays(today, -(DEFAULT_RANGE_DAYS - 1)),
    to: isDay(to) ? to : today,
    waveId: gelombang !== '' && UUID.test(gelombang) ? gelombang.toLowerCase() : null,
    province: PROVINCE.test(provinsi) ? provinsi : REGENCY.test(kabupaten) ? kabupaten.slice(0, 2) : null,
    regency: REGENCY.test(kabupaten) ? kabupaten : null,
  }
  return errors.length === 0 ? { ok: true, filters } : { ok: false, errors, filters }
}

/**
 * Regional scoping: an account with a region (an officer's regency, or a province) sees
 * only that region. Asking for another region is refused rather than silently narrowed,
 * so a wrong link cannot pass for a region's real figures.
 */
export function scopeToRegion(f: ReportFilters, region: string | null): { ok: true; filters: ReportFilters } | { ok: false } {
  if (!region) return { ok: true, filters: f }
  if (PROVINCE.test(region)) {
    if (f.province !== null && f.province !== region) return { ok: false }
    return { ok: true, filters: { ...f, province: region } }
  }
  const province = region.slice(0, 2)
  if (f.province !== null && f.province !== province) return { ok: false }
  if (f.regency !== null && f.regency !== region) return { ok: false }
  return { ok: true, filters: { ...f, province, regency: region } }
}

/** The filters as a query string, for links (export, drill-down) that keep them. */
export function filtersQuery(f: ReportFilters): string {
  const q = new URLSearchParams({ dari: f.from, sampai: f.to })
  if (f.waveId) q.set('gelombang', f.waveId)
  if (f.province) q.set('provinsi', f.province)
  if (f.regency) q.set('kabupaten', f.regency)
  return q.toString()
}

/** Days per point of a time series: a day up to 3 months, then weeks, then months. */
export function bucketFor(f: ReportFilters): 'day' | 'week' | 'month' {
  const n = daysBetween(f.from, f.to) + 1
  return n <= 92 ? 'day' : n <= 400 ? 'week' : 'month'
}
