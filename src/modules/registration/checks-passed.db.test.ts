/**
 * accounts.checks_passed (decision 0015): kept by a trigger on registration_checks, so every
 * writer of a check keeps it right — the check jobs (appendCheck), a new round when a profile
 * is saved again or the helpdesk re-runs the checks (queued rows of a higher round), and rows
 * written directly. The draw reads only this flag. The end-to-end paths through the real jobs
 * are asserted in checks.db.test.ts.
 */
import crypto from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { transaction } from '../../platform/db/database.ts'
import { insertAccountIfAbsent } from '../accounts/index.ts'
import { appendCheck } from './checks.repository.ts'
import { CHECK_KINDS, type CheckKind, type CheckOutcome } from './checks.tables.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await openTestDatabase()
}, 300_000)
afterAll(async () => {
  await database?.dispose()
})

const db = () => database.db
async function account(): Promise<string> {
  const id = await insertAccountIfAbsent(db(), { email: `cek-${crypto.randomBytes(4).toString('hex')}@example.id`, phone: null, displayName: 'Uji', passwordHash: null, role: 'participant' })
  return id!
}
const append = (accountId: string, round: number, kind: CheckKind, outcome: CheckOutcome) =>
  appendCheck(db(), { account_id: accountId, round, kind, attempt: outcome === 'queued' ? 0 : 1, outcome, details: {}, at: new Date() })
async function round(accountId: string, n: number, outcomes: Partial<Record<CheckKind, CheckOutcome>>) {
  for (const kind of CHECK_KINDS) await append(accountId, n, kind, 'queued')
  for (const kind of CHECK_KINDS) if (outcomes[kind]) await append(accountId, n, kind, outcomes[kind]!)
}
async function flag(accountId: string): Promise<boolean> {
  const r = await db().selectFrom('accounts').select('checks_passed').where('id', '=', accountId).executeTakeFirstOrThrow()
  return r.checks_passed
}

describe('accounts.checks_passed', () => {
  it('is false until all three checks of the round have passed, then true', async () => {
    const id = await account()
    expect(await flag(id)).toBe(false)
    await round(id, 1, {})
    expect(await flag(id)).toBe(false)
    await append(id, 1, 'civil_registry', 'passed')
    await append(id, 1, 'education', 'unavailable')
    await append(id, 1, 'exclusions', 'passed')
    expect(await flag(id)).toBe(false)
    await append(id, 1, 'education', 'passed')
    expect(await flag(id)).toBe(true)
    // A second settled outcome of the same check is refused (one per check and round): still true.
    expect(await append(id, 1, 'education', 'failed')).toBe(false)
    expect(await flag(id)).toBe(true)
  })

  it('is false when a check failed or gave up', async () => {
    const failed = await account()
    await round(failed, 1, { civil_registry: 'passed', education: 'failed', exclusions: 'passed' })
    expect(await flag(failed)).toBe(false)
    const gaveUp = await account()
    await round(gaveUp, 1, { civil_registry: 'passed', education: 'passed' })
    await append(gaveUp, 1, 'exclusions', 'unavailable')
    await append(gaveUp, 1, 'exclusions', 'gave_up')
    expect(await flag(gaveUp)).toBe(false)
  })

  it('follows the newest round: a new round clears it until that round passes, and passing a failed round again sets it', async () => {
    const id = await account()
    await round(id, 1, { civil_registry: 'passed', education: 'passed', exclusions: 'passed' })
    expect(await flag(id)).toBe(true)
    // The profile saved again (or the helpdesk re-runs the checks): round 2 is queued.
    await round(id, 2, {})
    expect(await flag(id)).toBe(false)
    await append(id, 2, 'civil_registry', 'failed')
    await append(id, 2, 'education', 'passed')
    await append(id, 2, 'exclusions', 'passed')
    expect(await flag(id)).toBe(false)
    // A late outcome of the older round changes nothing.
    const late = await account()
    await round(late, 1, { civil_registry: 'passed', education: 'passed' })
    await round(late, 2, { civil_registry: 'passed', education: 'passed', exclusions: 'passed' })
    expect(await flag(late)).toBe(true)
    await append(late, 1, 'exclusions', 'failed')
    expect(await flag(late)).toBe(true)
    // Round 3 after the failed round 2 passes.
    await round(id, 3, { civil_registry: 'passed', education: 'passed', exclusions: 'passed' })
    expect(await flag(id)).toBe(true)
  })

  it('is kept for rows written directly, several in one statement', async () => {
    const id = await account()
    await db()
      .insertInto('registration_checks')
      .values(CHECK_KINDS.map((kind) => ({ account_id: id, round: 1, kind, attempt: 1, outcome: 'passed' as const, details: '{}', at: new Date() })))
      .execute()
    expect(await flag(id)).toBe(true)
  })

  it('is right when the three checks settle at the same time in separate transactions', async () => {
    const id = await account()
    await round(id, 1, {})
    // Each transaction writes its check, then stays open a moment, so (on PostgreSQL, with a
    // connection each) none of them sees the others' rows when it writes. The last to commit
    // must still find all three passed.
    await Promise.all(
      CHECK_KINDS.map((kind) =>
        transaction(db(), async (trx) => {
          await appendCheck(trx, { account_id: id, round: 1, kind, attempt: 1, outcome: 'passed', details: {}, at: new Date() })
          await sql`select pg_sleep(0.2)`.execute(trx)
        }),
      ),
    )
    expect(await flag(id)).toBe(true)
  })
})
