import type { ColumnType, Generated } from 'kysely'

export const ROLES = ['participant', 'officer', 'agent', 'supervisor', 'pmo_admin', 'auditor', 'platform', 'provider'] as const
export type Role = (typeof ROLES)[number]
export type AccountStatus = 'pending' | 'active' | 'frozen' | 'closed'

export interface AccountsTable {
  id: Generated<string>
  email: string | null
  phone: string | null
  display_name: string
  password_hash: string | null
  role: Role
  region_code: string | null
  partner_code: string | null
  locale: Generated<'id' | 'en'>
  status: Generated<AccountStatus>
  created_at: ColumnType<Date, Date | string | undefined, never>
}

export interface AccountsTables {
  accounts: AccountsTable
}
