import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { AccountStatus, Role } from './accounts.tables.ts'

export async function findAccountByEmail(db: Executor, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name', 'password_hash', 'role', 'status', 'locale'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst()
}

export async function findAccountById(db: Executor, id: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'phone', 'display_name', 'role', 'status', 'locale', 'region_code', 'partner_code', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export interface NewAccount {
  email: string | null
  phone: string | null
  displayName: string
  passwordHash: string | null
  role: Role
  regionCode?: string | null
  partnerCode?: string | null
  /** Already verified e-mail and phone (demo data, assisted registration). */
  verifiedAt?: Date | null
}

/** Inserts unless the e-mail is taken; returns the new id, or null when it already existed. */
export async function insertAccountIfAbsent(db: Executor, a: NewAccount): Promise<string | null> {
  const row = await db
    .insertInto('accounts')
    .values({
      email: a.email,
      phone: a.phone,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      role: a.role,
      region_code: a.regionCode ?? null,
      partner_code: a.partnerCode ?? null,
      email_verified_at: a.verifiedAt && a.email ? a.verifiedAt : null,
      phone_verified_at: a.verifiedAt && a.phone ? a.verifiedAt : null,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).where('email', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

export async function countAccountsByRole(db: Executor): Promise<Array<{ role: Role; count: number }>> {
  const rows = await db
    .selectFrom('accounts')
    .select(['role', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('role')
    .orderBy('role')
    .execute()
  return rows.map((r) => ({ role: r.role, count: Number(r.count) }))
}

export async function findAccountByPhone(db: Executor, phone: string) {
  return db.selectFrom('accounts').select(['id', 'status']).where('phone', '=', phone).executeTakeFirst()
}

/** Whether the e-mail (case-insensitively) and the phone are on an account already: one query for both. */
export async function findTakenContact(db: Executor, email: string, phone: string): Promise<{ email: boolean; phone: boolean }> {
  const lower = email.trim().toLowerCase()
  const rows = await db
    .selectFrom('accounts')
    .select((eb) => [eb.fn<string>('lower', ['email']).as('email'), 'phone'])
    .where((eb) => eb.or([eb(eb.fn('lower', ['email']), '=', lower), eb('phone', '=', phone)]))
    .execute()
  return { email: rows.some((r) => r.email === lower), phone: rows.some((r) => r.phone === phone) }
}

export async function findAccountForLogin(db: Executor, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'phone', 'display_name', 'password_hash', 'role', 'status', 'phone_verified_at', 'email_verified_at', 'failed_logins', 'locked_until'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst()
}

export async function findVerificationState(db: Executor, id: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'phone', 'display_name', 'status', 'email_verified_at', 'phone_verified_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertPendingParticipant(
  db: Executor,
  a: { email: string; phone: string; displayName: string; passwordHash: string },
): Promise<string> {
  const row = await db
    .insertInto('accounts')
    .values({ email: a.email, phone: a.phone, display_name: a.displayName, password_hash: a.passwordHash, role: 'participant', status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function setVerified(db: Executor, id: string, what: 'email' | 'phone', at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set(what === 'email' ? { email_verified_at: at } : { phone_verified_at: at })
    .where('id', '=', id)
    .execute()
}

/** A pending account becomes active once both its e-mail and phone are verified. */
export async function activateIfVerified(db: Executor, id: string): Promise<boolean> {
  const r = await db
    .updateTable('accounts')
    .set({ status: 'active' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('email_verified_at', 'is not', null)
    .where('phone_verified_at', 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * A sign-up code accepted, in one statement: every open code of the purpose consumed, the
 * address marked verified, and a pending account activated once both are (as `setVerified`
 * then `activateIfVerified`). Returns the account's status afterwards.
 */
export async function verifyContact(db: Executor, id: string, what: 'email' | 'phone', at: Date): Promise<AccountStatus | null> {
  const other = sql.ref(what === 'email' ? 'phone_verified_at' : 'email_verified_at')
  const row = await db
    .with('consumed', (q) =>
      q
        .updateTable('verification_codes')
        .set({ consumed_at: at })
        .where('account_id', '=', id)
        .where('purpose', '=', what === 'email' ? 'email_verify' : 'phone_verify')
        .where('consumed_at', 'is', null),
    )
    .updateTable('accounts')
    .set({
      ...(what === 'email' ? { email_verified_at: at } : { phone_verified_at: at }),
      status: sql<AccountStatus>`case when status = 'pending' and ${other} is not null then 'active' else status end`,
    })
    .where('id', '=', id)
    .returning('status')
    .executeTakeFirst()
  return row?.status ?? null
}

/** Cancels a pending sign-up and frees its e-mail and phone for their real owner. */
export async function cancelPendingAccount(db: Executor, id: string): Promise<{ email: string | null; phone: string | null } | null> {
  const row = await db
    .updateTable('accounts')
    .set({ status: 'closed', email: null, phone: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id'])
    .executeTakeFirst()
  return row ? { email: null, phone: null } : null
}

/**
 * Freezes an account for an integrity review: log-in, every signed-in page, purchases and
 * payouts refuse a frozen account. Returns the status it had (null: no such account, or
 * closed); an account already frozen stays frozen and returns 'frozen'.
 */
export async function freezeAccount(db: Executor, id: string): Promise<AccountStatus | null> {
  const row = await db.selectFrom('accounts').select('status').where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row || row.status === 'closed') return null
  if (row.status !== 'frozen') await db.updateTable('accounts').set({ status: 'frozen' }).where('id', '=', id).execute()
  return row.status
}

/** Lifts a freeze, giving back the status the account had; only a frozen account changes. */
export async function unfreezeAccount(db: Executor, id: string, restore: 'pending' | 'active'): Promise<boolean> {
  const r = await db.updateTable('accounts').set({ status: restore }).where('id', '=', id).where('status', '=', 'frozen').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function recordLoginFailure(db: Executor, id: string, lockAfter: number, lockUntil: Date): Promise<number> {
  const row = await db
    .updateTable('accounts')
    .set((eb) => ({
      failed_logins: eb('failed_logins', '+', 1),
      locked_until: eb.case().when('failed_logins', '>=', lockAfter - 1).then(lockUntil).else(eb.ref('locked_until')).end(),
    }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow()
  return row.failed_logins
}

export async function resetLoginFailures(db: Executor, id: string): Promise<void> {
  await db.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).where('failed_logins', '>', 0).execute()
}

export async function setPassword(db: Executor, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null }).where('id', '=', id).execute()
}

export async function setEmail(db: Executor, id: string, email: string, verifiedAt: Date): Promise<void> {
  await db.updateTable('accounts').set({ email, email_verified_at: verifiedAt }).where('id', '=', id).execute()
}

export async function insertContactChange(
  db: Executor,
  c: { accountId: string; kind: 'email' | 'phone'; oldValue: string | null; newValue: string; cancelTokenHash: string; requestedAt: Date; effectiveAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('contact_changes')
    .values({
      account_id: c.accountId,
      kind: c.kind,
      old_value: c.oldValue,
      new_value: c.newValue,
      cancel_token_hash: c.cancelTokenHash,
      requested_at: c.requestedAt,
      effective_at: c.effectiveAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function openContactChange(db: Executor, accountId: string) {
  return db
    .selectFrom('contact_changes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('cancelled_at', 'is', null)
    .where('applied_at', 'is', null)
    .orderBy('requested_at', 'desc')
    .executeTakeFirst()
}

export async function findContactChange(db: Executor, id: string) {
  return db.selectFrom('contact_changes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function findContactChangeByCancelToken(db: Executor, tokenHash: string) {
  return db.selectFrom('contact_changes').selectAll().where('cancel_token_hash', '=', tokenHash).forUpdate().executeTakeFirst()
}

export async function closeContactChange(db: Executor, id: string, how: { cancelledAt?: Date; appliedAt?: Date; note: string }): Promise<void> {
  await db
    .updateTable('contact_changes')
    .set({ cancelled_at: how.cancelledAt ?? null, applied_at: how.appliedAt ?? null, outcome_note: how.note })
    .where('id', '=', id)
    .execute()
}

export async function lastConsumedCodeTarget(db: Executor, accountId: string, purpose: 'email_change'): Promise<string | null> {
  const row = await db
    .selectFrom('verification_codes')
    .select('sent_to')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is not', null)
    .orderBy('consumed_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.sent_to ?? null
}

export async function setPhone(db: Executor, id: string, phone: string, verifiedAt: Date): Promise<void> {
  await db.updateTable('accounts').set({ phone, phone_verified_at: verifiedAt }).where('id', '=', id).execute()
}

/** Where the newest consumed code of any purpose was sent: the contact just proven. */
export async function consumedCodeTarget(db: Executor, accountId: string, purpose: 'email_change' | 'phone_change'): Promise<string | null> {
  const row = await db
    .selectFrom('verification_codes')
    .select('sent_to')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is not', null)
    .orderBy('consumed_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.sent_to ?? null
}

/** A participant registered by an officer: no password until the person activates the account. */
export async function insertAssistedParticipant(db: Executor, a: { email: string | null; phone: string | null; displayName: string }): Promise<string> {
  const row = await db
    .insertInto('accounts')
    .values({ email: a.email, phone: a.phone, display_name: a.displayName, password_hash: null, role: 'participant', status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The person takes over an assisted account: only one that never had a password. */
export async function activateWithPassword(db: Executor, id: string, passwordHash: string): Promise<boolean> {
  const r = await db
    .updateTable('accounts')
    .set({ password_hash: passwordHash, status: 'active', failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .where('password_hash', 'is', null)
    .where('status', 'in', ['pending', 'active'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

const LOGIN_COLUMNS = ['id', 'email', 'phone', 'display_name', 'password_hash', 'role', 'status', 'phone_verified_at', 'email_verified_at', 'failed_logins', 'locked_until'] as const

/** Log-in by phone number: only a verified one, since an unproven number may be someone else's. */
export async function findAccountForLoginByPhone(db: Executor, phone: string) {
  return db.selectFrom('accounts').select(LOGIN_COLUMNS).where('phone', '=', phone).where('phone_verified_at', 'is not', null).executeTakeFirst()
}

/** Log-in by the reference on an assisted-registration slip, for people with neither e-mail nor phone. */
export async function findAccountForLoginByReference(db: Executor, reference: string) {
  return db
    .selectFrom('accounts')
    .innerJoin('assisted_registrations as r', 'r.account_id', 'accounts.id')
    .select(LOGIN_COLUMNS.map((c) => `accounts.${c}` as const))
    .where('r.reference', '=', reference)
    .executeTakeFirst()
}

/** The programme's own staff roles (partners and participants are not staff). */
export const STAFF_ROLES = ['officer', 'agent', 'supervisor', 'pmo_admin', 'auditor'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

/** Staff accounts, optionally one role and a text found in the name or e-mail; newest first. */
export async function listStaff(db: Executor, f: { role?: StaffRole | null; text?: string | null; limit: number }) {
  let q = db.selectFrom('accounts').select(['id', 'display_name', 'email', 'role', 'region_code', 'status', 'created_at']).where('role', 'in', [...STAFF_ROLES])
  if (f.role) q = q.where('role', '=', f.role)
  if (f.text) {
    const like = `%${f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['display_name']), 'like', like), eb(eb.fn('lower', ['email']), 'like', like)]))
  }
  return q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute()
}

/** Disables (closed) or enables (active) a staff account; partners' and participants' accounts are not touched. */
export async function setStaffEnabled(db: Executor, id: string, enabled: boolean): Promise<boolean> {
  const r = await db
    .updateTable('accounts')
    .set({ status: enabled ? 'active' : 'closed' })
    .where('id', '=', id)
    .where('role', 'in', [...STAFF_ROLES])
    .where('status', '=', enabled ? 'closed' : 'active')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
