/**
 * What a course must be to enter the catalogue (the programme's own rules): at least 15
 * hours; a webinar session holds at most 150 people; the programme price is never above
 * the price of the same course outside the programme; an offline course says where.
 * Pure: the partner API and the tests share it.
 */
import type { FieldError } from '../../platform/errors.ts'
import type { Text } from '../../platform/i18n/index.ts'
import { getRegency } from '../regions/index.ts'
import type { CourseMode } from './catalogue.tables.ts'

export const MIN_HOURS = 15
export const MAX_WEBINAR_SEATS = 150
export const MAX_SESSIONS = 60

export const CATEGORIES: Readonly<Record<string, Text>> = {
  agriculture: { id: 'Pertanian', en: 'Agriculture' },
  livestock: { id: 'Peternakan', en: 'Livestock' },
  fisheries: { id: 'Perikanan', en: 'Fisheries' },
  culinary: { id: 'Kuliner dan pengolahan pangan', en: 'Culinary and food processing' },
  sewing: { id: 'Menjahit dan busana', en: 'Sewing and fashion' },
  beauty: { id: 'Kecantikan', en: 'Beauty' },
  automotive: { id: 'Otomotif dan bengkel', en: 'Automotive and workshop' },
  construction: { id: 'Konstruksi dan kelistrikan', en: 'Construction and electrical' },
  digital_marketing: { id: 'Pemasaran digital', en: 'Digital marketing' },
  technology: { id: 'Teknologi informasi', en: 'Information technology' },
  entrepreneurship: { id: 'Kewirausahaan dan UMKM', en: 'Entrepreneurship and small business' },
  office: { id: 'Administrasi perkantoran', en: 'Office administration' },
  language: { id: 'Bahasa', en: 'Languages' },
  hospitality: { id: 'Pariwisata dan perhotelan', en: 'Tourism and hospitality' },
  care: { id: 'Perawatan dan pengasuhan', en: 'Care work' },
}

export const MODES: Readonly<Record<CourseMode, Text>> = {
  webinar: { id: 'Webinar (daring langsung)', en: 'Webinar (live online)' },
  self_paced: { id: 'Video mandiri', en: 'Self-paced video' },
  offline: { id: 'Luring (tatap muka)', en: 'Offline (face to face)' },
}

export interface SessionInput {
  readonly ref: string
  readonly startsAt: string
  readonly endsAt: string
  readonly seats: number
}

export interface CourseInput {
  readonly ref: string
  readonly platformCode: string
  readonly title: string
  readonly description: string
  readonly category: string
  readonly mode: string
  readonly hours: number
  readonly price: number
  readonly marketPrice: number
  readonly regencyCode?: string | null
  readonly address?: string | null
  readonly sessions: readonly SessionInput[]
}

export interface ValidCourse extends CourseInput {
  readonly mode: CourseMode
  readonly provinceCode: string | null
  readonly sessionTimes: ReadonlyArray<SessionInput & { readonly start: Date; readonly end: Date }>
}

function err(field: string, id: string, en: string): FieldError {
  return { field, id, en }
}

const REF = /^[A-Za-z0-9._-]{1,64}$/

export function validateCourse(input: CourseInput, now: Date): { ok: true; course: ValidCourse } | { ok: false; fields: FieldError[] } {
  const f: FieldError[] = []
  if (!REF.test(input.ref)) f.push(err('ref', 'Kode kursus dari LP: 1–64 huruf, angka, titik, garis bawah atau minus.', 'Provider course id: 1–64 letters, digits, dots, underscores or hyphens.'))
  if (input.title.trim().length < 5 || input.title.length > 200) f.push(err('title', 'Judul 5–200 karakter.', 'Title: 5–200 characters.'))
  if (input.description.trim().length < 30 || input.description.length > 5000) f.push(err('description', 'Deskripsi 30–5000 karakter: jelaskan apa yang dipelajari dan untuk siapa.', 'Description: 30–5000 characters: say what is learnt and for whom.'))
  if (!(input.category in CATEGORIES)) f.push(err('category', `Kategori tidak dikenal. Pilih salah satu: ${Object.keys(CATEGORIES).join(', ')}.`, `Unknown category. Use one of: ${Object.keys(CATEGORIES).join(', ')}.`))
  const mode = input.mode in MODES ? (input.mode as CourseMode) : null
  if (!mode) f.push(err('mode', 'Mode harus webinar, self_paced atau offline.', 'Mode must be webinar, self_paced or offline.'))
  if (!Number.isInteger(input.hours) || input.hours < MIN_HOURS) f.push(err('hours', `Durasi minimal ${MIN_HOURS} jam pelajaran.`, `At least ${MIN_HOURS} hours of learning.`))
  if (!Number.isSafeInteger(input.price) || input.price <= 0) f.push(err('price', 'Harga dalam rupiah utuh, lebih dari nol.', 'Price in whole rupiah, above zero.'))
  if (!Number.isSafeInteger(input.marketPrice) || input.marketPrice <= 0) f.push(err('marketPrice', 'Harga di luar program dalam rupiah utuh.', 'The price outside the programme, in whole rupiah.'))
  else if (input.marketPrice < input.price) {
    f.push(err('marketPrice', 'Harga di luar program tidak boleh lebih rendah dari harga untuk peserta Prakerja.', 'The price outside the programme must not be lower than the price for card holders.'))
  }
  let provinceCode: string | null = null
  if (mode === 'offline') {
    const regency = input.regencyCode ? getRegency(input.regencyCode) : null
    if (!regency) f.push(err('regencyCode', 'Pelatihan luring wajib menyebut kabupaten/kota (kode Kemendagri, mis. 13.06).', 'An offline course must name its regency or city (Kemendagri code, e.g. 13.06).'))
    else provinceCode = regency.provinceCode
    if (!input.address || input.address.trim().length < 10) f.push(err('address', 'Pelatihan luring wajib menyebut alamat tempat pelatihan.', 'An offline course must give the address where it takes place.'))
  }
  const sessionTimes: Array<SessionInput & { start: Date; end: Date }> = []
  if (mode !== 'self_paced' && input.sessions.length === 0) f.push(err('sessions', 'Webinar dan pelatihan luring wajib punya jadwal sesi.', 'Webinars and offline courses need a session schedule.'))
  if (input.sessions.length > MAX_SESSIONS) f.push(err('sessions', `Paling banyak ${MAX_SESSIONS} sesi sekali kirim.`, `At most ${MAX_SESSIONS} sessions per submission.`))
  const refs = new Set<string>()
  input.sessions.forEach((s, i) => {
    const at = `sessions.${i}`
    const start = new Date(s.startsAt)
    const end = new Date(s.endsAt)
    if (!REF.test(s.ref) || refs.has(s.ref)) f.push(err(`${at}.ref`, 'Kode sesi wajib unik dalam kursus.', 'Each session needs its own id.'))
    refs.add(s.ref)
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) f.push(err(`${at}.startsAt`, 'Waktu mulai dan selesai sesi tidak valid (ISO 8601, selesai setelah mulai).', 'Session start and end are not valid (ISO 8601, end after start).'))
    else if (start <= now) f.push(err(`${at}.startsAt`, 'Sesi harus dimulai di masa depan.', 'A session must start in the future.'))
    if (!Number.isInteger(s.seats) || s.seats <= 0) f.push(err(`${at}.seats`, 'Jumlah kursi minimal 1.', 'At least 1 seat.'))
    else if (mode === 'webinar' && s.seats > MAX_WEBINAR_SEATS) f.push(err(`${at}.seats`, `Satu sesi webinar paling banyak ${MAX_WEBINAR_SEATS} peserta.`, `A webinar session holds at most ${MAX_WEBINAR_SEATS} people.`))
    sessionTimes.push({ ...s, start, end })
  })
  if (f.length > 0 || !mode) return { ok: false, fields: f }
  return { ok: true, course: { ...input, mode, provinceCode, regencyCode: mode === 'offline' ? input.regencyCode! : null, address: mode === 'offline' ? input.address!.trim() : null, sessionTimes } }
}
