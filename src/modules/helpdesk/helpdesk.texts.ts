/** Words the helpdesk pages share: categories, channels, states and SLA states. */
import type { Text } from '../../platform/i18n/index.ts'
import type { Category, Channel, TicketState } from './helpdesk.tables.ts'
import type { SlaState } from './sla.ts'

export const CATEGORY: Record<Category, Text> = {
  registration: { id: 'Pendaftaran dan akun', en: 'Registration and account' },
  verification: { id: 'Verifikasi data diri', en: 'Identity verification' },
  wave: { id: 'Gelombang dan seleksi', en: 'Waves and the draw' },
  purchase: { id: 'Pembelian pelatihan dan voucher', en: 'Course purchase and voucher' },
  certificate: { id: 'Sertifikat dan kelulusan', en: 'Certificate and completion' },
  incentive: { id: 'Insentif', en: 'Incentive' },
  other: { id: 'Lainnya', en: 'Other' },
}

export const CHANNEL: Record<Channel, Text> = {
  web: { id: 'Formulir web', en: 'Web form' },
  email: { id: 'E-mail', en: 'E-mail' },
  chat: { id: 'Obrolan', en: 'Chat' },
  phone: { id: 'Telepon', en: 'Phone' },
}

export const STATE: Record<TicketState, Text> = {
  new: { id: 'Baru, menunggu petugas', en: 'New, waiting for an agent' },
  open: { id: 'Sedang ditangani', en: 'Being handled' },
  waiting_participant: { id: 'Menunggu jawaban Anda', en: 'Waiting for your reply' },
  waiting_partner: { id: 'Diteruskan ke mitra', en: 'Handed to a partner' },
  resolved: { id: 'Selesai', en: 'Resolved' },
  closed: { id: 'Ditutup', en: 'Closed' },
  merged: { id: 'Digabung ke pengaduan lain', en: 'Merged into another complaint' },
}

export const SLA: Record<SlaState, Text> = {
  ok: { id: 'sesuai jadwal', en: 'on time' },
  at_risk: { id: 'hampir lewat', en: 'at risk' },
  breached: { id: 'LEWAT BATAS', en: 'BREACHED' },
  met: { id: 'terpenuhi', en: 'met' },
}

export const HIDDEN: Text = { id: 'Pesan ini disembunyikan oleh supervisor karena isinya melanggar aturan. Isinya tetap tersimpan.', en: 'This message was hidden by a supervisor because of abusive content. It is still kept.' }
