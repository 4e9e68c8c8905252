import type { Generated } from 'kysely'

export const CORRECTABLE = ['nama', 'tanggal_lahir', 'nik', 'kk', 'alamat', 'email', 'nomor_hp', 'lainnya'] as const
export type CorrectableField = (typeof CORRECTABLE)[number]

export interface DataCorrectionRequestsTable {
  id: Generated<string>
  account_id: string
  field: CorrectableField
  requested_value: string
  reason: string | null
  status: Generated<'received' | 'in_review' | 'corrected' | 'refused'>
  answer: string | null
  created_at: Date
  answered_at: Date | null
}

export interface PrivacyTables {
  data_correction_requests: DataCorrectionRequestsTable
}
