import { AppError } from '../../platform/errors.ts'
import { transaction, type Db } from '../../platform/db/database.ts'
import type { Role, AccountStatus } from './accounts.tables.ts'
import * as accounts from './accounts.repository.ts'
import * as codes from './codes.repository.ts'
import { verifyPassword } from './passwords.ts'
import { normalisePhone } from './contact.ts'
import type { SignupDeps } from './signup.service.ts'

/** NIST SP 800-63B: no more than 100 consecutive failures on one account. */
export const ACCOUNT_FAILURE_LIMIT = 100
export const ACCOUNT_LOCK_MS = 24 * 3_600_000
/** Failures from one address in the window before it must wait; successes never count. */
export const IP_FAILURE_LIMIT = 50
export const IP_WINDOW_MS = 15 * 60_000

export interface PasswordLogin {
  id: string
  role: Role
  displayName: string
  status: AccountStatus
  /** Password accepted; an SMS code to the verified phone is still owed. */
  needsCode: boolean
}

/** Checks e-mail (or phone, or slip reference) and password; the same refusal whichever was wrong. */
export async function passwordLogin(deps: SignupDeps, email: string, password: string, ip: string): Promise<PasswordLogin> {
  const now = deps.clock.now()
  const fromIp = await codes.countIpFailures(deps.db, ip, new Date(now.getTime() - IP_WINDOW_MS))
  if (fromIp.count >= IP_FAILURE_LIMIT) {
    const retryAt = (fromIp.oldest?.getTime() ?? now.getTime()) + IP_WINDOW_MS
    throw new AppError('RATE_LIMITED', { headers: { 'retry-after': String(Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000))) } })
  }
  const account = await findLoginAccount(deps.db, email)
  if (account?.locked_until && account.locked_until > now) throw new AppError('ACCOUNT_LOCKED')
  const ok = await verifyPassword(account?.password_hash ?? null, password)
  if (!account || !ok || account.status === 'closed') {
    // Counted and committed before the refusal, so retrying cannot reset the count.
    await transaction(deps.db, async (trx) => {
      await codes.insertAuthFailure(trx, { ip, accountId: account?.id ?? null, kind: 'password', at: now })
      if (account) await accounts.recordLoginFailure(trx, account.id, ACCOUNT_FAILURE_LIMIT, new Date(now.getTime() + ACCOUNT_LOCK_MS))
    })
    throw new AppError('INVALID_CREDENTIALS')
  }
  if (account.status === 'frozen') throw new AppError('ACCOUNT_FROZEN')
  await accounts.resetLoginFailures(deps.db, account.id)
  return {
    id: account.id,
    role: account.role,
    displayName: account.display_name,
    status: account.status,
    needsCode: account.status === 'active' && account.phone !== null && account.phone_verified_at !== null,
  }
}

/** Only a path on this site may be a post-login destination (no open redirect). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  if (next.length > 500 || /[\r\n]/.test(next)) return null
  return next
}

/**
 * What the person typed in the log-in box: an e-mail (has an @), an Indonesian mobile number
 * (verified ones only), or the account reference printed on an assisted-registration slip
 * (KRY-XXXX-XXXX) for someone with neither e-mail nor phone.
 */
export async function findLoginAccount(db: Db, identifier: string) {
  const typed = identifier.trim()
  if (typed.includes('@')) return accounts.findAccountForLogin(db, typed)
  const phone = normalisePhone(typed)
  if (phone.ok) return accounts.findAccountForLoginByPhone(db, phone.phone)
  const reference = typed.replace(/[\s.-]/g, '').toUpperCase()
  if (/^KRY[A-Z0-9]{8}$/.test(reference)) return accounts.findAccountForLoginByReference(db, reference)
  return undefined
}
