import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase, onPostgres, type TestDatabase } from '../../../test/db.ts'
import { fixedClock } from '../clock.ts'
import { transaction, type Db } from '../db/database.ts'
import { entryHash, GENESIS_HASH, record, searchAudit, verifyChain } from './index.ts'

const AGENT = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b'
const OFFICER = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d'

let tdb: TestDatabase
let db: Db

// One database for the file (opening one is slow); each test starts from an empty log.
beforeAll(async () => {
  tdb = await openTestDatabase()
  db = tdb.db
})
afterAll(async () => {
  await tdb?.dispose()
})
beforeEach(async () => {
  await sql`alter table audit_log disable trigger user`.execute(db)
  await sql`delete from audit_log`.execute(db)
  await sql`alter table audit_log enable trigger user`.execute(db)
})

/** Edits the log the way an attacker with table-owner rights could, past the trigger. */
async function tamper(fn: (db: Db) => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db)
  try {
    await fn(db)
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db)
  }
}

async function fill(n: number): Promise<void> {
  const clock = fixedClock(new Date('2026-11-24T08:00:00.123Z'))
  for (let i = 1; i <= n; i++) {
    await transaction(db, (trx) =>
      record(
        trx,
        { actorId: AGENT, actorRole: 'agent', action: 'ticket.note', subjectType: 'ticket', subjectId: `T-${i}`, details: { i, z: 'last', a: { y: 1, b: [1, 2] } } },
        clock,
      ),
    )
    clock.advance(1001)
  }
}

describe('record', () => {
  it('chains each entry to the one before it and stores what it returns', async () => {
    const first = await transaction(db, (trx) =>
      record(trx, { actorId: AGENT.toUpperCase(), actorRole: 'agent', action: 'account.freeze', subjectType: 'account', subjectId: 'A1', details: { reason: 'fraud', when: new Date('2026-01-01T00:00:00Z') }, requestId: 'r1', ip: '10.1.1.1' }),
    )
    const second = await record(db, { action: 'system.start' })
    expect(first.seq).toBe(1)
    expect(first.prevHash).toBe(GENESIS_HASH)
    expect(first.actorId).toBe(AGENT)
    expect(first.details).toEqual({ reason: 'fraud', when: '2026-01-01T00:00:00.000Z' })
    expect(second.seq).toBe(2)
    expect(second.prevHash).toBe(first.hash)
    expect(second.actorId).toBeNull()

    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()
    expect(rows.map((r) => [Number(r.seq), r.prev_hash, r.hash])).toEqual([
      [1, GENESIS_HASH, first.hash],
      [2, first.hash, second.hash],
    ])
    expect(new Date(rows[0]!.at).getTime()).toBe(first.at.getTime())
    expect(entryHash(first.prevHash, first)).toBe(first.hash)
  })

  it('keeps millisecond timestamps and jsonb key re-ordering from breaking the hash', async () => {
    const clock = fixedClock(new Date('2026-11-24T08:00:00.999Z'))
    await record(db, { action: 'x', details: { zeta: 1, alpha: { longer_key: 2, k: 3 }, mid: [0.1, -5e-7, 1e21, 'é✓'] } }, clock)
    const report = await verifyChain(db)
    expect(report).toMatchObject({ ok: true, checked: 1, headSeq: 1, problems: [] })
  })

  it('leaves no entry when the transaction rolls back', async () => {
    await fill(2)
    await expect(
      transaction(db, async (trx) => {
        await record(trx, { action: 'card.revoke', subjectType: 'card', subjectId: 'C9' })
        throw new Error('the action failed')
      }),
    ).rejects.toThrow('the action failed')
    expect(await db.selectFrom('audit_log').select('seq').execute()).toHaveLength(2)
    const next = await record(db, { action: 'after.rollback' })
    expect(next.seq).toBe(3)
    expect((await verifyChain(db)).ok).toBe(true)
  })

  it('refuses an actor id that is not a UUID', async () => {
    await expect(record(db, { actorId: 'agent-7', action: 'x' })).rejects.toThrow(/UUID/)
  })

  it('appends 20 concurrent transactions into one gap-free chain', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transaction(db, async (trx) => {
          // Work before the append widens the window in which appenders overlap.
          await sql`select 1`.execute(trx)
          return record(trx, { actorId: AGENT, action: 'concurrent', subjectId: String(i) })
        }),
      ),
    )
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const report = await verifyChain(db, { batchSize: 7 })
    expect(report).toMatchObject({ ok: true, checked: 20, headSeq: 20, problems: [] })
  })
})

describe('the database itself', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await fill(2)
    await expect(db.updateTable('audit_log').set({ action: 'changed' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').where('seq', '=', 2).execute()).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/)
    expect(await db.selectFrom('audit_log').select('seq').execute()).toHaveLength(2)
  })
})

describe('verifyChain', () => {
  it('reports an untouched log as intact with its head', async () => {
    await fill(5)
    const head = await db.selectFrom('audit_log').select('hash').where('seq', '=', 5).executeTakeFirstOrThrow()
    expect(await verifyChain(db, { batchSize: 2 })).toEqual({ ok: true, checked: 5, headSeq: 5, headHash: head.hash, problems: [], moreProblems: 0 })
  })

  it('reports an empty log as intact with no head', async () => {
    expect(await verifyChain(db)).toMatchObject({ ok: true, checked: 0, headSeq: null, headHash: null })
  })

  it('finds a changed entry as a hash mismatch at its seq', async () => {
    await fill(5)
    await tamper((d) => sql`update audit_log set details = details || '{"i": 99}'::jsonb where seq = 3`.execute(d))
    const report = await verifyChain(db, { batchSize: 2 })
    expect(report.ok).toBe(false)
    expect(report.problems.map((p) => [p.seq, p.kind])).toEqual([[3, 'hash_mismatch']])
    expect(report.checked).toBe(5)
  })

  it('finds a changed entry whose hash was recomputed as a broken link at the next seq', async () => {
    await fill(4)
    await tamper(async (d) => {
      const row = await d.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow()
      const forged = { seq: 2, at: new Date(row.at), actorId: row.actor_id, actorRole: row.actor_role, action: 'nothing.happened', subjectType: row.subject_type, subjectId: row.subject_id, details: {}, requestId: row.request_id, ip: row.ip }
      await d.updateTable('audit_log').set({ action: forged.action, details: '{}', hash: entryHash(row.prev_hash, forged) }).where('seq', '=', 2).execute()
    })
    const report = await verifyChain(db)
    expect(report.problems.map((p) => [p.seq, p.kind])).toEqual([[3, 'broken_link']])
  })

  it('finds a deleted middle entry as a gap and a broken link', async () => {
    await fill(5)
    await tamper((d) => d.deleteFrom('audit_log').where('seq', '=', 3).execute())
    const report = await verifyChain(db)
    expect(report.ok).toBe(false)
    expect(report.checked).toBe(4)
    expect(report.problems.map((p) => [p.seq, p.kind])).toEqual([
      [4, 'gap'],
      [4, 'broken_link'],
    ])
    expect(report.problems[0]!.detail).toMatch(/expected seq 3, found 4/)
  })

  it('finds a deleted first entry', async () => {
    await fill(3)
    await tamper((d) => d.deleteFrom('audit_log').where('seq', '=', 1).execute())
    const kinds = (await verifyChain(db)).problems.map((p) => [p.seq, p.kind])
    expect(kinds).toEqual([
      [2, 'gap'],
      [2, 'broken_link'],
    ])
  })

  it('finds two entries swapped in order', async () => {
    await fill(4)
    await tamper(async (d) => {
      await d.updateTable('audit_log').set({ seq: 1000 }).where('seq', '=', 2).execute()
      await d.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute()
      await d.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 1000).execute()
    })
    const report = await verifyChain(db)
    const at = (seq: number) => report.problems.filter((p) => p.seq === seq).map((p) => p.kind).sort()
    expect(at(2)).toEqual(['broken_link', 'hash_mismatch'])
    expect(at(3)).toEqual(['broken_link', 'hash_mismatch'])
    expect(at(4)).toEqual(['broken_link'])
  })

  it('finds a forged entry inserted in the middle', async () => {
    await fill(4)
    await tamper(async (d) => {
      // Shift 3..4 up by one (via a high range, so the primary key never collides).
      await sql`update audit_log set seq = seq + 1000 where seq >= 3`.execute(d)
      await sql`update audit_log set seq = seq - 999 where seq >= 1000`.execute(d)
      const two = await d.selectFrom('audit_log').select('hash').where('seq', '=', 2).executeTakeFirstOrThrow()
      const forged = { seq: 3, at: new Date('2026-11-24T08:00:02.500Z'), actorId: OFFICER, actorRole: 'officer', action: 'card.issue', subjectType: 'card', subjectId: 'C-forged', details: {}, requestId: null, ip: null }
      await d
        .insertInto('audit_log')
        .values({ seq: 3, at: forged.at, actor_id: OFFICER, actor_role: 'officer', action: 'card.issue', subject_type: 'card', subject_id: 'C-forged', details: '{}', request_id: null, ip: null, prev_hash: two.hash, hash: entryHash(two.hash, forged) })
        .execute()
    })
    const report = await verifyChain(db)
    expect(report.ok).toBe(false)
    expect(report.checked).toBe(5)
    expect(report.problems.map((p) => [p.seq, p.kind])).toEqual([
      [4, 'broken_link'],
      [4, 'hash_mismatch'],
      [5, 'hash_mismatch'],
    ])
  })

  it('lists at most maxProblems and counts the rest', async () => {
    await fill(4)
    await tamper((d) => sql`update audit_log set action = 'rewritten'`.execute(d))
    const report = await verifyChain(db, { maxProblems: 2 })
    expect(report.problems).toHaveLength(2)
    expect(report.moreProblems).toBe(2)
    expect(report.ok).toBe(false)
  })
})

describe('searchAudit', () => {
  beforeEach(async () => {
    const clock = fixedClock(new Date('2026-11-20T00:00:00.000Z'))
    const add = async (e: Parameters<typeof record>[1]) => {
      await record(db, e, clock)
      clock.advance(24 * 3600_000)
    }
    await add({ actorId: AGENT, actorRole: 'agent', action: 'ticket.assign', subjectType: 'ticket', subjectId: 'T-100' }) // 20 Nov
    await add({ actorId: OFFICER, actorRole: 'officer', action: 'document.view', subjectType: 'participant', subjectId: 'P-7' }) // 21
    await add({ actorId: AGENT, actorRole: 'agent', action: 'ticket.close', subjectType: 'ticket', subjectId: 'T-100' }) // 22
    await add({ actorId: OFFICER, actorRole: 'officer', action: 'card.revoke', subjectType: 'card', subjectId: 'C_50%' }) // 23
    await add({ actorId: AGENT, actorRole: 'agent', action: 'ticket.assign', subjectType: 'ticket', subjectId: 'T-101' }) // 24
  })

  const seqs = async (...args: Parameters<typeof searchAudit> extends [unknown, ...infer R] ? R : never) =>
    (await searchAudit(db, ...args)).entries.map((e) => e.seq)

  it('lists newest first without filters', async () => {
    expect(await seqs({})).toEqual([5, 4, 3, 2, 1])
  })

  it('filters by actor, action and subject', async () => {
    expect(await seqs({ actorId: OFFICER })).toEqual([4, 2])
    expect(await seqs({ actorId: OFFICER.toUpperCase() })).toEqual([4, 2])
    expect(await seqs({ actorId: 'not-a-uuid' })).toEqual([])
    expect(await seqs({ action: 'ticket.assign' })).toEqual([5, 1])
    expect(await seqs({ subjectType: 'ticket', subjectId: 'T-100' })).toEqual([3, 1])
    expect(await seqs({ actorId: AGENT, action: 'ticket.close' })).toEqual([3])
  })

  it('filters by date range, from inclusive and to exclusive', async () => {
    expect(await seqs({ from: new Date('2026-11-21T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') })).toEqual([3, 2])
    expect(await seqs({ from: new Date('2026-11-23T00:00:00.001Z') })).toEqual([5])
  })

  it('searches free text in action and subject, case-insensitively, with wildcards taken literally', async () => {
    expect(await seqs({ text: 'TICKET' })).toEqual([5, 3, 1])
    expect(await seqs({ text: 'p-7' })).toEqual([2])
    expect(await seqs({ text: 'participant' })).toEqual([2])
    expect(await seqs({ text: '50%' })).toEqual([4])
    expect(await seqs({ text: '%' })).toEqual([4])
    expect(await seqs({ text: 'T_10' })).toEqual([])
  })

  it('pages by seq with a stable cursor', async () => {
    const p1 = await searchAudit(db, {}, { limit: 2 })
    expect(p1.entries.map((e) => e.seq)).toEqual([5, 4])
    expect(p1.nextBeforeSeq).toBe(4)
    await record(db, { action: 'appended.meanwhile' })
    const p2 = await searchAudit(db, {}, { limit: 2, beforeSeq: p1.nextBeforeSeq })
    expect(p2.entries.map((e) => e.seq)).toEqual([3, 2])
    const p3 = await searchAudit(db, {}, { limit: 2, beforeSeq: p2.nextBeforeSeq })
    expect(p3.entries.map((e) => e.seq)).toEqual([1])
    expect(p3.nextBeforeSeq).toBeNull()
  })
})

// Only PostgreSQL has a second connection to wait on the lock; PGlite serialises every query anyway.
describe.runIf(onPostgres)('on PostgreSQL', () => {
  it('makes a second appender wait for the first transaction to end', async () => {
    const order: string[] = []
    let releaseFirst!: () => void
    const held = new Promise<void>((r) => (releaseFirst = r))
    let firstRecorded!: () => void
    const recorded = new Promise<void>((r) => (firstRecorded = r))
    const first = transaction(db, async (trx) => {
      await record(trx, { action: 'first' })
      firstRecorded()
      await held
      order.push('first commits')
    })
    await recorded
    const second = transaction(db, async (trx) => {
      const e = await record(trx, { action: 'second' })
      order.push('second recorded')
      return e
    })
    await new Promise((r) => setTimeout(r, 150))
    order.push('released')
    releaseFirst()
    const [, e2] = await Promise.all([first, second])
    expect(order).toEqual(['released', 'first commits', 'second recorded'])
    expect(e2.seq).toBe(2)
  })
})
