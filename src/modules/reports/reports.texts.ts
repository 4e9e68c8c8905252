/** Names of the metrics and of their reasons, Indonesian first. */
import type { Text } from '../../platform/i18n/index.ts'

export const METRICS: Record<string, Text> = {
  registered: { id: 'Pendaftar baru', en: 'New registrations' },
  check_passed: { id: 'Pemeriksaan lolos', en: 'Checks passed' },
  check_failed: { id: 'Pemeriksaan gagal', en: 'Checks failed' },
  check_gave_up: { id: 'Pemeriksaan diserahkan ke PMO', en: 'Checks handed to PMO' },
  applied: { id: 'Ikut gelombang', en: 'Wave applications' },
  selected: { id: 'Terpilih', en: 'Selected' },
  not_selected: { id: 'Tidak terpilih', en: 'Not selected' },
  ineligible: { id: 'Tidak memenuhi syarat', en: 'Ineligible' },
  card_issued: { id: 'Kartu terbit', en: 'Cards issued' },
  revoked: { id: 'Kartu dicabut', en: 'Cards revoked' },
  bought: { id: 'Pelatihan dibeli', en: 'Courses bought' },
  completed: { id: 'Pelatihan selesai', en: 'Courses completed' },
  certified: { id: 'Sertifikat terbit', en: 'Certificates issued' },
  credited_rp: { id: 'Saldo pelatihan diberikan (Rp)', en: 'Training balance credited (Rp)' },
  forfeited_rp: { id: 'Saldo hangus (Rp)', en: 'Balance forfeited (Rp)' },
  returned_rp: { id: 'Dikembalikan ke dana program (Rp)', en: 'Returned to the programme fund (Rp)' },
  payout_scheduled: { id: 'Insentif dijadwalkan', en: 'Incentive payouts scheduled' },
  payout_sent: { id: 'Insentif dikirim', en: 'Incentive payouts sent' },
  payout_paid: { id: 'Insentif diterima', en: 'Incentive payouts paid' },
  payout_failed: { id: 'Pengiriman insentif gagal', en: 'Incentive payouts failed' },
  scheduled_rp: { id: 'Insentif dijadwalkan (Rp)', en: 'Incentives scheduled (Rp)' },
  paid_rp: { id: 'Insentif dibayar (Rp)', en: 'Incentives paid (Rp)' },
  cancelled_rp: { id: 'Insentif dibatalkan (Rp)', en: 'Incentives cancelled (Rp)' },
  outstanding_rp: { id: 'Insentif belum dibayar (Rp)', en: 'Incentives outstanding (Rp)' },
  complaint_opened: { id: 'Pengaduan masuk', en: 'Complaints opened' },
  complaint_closed: { id: 'Pengaduan ditutup', en: 'Complaints closed' },
  first_response_min: { id: 'Jumlah menit sampai jawaban pertama', en: 'Minutes to first response (sum)' },
  first_response_n: { id: 'Pengaduan yang sudah dijawab', en: 'Complaints answered' },
  resolution_min: { id: 'Jumlah menit sampai selesai', en: 'Minutes to resolution (sum)' },
  resolution_n: { id: 'Pengaduan selesai', en: 'Complaints resolved' },
  csat_sum: { id: 'Jumlah skor kepuasan', en: 'Satisfaction scores (sum)' },
  csat_n: { id: 'Penilaian kepuasan', en: 'Satisfaction ratings' },
}

/** Complaint channels, kept in the facts' `reason` column. */
export const CHANNEL_NAMES: Record<string, Text> = {
  web: { id: 'Situs web', en: 'Website' },
  email: { id: 'E-mail', en: 'E-mail' },
  chat: { id: 'Obrolan', en: 'Chat' },
  phone: { id: 'Telepon', en: 'Phone' },
}

export function channelName(channel: string, l: 'id' | 'en'): string {
  return CHANNEL_NAMES[channel]?.[l] ?? channel
}

export function metricName(metric: string, l: 'id' | 'en'): string {
  return METRICS[metric]?.[l] ?? metric
}

const REASONS: Record<string, Text> = {
  civil_registry: { id: 'Dukcapil', en: 'Civil registry' },
  education: { id: 'Pendidikan formal', en: 'Formal education' },
  exclusions: { id: 'Daftar pengecualian', en: 'Exclusion lists' },
  nik_not_found: { id: 'NIK tidak ditemukan', en: 'NIK not found' },
  mismatch: { id: 'data tidak cocok', en: 'data do not match' },
  deceased: { id: 'tercatat meninggal', en: 'recorded as deceased' },
  enrolled: { id: 'masih sekolah/kuliah', en: 'still enrolled' },
  declared_in_education: { id: 'menyatakan masih sekolah', en: 'declared in education' },
  excluded: { id: 'ada di daftar pengecualian', en: 'on an exclusion list' },
  unknown: { id: 'alasan tidak tercatat', en: 'reason not recorded' },
  account_closed: { id: 'rekening ditutup', en: 'account closed' },
  name_mismatch: { id: 'nama pemilik tidak cocok', en: 'holder name does not match' },
  limit_exceeded: { id: 'melebihi batas', en: 'limit exceeded' },
  account_unknown: { id: 'rekening tidak dikenal', en: 'account unknown' },
}

/** `civil_registry:mismatch` → "Dukcapil: data tidak cocok"; unknown codes are shown as they are. */
export function reasonName(reason: string, l: 'id' | 'en'): string {
  if (reason === '') return '–'
  return reason
    .split(':')
    .map((p) => REASONS[p]?.[l] ?? p.replace(/_/g, ' '))
    .join(': ')
}
