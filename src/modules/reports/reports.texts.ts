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
}

/** `civil_registry:mismatch` → "Dukcapil: data tidak cocok"; unknown codes are shown as they are. */
export function reasonName(reason: string, l: 'id' | 'en'): string {
  if (reason === '') return '–'
  return reason
    .split(':')
    .map((p) => REASONS[p]?.[l] ?? p.replace(/_/g, ' '))
    .join(': ')
}
