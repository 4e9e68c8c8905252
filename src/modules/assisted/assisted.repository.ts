/** All SQL of assisted registration. Reads join the account for the name and contact shown to the officer. */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { ConsentMethod } from './assisted.tables.ts'

export async function insertRegistration(
  db: Executor,
  r: { accountId: string; reference: string; regionCode: string; registeredBy: string; consentAt: Date; consentMethod: ConsentMethod; consentVersion: string },
): Promise<boolean> {
  const row = await db
    .insertInto('assisted_registrations')
    .values({
      account_id: r.accountId,
      reference: r.reference,
      region_code: r.regionCode,
      registered_by: r.registeredBy,
      consent_at: r.consentAt,
      consent_method: r.consentMethod,
      consent_version: r.consentVersion,
      created_at: r.consentAt,
    })
    // A reference already taken (a 1 in 10^11 draw) leaves no row: the caller draws again.
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('account_id')
    .executeTakeFirst()
  return row !== undefined
}

function withAccount(db: Executor) {
  return db
    .selectFrom('assisted_registrations as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .innerJoin('accounts as o', 'o.id', 'r.registered_by')
    .select([
      'r.account_id',
      'r.reference',
      'r.region_code',
      'r.registered_by',
      'r.consent_at',
      'r.consent_method',
      'r.consent_version',
      'r.created_at',
      'r.activated_at',
      'r.activated_via',
      'a.display_name',
      'a.email',
      'a.phone',
      'a.phone_verified_at',
      'a.email_verified_at',
      'a.status',
      sql<boolean>`a.password_hash is not null`.as('has_password'),
      'o.display_name as officer_name',
    ])
}

export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof findRegistration>>>

export async function findRegistration(db: Executor, accountId: string) {
  return withAccount(db).where('r.account_id', '=', accountId).executeTakeFirst()
}

export async function findRegistrationByReference(db: Executor, reference: string) {
  return withAccount(db).where('r.reference', '=', reference).executeTakeFirst()
}

export async function findRegistrationByPhone(db: Executor, phone: string) {
  return withAccount(db).where('a.phone', '=', phone).executeTakeFirst()
}

/** Locks the registration so an activation and an officer's edit cannot interleave. */
export async function lockRegistration(db: Executor, accountId: string) {
  return db.selectFrom('assisted_registrations').select(['account_id', 'activated_at']).where('account_id', '=', accountId).forUpdate().executeTakeFirst()
}

export async function listRegistrations(db: Executor, regionCode: string, limit: number) {
  return withAccount(db).where('r.region_code', '=', regionCode).orderBy('r.created_at', 'desc').limit(limit).execute()
}

export async function markActivated(db: Executor, accountId: string, via: 'activation_code' | 'sms', at: Date): Promise<boolean> {
  const r = await db
    .updateTable('assisted_registrations')
    .set({ activated_at: at, activated_via: via })
    .where('account_id', '=', accountId)
    .where('activated_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function insertActivationCode(
  db: Executor,
  c: { id: string; accountId: string; codeHash: string; issuedBy: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('assisted_activation_codes')
    .values({ id: c.id, account_id: c.accountId, code_hash: c.codeHash, issued_by: c.issuedBy, created_at: c.createdAt, expires_at: c.expiresAt })
    .execute()
}

export async function activationCodeTimes(db: Executor, accountId: string, since: Date): Promise<Date[]> {
  const rows = await db.selectFrom('assisted_activation_codes').select('created_at').where('account_id', '=', accountId).where('created_at', '>', since).execute()
  return rows.map((r) => r.created_at)
}

/** Only the newest code printed counts: a new slip replaces the old one. Locked against a double use. */
export async function latestActivationCode(db: Executor, accountId: string) {
  return db
    .selectFrom('assisted_activation_codes')
    .select(['id', 'code_hash', 'attempts', 'expires_at', 'consumed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
}

export async function countActivationAttempt(db: Executor, id: string): Promise<void> {
  await db.updateTable('assisted_activation_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute()
}

export async function consumeActivationCodes(db: Executor, accountId: string, at: Date): Promise<void> {
  await db.updateTable('assisted_activation_codes').set({ consumed_at: at }).where('account_id', '=', accountId).where('consumed_at', 'is', null).execute()
}
