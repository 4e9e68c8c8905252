/** The catalogue pages' texts, Indonesian and English, shared by the public and the PMO pages. */
import type { Locale } from '../../platform/i18n/index.ts'
import { tr } from '../../platform/i18n/index.ts'
import { getProvince, getRegency } from '../regions/index.ts'
import type { ReviewDecision } from './catalogue.tables.ts'

export const T = {
  title: { id: 'Katalog pelatihan', en: 'Course catalogue' },
  intro: {
    id: 'Cari pelatihan daring atau tatap muka di dekat Anda. Harga dibayar dari saldo pelatihan kartu Prakerja.',
    en: 'Find online courses or face-to-face ones near you. The price is paid from your card’s training balance.',
  },
  q: { id: 'Cari (mis. "ternak ayam", "menjahit")', en: 'Search (e.g. "poultry", "sewing")' },
  category: { id: 'Kategori', en: 'Category' },
  mode: { id: 'Cara belajar', en: 'How it is taught' },
  province: { id: 'Provinsi (untuk pelatihan luring)', en: 'Province (for offline courses)' },
  any: { id: '— semua —', en: '— all —' },
  maxPrice: { id: 'Harga paling tinggi (Rp)', en: 'Highest price (Rp)' },
  withinBalance: { id: 'Hanya yang terjangkau saldo saya ({amount})', en: 'Only what my balance covers ({amount})' },
  startsFrom: { id: 'Mulai paling cepat (tanggal)', en: 'Starting on or after (date)' },
  search: { id: 'Cari', en: 'Search' },
  results: { id: '{n} pelatihan ditemukan', en: '{n} courses found' },
  none: { id: 'Tidak ada pelatihan yang cocok.', en: 'No course matches.' },
  next: { id: 'Sesi berikutnya: {when} · sisa {seats} kursi', en: 'Next session: {when} · {seats} seats left' },
  anytime: { id: 'Bisa dimulai kapan saja', en: 'Start any time' },
  hours: { id: '{n} jam', en: '{n} hours' },
  by: { id: 'oleh {provider}, dijual di {platform}', en: 'by {provider}, sold on {platform}' },
  marketPrice: { id: 'harga umum {amount}', en: 'regular price {amount}' },
  wantTitle: { id: 'Tidak menemukan yang Anda cari?', en: 'Not finding what you need?' },
  wantIntro: {
    id: 'Beri tahu kami pelatihan apa yang Anda butuhkan. PMO melihat permintaan per daerah dan mengajak lembaga pelatihan mengisinya.',
    en: 'Tell us what course you need. The PMO sees requests by region and invites providers to fill them.',
  },
  topic: { id: 'Saya ingin pelatihan tentang …', en: 'I want a course on …' },
  send: { id: 'Kirim permintaan', en: 'Send request' },
  thanks: { id: 'Terima kasih. Permintaan Anda tercatat untuk daerah Anda.', en: 'Thank you. Your request is recorded for your area.' },
  loginToAsk: { id: 'Masuk untuk mengirim permintaan pelatihan.', en: 'Log in to send a course request.' },
  sessions: { id: 'Jadwal sesi', en: 'Sessions' },
  seatsLeft: { id: '{n} kursi tersisa', en: '{n} seats left' },
  full: { id: 'penuh', en: 'full' },
  cancelled: { id: 'dibatalkan', en: 'cancelled' },
  where: { id: 'Tempat', en: 'Where' },
  buyHint: {
    id: 'Untuk membeli, buka pelatihan ini di platform {platform} dan bayar dengan nomor kartu Prakerja Anda. Kode OTP dikirim ke HP Anda.',
    en: 'To buy, open this course on {platform} and pay with your card number. A one-time code is sent to your phone.',
  },
  back: { id: 'Kembali ke katalog', en: 'Back to the catalogue' },
  buyAt: { id: 'Beli di {platform}', en: 'Buy on {platform}' },
  cancelSession: { id: 'Batalkan sesi dan kembalikan saldo peserta', en: 'Cancel the session and refund participants' },
  cancelReason: { id: 'Alasan pembatalan (dibaca peserta)', en: 'Reason (participants read it)' },
  reviewTitle: { id: 'Kurasi pelatihan', en: 'Course curation' },
  reviewIntro: { id: 'Kursus yang diajukan LP, terlama di atas. Setiap keputusan dicatat di log audit bersama alasannya.', en: 'Courses submitted by providers, oldest first. Every decision is audited with its reason.' },
  conflict: { id: 'Konflik kepentingan', en: 'Conflict of interest' },
  conflictNote: { id: 'Platform dan LP ini terafiliasi: {note}. Periksa harga dan mutu dengan cermat.', en: 'This platform and provider are affiliated: {note}. Check price and quality carefully.' },
  submitted: { id: 'Diajukan', en: 'Submitted' },
  empty: { id: 'Tidak ada kursus yang menunggu.', en: 'No courses waiting.' },
  decision: { id: 'Keputusan', en: 'Decision' },
  approve: { id: 'Setujui', en: 'Approve' },
  changes: { id: 'Minta perbaikan', en: 'Ask for changes' },
  reject: { id: 'Tolak', en: 'Reject' },
  reason: { id: 'Alasan (wajib untuk perbaikan atau penolakan)', en: 'Reason (required to ask for changes or reject)' },
  history: { id: 'Riwayat keputusan', en: 'Decision history' },
  demandTitle: { id: 'Permintaan pelatihan per daerah', en: 'Course requests by region' },
  requests: { id: 'Permintaan', en: 'Requests' },
  region: { id: 'Daerah', en: 'Region' },
  topics: { id: 'Topik terbaru', en: 'Latest topics' },
  unknownRegion: { id: '(tidak diketahui)', en: '(unknown)' },
  price: { id: 'Harga', en: 'Price' },
  provider: { id: 'LP', en: 'Provider' },
  platform: { id: 'Platform', en: 'Platform' },
}

export const DECISIONS: Record<ReviewDecision, { id: string; en: string }> = { approved: T.approve, changes_requested: T.changes, rejected: T.reject }

export function regionName(provinceCode: string | null, regencyCode: string | null, l: Locale): string {
  if (regencyCode) return getRegency(regencyCode)?.name ?? regencyCode
  if (provinceCode) return getProvince(provinceCode)?.name ?? provinceCode
  return tr(l, T.unknownRegion)
}
