import type { ColumnType } from 'kysely'

export type PartnerKind = 'platform' | 'provider'

export interface PartnersTable {
  code: string
  kind: PartnerKind
  name: string
  status: ColumnType<'active' | 'suspended', 'active' | 'suspended' | undefined, 'active' | 'suspended'>
  legacy_allowed: ColumnType<boolean, boolean | undefined, boolean>
  contact_email: string | null
  /** The platform's page for a course, `{id}` replaced by Karya's course id. */
  course_url_template: ColumnType<string | null, string | null | undefined, string | null>
  created_by: string | null
  created_at: Date
}

export interface PartnerCredentialsTable {
  id: ColumnType<string, string | undefined, never>
  partner_code: string
  client_code: string
  secret_sealed: string
  created_at: Date
  created_by: string | null
  retires_at: Date | null
  revoked_at: Date | null
}

export interface PartnerNoncesTable {
  client_code: string
  nonce: string
  seen_at: Date
}

export interface PartnerAffiliationsTable {
  platform_code: string
  provider_code: string
  note: string
  created_at: Date
}

export interface PartnersTables {
  partners: PartnersTable
  partner_credentials: PartnerCredentialsTable
  partner_nonces: PartnerNoncesTable
  partner_affiliations: PartnerAffiliationsTable
}
