import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { Role } from './accounts.tables.ts'

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
