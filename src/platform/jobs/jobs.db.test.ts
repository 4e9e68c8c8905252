import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { transaction } from '../db/database.ts'
import { createJobs, type JobContext, type Jobs } from './jobs.ts'

interface Note {
  note: string
}

describe('jobs on the real database', () => {
  let database: TestDatabase
  let jobs: Jobs
  const seen: string[] = []
  const flakyRuns: JobContext[] = []

  beforeAll(async () => {
    database = await openTestDatabase()
    jobs = createJobs(database, { runWorkers: true, pollingIntervalSeconds: 0.5 })
    jobs.define<Note>('test.record', async ({ note }) => {
      seen.push(note)
    })
    jobs.define<Note>(
      'test.flaky',
      async ({ note }, ctx) => {
        flakyRuns.push(ctx)
        if (ctx.attempt < 3) throw new Error(`flaky ${note} attempt ${ctx.attempt}`)
        seen.push(note)
      },
      { retryLimit: 4, retryDelay: 0 },
    )
    await jobs.start()
  })

  afterAll(async () => {
    await jobs?.stop()
    await database?.dispose()
  })

  it('runs a job enqueued in a committed transaction', async () => {
    const id = await transaction(database.db, (trx) => jobs.enqueue(trx, 'test.record', { note: 'committed' }))
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    await jobs.waitIdle(15_000)
    expect(seen).toContain('committed')
  })

  it('never runs a job enqueued in a rolled-back transaction', async () => {
    let jobId: string | null = null
    await expect(
      transaction(database.db, async (trx) => {
        jobId = await jobs.enqueue(trx, 'test.record', { note: 'rolled-back' })
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(jobId).not.toBeNull()
    // A job enqueued afterwards runs, so the worker was polling while the rolled-back one did not.
    await transaction(database.db, (trx) => jobs.enqueue(trx, 'test.record', { note: 'after-rollback' }))
    await jobs.waitIdle(15_000)
    expect(seen).toContain('after-rollback')
    expect(seen).not.toContain('rolled-back')
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where id = ${jobId}`.execute(database.db)
    expect(rows[0]?.n).toBe(0)
  })

  it('retries a failing handler until it succeeds', async () => {
    await transaction(database.db, (trx) => jobs.enqueue(trx, 'test.flaky', { note: 'flaky' }))
    await jobs.waitIdle(20_000)
    expect(flakyRuns.map((r) => r.attempt)).toEqual([1, 2, 3])
    expect(flakyRuns.every((r) => r.isFinalAttempt === false)).toBe(true)
    expect(seen).toContain('flaky')
    const { rows } = await sql<{ state: string }>`select state::text from pgboss.job where name = 'test.flaky'`.execute(database.db)
    expect(rows.map((r) => r.state)).toEqual(['completed'])
  })

  it('refuses to enqueue a job nobody defined, which pg-boss would drop silently', async () => {
    await expect(jobs.enqueue(database.db, 'test.unknown', {})).rejects.toThrow(/not defined/)
  })
})

describe('jobs lifecycle', () => {
  it('tells the last attempt apart and stops cleanly with a handler in flight', async () => {
    const database = await openTestDatabase()
    const jobs = createJobs(database, { runWorkers: true, pollingIntervalSeconds: 0.5 })
    const runs: JobContext[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let finished = false
    jobs.define('test.doomed', async (_data, ctx) => {
      runs.push(ctx)
      throw new Error('always')
    }, { retryLimit: 1, retryDelay: 0 })
    jobs.define('test.slow', async () => {
      await gate
      finished = true
    })
    await jobs.start()
    await transaction(database.db, async (trx) => {
      await jobs.enqueue(trx, 'test.doomed', {})
    })
    await jobs.waitIdle(15_000)
    expect(runs.map((r) => [r.attempt, r.isFinalAttempt])).toEqual([
      [1, false],
      [2, true],
    ])

    await jobs.enqueue(database.db, 'test.slow', {})
    // Wait (bounded) until the slow job is running, then stop while it is.
    const deadline = Date.now() + 15_000
    for (;;) {
      const { rows } = await sql<{ state: string }>`select state::text from pgboss.job where name = 'test.slow'`.execute(database.db)
      if (rows[0]?.state === 'active') break
      if (Date.now() > deadline) throw new Error('slow job never started')
      await new Promise((r) => setTimeout(r, 50))
    }
    const stopped = jobs.stop({ timeoutMs: 10_000 })
    setTimeout(release, 200)
    await stopped
    expect(finished).toBe(true)
    const { rows } = await sql<{ state: string }>`select state::text from pgboss.job where name = 'test.slow'`.execute(database.db)
    expect(rows[0]?.state).toBe('completed')
    await expect(jobs.stop()).resolves.toBeUndefined()
    await database.dispose()
  })
})
