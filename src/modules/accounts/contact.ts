/** E-mail and Indonesian mobile numbers as people type them, checked and put in one form. */
import type { FieldError } from '../../platform/errors.ts'

const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

export function normaliseEmail(input: string): { ok: true; email: string } | { ok: false; error: FieldError } {
  const email = input.trim()
  if (email === '') return { ok: false, error: { field: 'email', id: 'Isi alamat e-mail Anda.', en: 'Enter your e-mail address.' } }
  if (/\s/.test(email)) {
    return { ok: false, error: { field: 'email', id: 'Alamat e-mail tidak boleh berisi spasi.', en: 'An e-mail address cannot contain spaces.' } }
  }
  if (!EMAIL.test(email) || email.length > 254) {
    return {
      ok: false,
      error: { field: 'email', id: 'Alamat e-mail tidak lengkap, contoh yang benar: nama@gmail.com', en: 'The e-mail address is incomplete; for example: name@gmail.com' },
    }
  }
  // The domain is case-insensitive; the local part is kept as typed (uniqueness ignores case).
  const at = email.lastIndexOf('@')
  return { ok: true, email: email.slice(0, at) + '@' + email.slice(at + 1).toLowerCase() }
}

/** 08…, 628… or +628… with spaces and dashes → +628… (E.164). Indonesian mobile numbers only. */
export function normalisePhone(input: string): { ok: true; phone: string } | { ok: false; error: FieldError } {
  const compact = input.replace(/[\s().-]/g, '')
  if (compact === '') return { ok: false, error: { field: 'phone', id: 'Isi nomor HP Anda.', en: 'Enter your mobile number.' } }
  let national: string
  if (/^\+62\d+$/.test(compact)) national = compact.slice(3)
  else if (/^62\d+$/.test(compact)) national = compact.slice(2)
  else if (/^0\d+$/.test(compact)) national = compact.slice(1)
  else {
    return {
      ok: false,
      error: { field: 'phone', id: 'Nomor HP hanya berisi angka, diawali 08 atau +62, contoh 0812 3456 7890.', en: 'A mobile number has digits only, starting with 08 or +62, e.g. 0812 3456 7890.' },
    }
  }
  if (!national.startsWith('8')) {
    return {
      ok: false,
      error: { field: 'phone', id: 'Nomor HP Indonesia diawali 08 (bukan nomor telepon rumah).', en: 'Indonesian mobile numbers start with 08 (not a landline).' },
    }
  }
  if (national.length < 9 || national.length > 12) {
    return {
      ok: false,
      error: {
        field: 'phone',
        id: `Nomor HP terlalu ${national.length < 9 ? 'pendek' : 'panjang'}: ada ${national.length + 1} angka, seharusnya 10–13 angka termasuk 0 di depan.`,
        en: `The mobile number is too ${national.length < 9 ? 'short' : 'long'}: ${national.length + 1} digits, it should have 10–13 including the leading 0.`,
      },
    }
  }
  return { ok: true, phone: `+62${national}` }
}

/** +6281234567890 → 0812-****-7890, for showing where a code was sent. */
export function maskPhone(phone: string): string {
  const local = '0' + phone.replace(/^\+62/, '')
  return `${local.slice(0, 4)}-****-${local.slice(-4)}`
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 2)}${'*'.repeat(Math.max(local.length - 2, 1))}@${domain}`
}
