/** What the documents page says: every rejection names what to do about it. */
import type { Text } from '../../platform/i18n/index.ts'
import type { DocumentKind, Rejection } from './documents.tables.ts'

export const KIND_LABELS: Record<DocumentKind, Text> = {
  ktp: { id: 'Foto KTP', en: 'ID card (KTP) photo' },
  selfie: { id: 'Swafoto (selfie)', en: 'Selfie' },
}

export const KIND_HINTS: Record<DocumentKind, Text> = {
  ktp: {
    id: 'Foto KTP asli (bukan fotokopi) di atas meja, seluruh kartu terlihat, tulisan terbaca. JPG, PNG atau WebP, paling besar 10 MB.',
    en: 'Photograph your original KTP (not a copy) on a table, the whole card visible and the text readable. JPG, PNG or WebP, at most 10 MB.',
  },
  selfie: {
    id: 'Wajah Anda menghadap kamera, tanpa masker, kacamata hitam atau topi. JPG, PNG atau WebP, paling besar 10 MB.',
    en: 'Your face towards the camera, without a mask, sunglasses or hat. JPG, PNG or WebP, at most 10 MB.',
  },
}

export const REJECTION_TEXTS: Record<Rejection, Text> = {
  not_image: {
    id: 'Berkas ini bukan gambar: kirim foto JPG, PNG atau WebP langsung dari kamera HP, bukan PDF atau dokumen lain.',
    en: 'This file is not a picture: send a JPG, PNG or WebP photo straight from your phone camera, not a PDF or other document.',
  },
  too_large: {
    id: 'Foto terlalu besar (lebih dari 10 MB): kirim ulang dengan resolusi kamera yang lebih rendah.',
    en: 'The photo is too large (over 10 MB): send it again at a lower camera resolution.',
  },
  too_small: {
    id: 'Foto terlalu kecil: ambil foto langsung dengan kamera, jangan tangkapan layar atau foto yang sudah dikecilkan (KTP minimal 600×380 piksel, swafoto minimal 480×480).',
    en: 'The photo is too small: take it with the camera, not a screenshot or a shrunk copy (KTP at least 600×380 pixels, selfie at least 480×480).',
  },
  too_dark: {
    id: 'Foto terlalu gelap: foto di tempat terang tanpa lampu kilat, misalnya dekat jendela pada siang hari.',
    en: 'The photo is too dark: take it somewhere bright without the flash, for example near a window in daylight.',
  },
  too_bright: {
    id: 'Foto terlalu terang: hindari sinar matahari langsung dan lampu kilat yang memantul di kartu.',
    en: 'The photo is too bright: avoid direct sunlight and a flash reflecting on the card.',
  },
  blurry: {
    id: 'Foto buram: pegang HP dengan stabil, ketuk layar untuk fokus, pastikan tulisan KTP terbaca.',
    en: 'The photo is blurred: hold the phone steady, tap the screen to focus, and make sure the KTP text can be read.',
  },
}

/** A blurred selfie has no text to read: the advice is about the face. */
export const SELFIE_BLURRY: Text = {
  id: 'Foto buram: pegang HP dengan stabil dan pastikan wajah Anda terlihat jelas.',
  en: 'The photo is blurred: hold the phone steady and make sure your face is clearly visible.',
}

export const T = {
  title: { id: 'Dokumen', en: 'Documents' },
  intro: {
    id: 'Unggah foto KTP dan swafoto. Jika sinyal putus saat mengunggah, pilih berkas yang sama lagi: unggahan dilanjutkan dari bagian yang sudah terkirim.',
    en: 'Upload a photo of your KTP and a selfie. If the signal drops while uploading, choose the same file again: the upload carries on from what was already sent.',
  },
  missing: { id: 'Belum diunggah', en: 'Not uploaded yet' },
  checking: {
    id: 'Sedang diunggah atau diperiksa. Jika unggahan terputus, pilih berkas yang sama lagi: unggahan dilanjutkan.',
    en: 'Uploading or being checked. If the upload was cut off, choose the same file again: it carries on.',
  },
  accepted: { id: 'Diterima', en: 'Accepted' },
  rejected: { id: 'Ditolak', en: 'Not accepted' },
  whatToDo: { id: 'Silakan unggah foto baru.', en: 'Please upload a new photo.' },
  view: { id: 'Lihat foto yang dikirim', en: 'See the photo you sent' },
  choose: { id: 'Pilih foto', en: 'Choose a photo' },
  send: { id: 'Unggah', en: 'Upload' },
  progress: { id: 'Terkirim', en: 'Sent' },
  noFile: { id: 'Pilih foto terlebih dahulu, lalu tekan Unggah.', en: 'Choose a photo first, then press Upload.' },
  badKind: { id: 'Jenis dokumen tidak dikenal. Muat ulang halaman ini.', en: 'Unknown document type. Reload this page.' },
  savedAccepted: { id: 'Foto diterima. Terima kasih.', en: 'Photo accepted. Thank you.' },
  savedRejected: { id: 'Foto belum bisa diterima. Lihat alasannya di bawah.', en: 'The photo could not be accepted yet. See why below.' },
  history: { id: 'Riwayat unggahan', en: 'Upload history' },
} satisfies Record<string, Text>
