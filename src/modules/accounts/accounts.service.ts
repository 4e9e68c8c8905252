import { AppError } from '../../platform/errors.ts'
import type { Db } from '../../platform/db/database.ts'
import { findAccountByEmail } from './accounts.repository.ts'
import { verifyPassword } from './passwords.ts'
import type { Role } from './accounts.tables.ts'

export interface AuthenticatedAccount {
  id: string
  role: Role
  displayName: string
}

/** Checks e-mail and password; the same refusal whether the e-mail or the password was wrong. */
export async function authenticate(db: Db, email: string, password: string): Promise<AuthenticatedAccount> {
  const account = await findAccountByEmail(db, email)
  const ok = await verifyPassword(account?.password_hash ?? null, password)
  if (!account || !ok) throw new AppError('INVALID_CREDENTIALS')
  if (account.status === 'frozen') throw new AppError('ACCOUNT_FROZEN')
  if (account.status !== 'active') throw new AppError('INVALID_CREDENTIALS')
  return { id: account.id, role: account.role, displayName: account.display_name }
}

/** Only a path on this site may be a post-login destination (no open redirect). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  if (next.length > 500 || /[\r\n]/.test(next)) return null
  return next
}
