import type { ColumnType, Generated } from 'kysely'
import type { RegistrationChecksTables } from './checks.tables.ts'

export const STEPS = ['identitas', 'keluarga', 'alamat', 'pendidikan'] as const
export type Step = (typeof STEPS)[number]

export interface RegistrationProfilesTable {
  account_id: string
  nik_sealed: string | null
  nik_hash: string | null
  /** `YYYY-MM-DD`; read back as text so no time zone can move the day. */
  birth_date: string | null
  sex: 'F' | 'M' | null
  kk_sealed: string | null
  kk_hash: string | null
  full_name: string | null
  address_line: string | null
  rt: string | null
  rw: string | null
  province_code: string | null
  regency_code: string | null
  district_code: string | null
  education: string | null
  employment_status: string | null
  in_formal_education: boolean | null
  drafts: ColumnType<Partial<Record<Step, Record<string, string>>>, string | undefined, string>
  steps_done: ColumnType<Step[], Step[] | undefined, Step[]>
  completed_at: Date | null
  created_at: Date
  updated_at: Date
}

export interface RegistrationStepHistoryTable {
  id: Generated<number>
  account_id: string
  step: Step
  data: ColumnType<Record<string, unknown>, string, never>
  at: Date
}

export interface RegistrationTables extends RegistrationChecksTables {
  registration_profiles: RegistrationProfilesTable
  registration_step_history: RegistrationStepHistoryTable
}
