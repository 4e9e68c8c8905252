/**
 * One report row from a provider, checked on its own: a bad row is refused with its reason
 * and never stops the rest of a batch. Pure: no database here.
 */
import crypto from 'node:crypto'
import type { AssignmentStatus } from './learning.tables.ts'

export interface Reason {
  readonly code: string
  readonly id: string
  readonly en: string
}

export const REASONS = {
  CSV_ROW_MALFORMED: { id: 'Baris CSV rusak: jumlah kolom tidak sama dengan judul, atau tanda kutip tidak tertutup.', en: 'Malformed CSV line: the number of fields differs from the header, or a quote is not closed.' },
  ROW_NOT_OBJECT: { id: 'Baris harus berupa objek JSON.', en: 'A row must be a JSON object.' },
  REPORT_ID_INVALID: { id: 'reportId wajib: 1–128 karakter huruf, angka, titik, titik dua, garis bawah atau tanda hubung.', en: 'reportId is required: 1–128 letters, digits, dots, colons, underscores or hyphens.' },
  TYPE_UNKNOWN: { id: 'type harus "attendance", "assignment" atau "completion".', en: 'type must be "attendance", "assignment" or "completion".' },
  REDEEM_CODE_INVALID: { id: 'redeemCode wajib untuk kehadiran: kode redeem sesi peserta, 1–20 karakter.', en: 'redeemCode is required for attendance: the participant’s session redeem code, 1–20 characters.' },
  REDEEM_CODE_UNKNOWN: { id: 'Kode redeem ini tidak dikenal. Periksa kode yang disebutkan peserta di awal sesi.', en: 'This redeem code is unknown. Check the code the participant gave at the start of the session.' },
  REDEEM_CODE_OTHER: { id: 'Kode redeem ini milik pembelian atau sesi lain, bukan voucher yang disebutkan.', en: 'This redeem code belongs to another purchase or session, not to the voucher given.' },
  REDEEM_CODE_CANCELLED: { id: 'Sesi untuk kode redeem ini dibatalkan; kehadiran tidak bisa dicatat.', en: 'The session of this redeem code was cancelled; attendance cannot be recorded.' },
  ATTENDANCE_BEFORE_SESSION: { id: 'Sesi untuk kode redeem ini belum dimulai; laporkan kehadiran setelah sesi dimulai.', en: 'The session of this redeem code has not started yet; report attendance once it has.' },
  PURCHASE_REF_MISSING: { id: 'Sebutkan voucherCode atau purchaseId.', en: 'Give voucherCode or purchaseId.' },
  GRADE_OUT_OF_RANGE: { id: 'grade harus bilangan bulat 0–100.', en: 'grade must be a whole number from 0 to 100.' },
  DATE_INVALID: { id: 'completedAt harus tanggal-waktu ISO 8601, misalnya 2026-12-05T10:00:00Z.', en: 'completedAt must be an ISO 8601 date-time, e.g. 2026-12-05T10:00:00Z.' },
  DATE_IN_FUTURE: { id: 'completedAt tidak boleh di masa depan.', en: 'completedAt cannot be in the future.' },
  CERT_NUMBER_INVALID: { id: 'certificateNumber paling banyak 64 karakter.', en: 'certificateNumber has at most 64 characters.' },
  CERT_URL_NOT_HTTPS: { id: 'certificateUrl harus alamat https:// yang sah, atau null bila tidak ada.', en: 'certificateUrl must be a valid https:// address, or null when there is none.' },
  ASSIGNMENT_REF_INVALID: { id: 'assignmentRef wajib, 1–64 karakter.', en: 'assignmentRef is required, 1–64 characters.' },
  ASSIGNMENT_STATUS_UNKNOWN: { id: 'status harus not_submitted, pending, success atau failed.', en: 'status must be not_submitted, pending, success or failed.' },
  PURCHASE_NOT_FOUND: { id: 'Voucher atau pembelian tidak ditemukan.', en: 'Voucher or purchase not found.' },
  OTHER_PROVIDER: { id: 'Peserta ini membeli pelatihan di lembaga lain, bukan di lembaga Anda.', en: 'This participant bought the course from another provider, not from you.' },
  NOT_BOUGHT: { id: 'Pelatihan ini tidak (lagi) dibeli: pembelian belum dibayar, kedaluwarsa atau dibatalkan.', en: 'This course is not (or no longer) bought: the purchase is unpaid, expired or cancelled.' },
  ALREADY_COMPLETED: { id: 'Pelatihan ini sudah selesai dan bersertifikat.', en: 'This course is already completed and certified.' },
  UNDER_REVIEW: { id: 'Laporan penyelesaian sebelumnya sedang ditinjau PMO; tunggu keputusannya.', en: 'An earlier completion report is being reviewed by the programme office; wait for its decision.' },
  COMPLETION_BEFORE_SESSION: { id: 'Tanggal selesai sebelum sesi yang dibeli dimulai.', en: 'The completion date is before the purchased session starts.' },
  DUPLICATE: { id: 'reportId ini sudah diterima sebelumnya; tidak diterapkan lagi.', en: 'This reportId was accepted before; not applied again.' },
} as const satisfies Record<string, { id: string; en: string }>

export type ReasonCode = keyof typeof REASONS

export function reason(code: ReasonCode): Reason {
  return { code, ...REASONS[code] }
}

interface Common {
  readonly reportId: string
  readonly voucherCode: string | null
  readonly purchaseId: string | null
}

export interface CompletionRow extends Common {
  readonly type: 'completion'
  readonly grade: number
  readonly completedAt: Date
  readonly certificateNumber: string | null
  readonly certificateUrl: string | null
}

export interface AssignmentRow extends Common {
  readonly type: 'assignment'
  readonly assignmentRef: string
  readonly status: AssignmentStatus
}

export interface AttendanceRow extends Common {
  readonly type: 'attendance'
  /** The session's redeem code, as the participant gave it. */
  readonly redeemCode: string
}

export type ReportRow = CompletionRow | AssignmentRow | AttendanceRow

const REPORT_ID = /^[A-Za-z0-9._:-]{1,128}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/
const STATUSES: readonly AssignmentStatus[] = ['not_submitted', 'pending', 'success', 'failed']

/** Stands for a CSV line that could not be split into the header's fields. */
export const MALFORMED_CSV_LINE = Symbol('malformed CSV line')

export type Parsed = { ok: true; row: ReportRow } | { ok: false; reportId: string | null; reason: Reason }

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

/** Checks one row's shape and values; `now` bounds the completion date. */
export function parseRow(raw: unknown, now: Date): Parsed {
  if (raw === MALFORMED_CSV_LINE) return { ok: false, reportId: null, reason: reason('CSV_ROW_MALFORMED') }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reportId: null, reason: reason('ROW_NOT_OBJECT') }
  const r = raw as Record<string, unknown>
  const reportId = typeof r.reportId === 'string' && REPORT_ID.test(r.reportId) ? r.reportId : null
  const fail = (code: ReasonCode): Parsed => ({ ok: false, reportId, reason: reason(code) })
  if (!reportId) return fail('REPORT_ID_INVALID')
  const voucherCode = text(r.voucherCode)
  const purchaseId = text(r.purchaseId)
  if ((!voucherCode || voucherCode.length > 20) && (!purchaseId || !UUID.test(purchaseId))) return fail('PURCHASE_REF_MISSING')
  const common = { reportId, voucherCode: voucherCode && voucherCode.length <= 20 ? voucherCode : null, purchaseId: purchaseId && UUID.test(purchaseId) ? purchaseId.toLowerCase() : null }
  if (r.type === 'assignment') {
    const ref = text(r.assignmentRef)
    if (!ref || ref.length > 64) return fail('ASSIGNMENT_REF_INVALID')
    if (!STATUSES.includes(r.status as AssignmentStatus)) return fail('ASSIGNMENT_STATUS_UNKNOWN')
    return { ok: true, row: { ...common, type: 'assignment', assignmentRef: ref, status: r.status as AssignmentStatus } }
  }
  if (r.type === 'attendance') {
    const code = text(r.redeemCode)
    if (!code || code.length > 20) return fail('REDEEM_CODE_INVALID')
    return { ok: true, row: { ...common, type: 'attendance', redeemCode: code } }
  }
  if (r.type !== 'completion') return fail('TYPE_UNKNOWN')
  const grade = typeof r.grade === 'string' && /^\d{1,3}$/.test(r.grade) ? Number(r.grade) : r.grade
  if (typeof grade !== 'number' || !Number.isInteger(grade) || grade < 0 || grade > 100) return fail('GRADE_OUT_OF_RANGE')
  if (typeof r.completedAt !== 'string' || !ISO.test(r.completedAt) || Number.isNaN(Date.parse(r.completedAt))) return fail('DATE_INVALID')
  const completedAt = new Date(r.completedAt)
  if (completedAt.getTime() > now.getTime()) return fail('DATE_IN_FUTURE')
  const certificateNumber = r.certificateNumber === undefined || r.certificateNumber === null ? null : text(r.certificateNumber)
  if (certificateNumber !== null && certificateNumber.length > 64) return fail('CERT_NUMBER_INVALID')
  let certificateUrl: string | null = null
  if (r.certificateUrl !== undefined && r.certificateUrl !== null && r.certificateUrl !== '') {
    if (typeof r.certificateUrl !== 'string' || r.certificateUrl.length > 2000) return fail('CERT_URL_NOT_HTTPS')
    try {
      const u = new URL(r.certificateUrl)
      if (u.protocol !== 'https:' || !u.hostname) return fail('CERT_URL_NOT_HTTPS')
      certificateUrl = u.toString()
    } catch {
      return fail('CERT_URL_NOT_HTTPS')
    }
  }
  return { ok: true, row: { ...common, type: 'completion', grade, completedAt, certificateNumber, certificateUrl } }
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Karya's own certificate number: KRY- and 12 random characters in three groups. */
export function newCertificateNumber(): string {
  const bytes = crypto.randomBytes(12)
  let s = ''
  for (const b of bytes) s += ALPHABET[b % 32]
  return `KRY-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`
}

/** What a person may type: spaces and case do not matter. */
export function normaliseCertificateNumber(typed: string): string {
  return typed.trim().toUpperCase().replace(/\s+/g, '')
}

/** "Siti Aminah Lubis" → "S. A. L." — what the public page shows without consent. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0]!.toUpperCase()}.`)
    .join(' ')
}
