/**
 * The consent the officer reads out before anything about the person is saved. The version
 * is derived from the text itself, so every stored consent names the exact words agreed to.
 */
import crypto from 'node:crypto'
import type { Text } from '../../platform/i18n/index.ts'

export const CONSENT_TEXT: Text = {
  id:
    'Saya setuju didaftarkan ke Program Kartu Prakerja oleh petugas pendaftaran yang ada di depan saya. ' +
    'Petugas akan mencatat NIK, nomor KK, nama, alamat, pendidikan dan pekerjaan saya, nomor HP dan e-mail saya bila ada, ' +
    'serta foto KTP dan swafoto saya. Data ini dipakai hanya untuk pendaftaran dan pemeriksaan kelayakan program ' +
    '(termasuk ke Dukcapil dan daftar pengecualian), disimpan terenkripsi, dan dilindungi UU 27/2022 tentang Pelindungan Data Pribadi. ' +
    'Setiap langkah petugas tercatat atas namanya. Setelah saya mengaktifkan akun sendiri, hanya saya yang dapat mengubah data saya. ' +
    'Saya boleh menolak atau berhenti kapan saja; jika saya menolak, tidak ada data yang disimpan.',
  en:
    'I agree to be registered for the Pre-employment Card Programme by the registration officer in front of me. ' +
    'The officer will record my NIK, family card number, name, address, education and work, my phone number and e-mail if I have them, ' +
    'and a photo of my ID card and a selfie. These are used only for registration and the eligibility checks of the programme ' +
    '(including the civil registry and exclusion lists), stored encrypted, and protected by Law 27/2022 on Personal Data Protection. ' +
    "Every step the officer takes is recorded in the officer's name. Once I activate my own account, only I can change my data. " +
    'I may refuse or stop at any time; if I refuse, nothing is saved.',
}

export const CONSENT_VERSION = `v1-${crypto.createHash('sha256').update(CONSENT_TEXT.id).update('\n').update(CONSENT_TEXT.en).digest('hex').slice(0, 12)}`
