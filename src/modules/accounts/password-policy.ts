/**
 * NIST SP 800-63B: at least 8 characters, no composition rules, refuse the commonly used
 * and the obviously derived (the e-mail or phone itself). Long passphrases are welcome.
 */
import type { FieldError } from '../../platform/errors.ts'

// The most common choices in public breach corpora, plus the programme's own words.
const COMMON = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '11111111', '00000000', '88888888', '87654321',
  'password', 'password1', 'password123', 'passw0rd', 'qwerty123', 'qwertyuiop', 'iloveyou', 'abcd1234',
  'abc12345', 'sayang123', 'bismillah', 'indonesia', 'indonesia1', 'jakarta123', 'prakerja', 'prakerja123',
  'kartuprakerja', 'karya123', 'karyakarya', 'admin123', 'welcome1', 'merdeka45', 'asdfghjkl', 'superman',
])

export function checkPassword(password: string, context: { email?: string; phone?: string }): FieldError | null {
  if (password.length < 8) {
    return {
      field: 'password',
      id: `Kata sandi minimal 8 karakter; yang Anda ketik ${password.length}. Kalimat pendek yang mudah diingat juga boleh.`,
      en: `The password needs at least 8 characters; you typed ${password.length}. A short sentence you remember works well.`,
    }
  }
  if (password.length > 128) {
    return { field: 'password', id: 'Kata sandi paling banyak 128 karakter.', en: 'The password can have at most 128 characters.' }
  }
  const lower = password.toLowerCase()
  const local = context.email?.split('@')[0]?.toLowerCase()
  const digits = context.phone?.replace(/\D/g, '').slice(-8)
  if (COMMON.has(lower) || /^(.)\1+$/.test(password) || (local && local.length >= 4 && lower.includes(local)) || (digits && lower.includes(digits))) {
    return {
      field: 'password',
      id: 'Kata sandi ini terlalu mudah ditebak (umum dipakai, atau berisi e-mail/nomor HP Anda). Pilih yang lain.',
      en: 'This password is too easy to guess (commonly used, or contains your e-mail/phone). Choose another.',
    }
  }
  return null
}
