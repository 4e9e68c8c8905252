import type { ColumnType, Generated } from 'kysely'

/**
 * unproven: the new contact has not typed its code yet; queued: proven and matching a profile,
 * waiting for an agent; unmatched: proven but matching no profile (never queued);
 * approved / rejected: decided once.
 */
export type ReverificationStatus = 'unproven' | 'queued' | 'unmatched' | 'approved' | 'rejected'

export interface ReverificationRequestsTable {
  id: Generated<string>
  token_hash: string
  status: Generated<ReverificationStatus>
  account_id: string | null
  nik_matched: boolean
  kk_matched: boolean
  dob_matched: boolean
  new_email: string | null
  new_phone: string | null
  email_code_hash: string | null
  phone_code_hash: string | null
  code_attempts: Generated<number>
  code_expires_at: Date
  selfie_key: string
  selfie_format: string
  selfie_checks: ColumnType<Record<string, unknown>, string, string>
  face_score: number | null
  ip: string | null
  created_at: Date
  proven_at: Date | null
  decided_at: Date | null
  decided_by: string | null
  decision_reason: string | null
}

export interface ReverificationCodeSendsTable {
  id: Generated<string>
  sent_to: string
  sent_at: Date
}

export interface ReverificationTables {
  reverification_requests: ReverificationRequestsTable
  reverification_code_sends: ReverificationCodeSendsTable
}
