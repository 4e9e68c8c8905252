/** What the participant is told when a completion is verified or goes to review. */
import { formatDateTime } from '../../platform/i18n/index.ts'
import type { MailMessage } from '../../platform/mail/index.ts'

export function certificateMail(accountId: string, to: string, number: string): MailMessage {
  return { accountId, to, template: 'learning.certificate', subject: 'Sertifikat Anda sudah terbit / Your certificate is issued', text: `Selamat! Pelatihan Anda terverifikasi selesai. Nomor sertifikat: ${number}. Lihat di Pelatihan saya, lalu beri ulasan pelatihannya.`, link: '/pelatihan-saya' }
}

export function reviewMail(accountId: string, to: string, dueAt: Date): MailMessage {
  return { accountId, to, template: 'learning.under-review', subject: 'Laporan kelulusan sedang ditinjau / Completion being reviewed', text: `Laporan kelulusan Anda sedang ditinjau oleh manajemen pelaksana; perkiraan selesai ${formatDateTime('id', dueAt)}. Anda tidak perlu melakukan apa-apa.`, link: '/pelatihan-saya' }
}
