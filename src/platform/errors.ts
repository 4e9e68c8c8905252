/**
 * One error type with a closed set of codes. Each code has its HTTP status and a message
 * in Bahasa Indonesia and English that tells the person what to do next.
 */
export type Locale = 'id' | 'en'

interface CodeSpec {
  readonly status: number
  readonly id: string
  readonly en: string
}

export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    id: 'Ada isian yang belum benar. Periksa kolom yang ditandai, perbaiki, lalu kirim lagi.',
    en: 'Some fields are not right yet. Check the marked fields, correct them and send again.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    id: 'Permintaan tidak bisa dibaca (format rusak). Muat ulang halaman lalu coba lagi.',
    en: 'The request could not be read (broken format). Reload the page and try again.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    id: 'Jenis isi permintaan tidak didukung. Kirim sebagai JSON atau formulir biasa.',
    en: 'This content type is not supported. Send JSON or a plain form.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    id: 'Kiriman terlalu besar. Perkecil berkas atau isian, lalu coba lagi.',
    en: 'What you sent is too large. Make the file or text smaller and try again.',
  },
  NOT_FOUND: {
    status: 404,
    id: 'Halaman atau data yang dicari tidak ada. Periksa alamatnya atau kembali ke beranda.',
    en: 'The page or record you asked for does not exist. Check the address or go back to the home page.',
  },
  UNAUTHENTICATED: {
    status: 401,
    id: 'Silakan masuk terlebih dahulu untuk membuka halaman ini.',
    en: 'Please log in first to open this page.',
  },
  FORBIDDEN: {
    status: 403,
    id: 'Akun Anda tidak berhak membuka halaman ini. Jika menurut Anda ini keliru, hubungi layanan pengaduan.',
    en: 'Your account may not open this page. If you think this is wrong, contact the helpdesk.',
  },
  CSRF_INVALID: {
    status: 403,
    id: 'Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman, isian Anda tetap ada, lalu kirim lagi.',
    en: 'The form has expired or is not valid. Reload the page (what you typed is kept) and send again.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    id: 'E-mail atau kata sandi salah. Periksa keduanya lalu coba lagi; jika tetap gagal, hubungi layanan pengaduan.',
    en: 'Wrong e-mail or password. Check both and try again; if it still fails, contact the helpdesk.',
  },
  ACCOUNT_FROZEN: {
    status: 403,
    id: 'Akun ini sedang dibekukan untuk pemeriksaan. Hubungi layanan pengaduan dengan nomor tiket Anda.',
    en: 'This account is frozen for review. Contact the helpdesk with your ticket number.',
  },
  CONFLICT: {
    status: 409,
    id: 'Data ini sudah ada atau baru saja diubah orang lain. Muat ulang untuk melihat yang terbaru.',
    en: 'This record already exists or was just changed by someone else. Reload to see the latest.',
  },
  RATE_LIMITED: {
    status: 429,
    id: 'Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.',
    en: 'Too many attempts. Wait a moment and try again.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    id: 'Layanan sedang tidak tersedia sementara. Data Anda aman; coba lagi beberapa menit lagi.',
    en: 'The service is temporarily unavailable. Your data is safe; try again in a few minutes.',
  },
  INTERNAL: {
    status: 500,
    id: 'Terjadi kesalahan di sistem kami, bukan karena Anda. Coba lagi; jika berulang, sebutkan nomor permintaan ini ke layanan pengaduan.',
    en: 'Something went wrong on our side, not yours. Try again; if it repeats, give this request number to the helpdesk.',
  },
} as const satisfies Record<string, CodeSpec>

export type ErrorCode = keyof typeof ERROR_CODES

/** A field-level problem, shown next to the field and in the error summary. */
export interface FieldError {
  readonly field: string
  readonly id: string
  readonly en: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly fields: readonly FieldError[]
  readonly headers: Readonly<Record<string, string>>

  constructor(
    code: ErrorCode,
    opts: { fields?: FieldError[]; cause?: unknown; detail?: string; headers?: Record<string, string> } = {},
  ) {
    super(opts.detail ?? code, { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.fields = opts.fields ?? []
    this.headers = opts.headers ?? {}
  }
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_CODES[code][locale]
}

/** PostgreSQL unique violation (from pg or PGlite). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505'
}
