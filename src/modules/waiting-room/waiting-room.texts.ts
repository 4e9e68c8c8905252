import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'

export const T = {
  title: { id: 'Antrean pendaftaran', en: 'Sign-up queue' },
  heading: { id: 'Anda sudah dalam antrean', en: 'You are in the queue' },
  intro: {
    id: 'Banyak orang sedang mendaftar. Agar situs tetap berjalan untuk semua, kami mempersilakan {rate} orang per detik masuk ke formulir pendaftaran, sesuai urutan.',
    en: 'Many people are signing up. To keep the site working for everyone, we let {rate} people a second into the sign-up form, in order.',
  },
  position: { id: 'Posisi Anda: ke-{position}', en: 'Your position: {position}' },
  wait: { id: 'Perkiraan waktu tunggu: {wait}', en: 'Expected wait: {wait}' },
  draw: {
    id: 'Anda datang pada menit pertama. Urutan semua yang datang pada menit itu diundi secara adil pukul {time}; sesudah itu posisi Anda tampil di sini.',
    en: 'You arrived in the first minute. The order of everyone who arrived in that minute is drawn fairly at {time}; after that your position shows here.',
  },
  busy: {
    id: 'Server sedang sangat sibuk dan belum bisa memberi nomor antrean. Halaman ini mencoba lagi sendiri.',
    en: 'The server is very busy and could not give you a place yet. This page tries again by itself.',
  },
  keep: {
    id: 'Halaman ini memperbarui sendiri setiap {seconds} detik. Memuat ulang atau koneksi yang putus tidak menghilangkan tempat Anda, selama Anda memakai peramban yang sama. Begitu giliran Anda tiba, formulir pendaftaran langsung terbuka dan Anda punya waktu untuk mengisinya.',
    en: 'This page refreshes itself every {seconds} seconds. Reloading or a dropped connection does not lose your place, as long as you use the same browser. When your turn comes the sign-up form opens and you have time to fill it in.',
  },
  updated: { id: 'Diperbarui {time}', en: 'Updated {time}' },
  check: { id: 'Periksa sekarang', en: 'Check now' },
  login: { id: 'Sudah punya akun? Masuk', en: 'Already have an account? Log in' },
  lessThanMinute: { id: 'kurang dari 1 menit', en: 'less than a minute' },
  minutes: { id: 'sekitar {m} menit', en: 'about {m} minutes' },
  hours: { id: 'sekitar {h} jam {m} menit', en: 'about {h} h {m} min' },
} satisfies Record<string, Text>

export function waitText(l: Locale, seconds: number): string {
  if (seconds < 60) return tr(l, T.lessThanMinute)
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 90) return tr(l, T.minutes, { m: minutes })
  return tr(l, T.hours, { h: Math.floor(minutes / 60), m: minutes % 60 })
}
