import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, onPostgres, type TestDatabase } from '../test/db.ts'
import { openPglite, type Db } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'
import { ledgerFixture, uniqueKey } from '../src/modules/ledger/testing.ts'
import { latestCheck } from '../src/modules/ledger/index.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function runCli(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/ledger-check.ts'],
      // Only what the CLI needs, so a DATABASE_URL in the developer's shell cannot leak in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    )
  })
}

/** Money moved through the real ledger: a deposit, a credit, a partly posted hold, an open hold. */
async function fill(db: Db, database: Parameters<typeof ledgerFixture>[0]): Promise<void> {
  const f = await ledgerFixture(database)
  try {
    const p = await f.participant(1_000_000)
    const platform = await f.ledger.openAccount(db, 'platform_payable', 'cli-platform')
    const buy = { debitAccountId: p.training, creditAccountId: platform.id, code: 'purchase' as const, reference: { type: 'purchase', id: 'x' }, timeoutSeconds: 3600 }
    const h = await f.ledger.hold(db, { ...buy, amount: 300_000, idempotencyKey: uniqueKey() })
    await f.ledger.post(db, { holdId: h.transfer.id, amount: 250_000, idempotencyKey: uniqueKey() })
    await f.ledger.hold(db, { ...buy, amount: 100_000, idempotencyKey: uniqueKey() })
  } finally {
    await f.stop()
  }
}

/** Money created from nothing: a transfer's amount changed behind the ledger's back. */
async function tamper(db: Db): Promise<void> {
  await sql`alter table ledger_transfers disable trigger ledger_transfers_no_change`.execute(db)
  await sql`update ledger_transfers set amount = amount + 1 where kind = 'post'`.execute(db)
  await sql`alter table ledger_transfers enable trigger ledger_transfers_no_change`.execute(db)
}

interface Target {
  env: Record<string, string>
  edit<T>(fn: (db: Db, database: Parameters<typeof ledgerFixture>[0]) => Promise<T>): Promise<T>
  dispose(): Promise<void>
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-ledger-check-'))
  // PGlite is single-process: open, change, close before the CLI opens the same directory.
  const edit: Target['edit'] = async (fn) => {
    const database = await openPglite(path.join(dataDir, 'pglite'))
    try {
      await migrateToLatest(database.db)
      return await fn(database.db, database)
    } finally {
      await database.close()
    }
  }
  return { env: { DATA_DIR: dataDir }, edit, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
}

async function postgresTarget(): Promise<Target> {
  const tdb: TestDatabase = await openTestDatabase()
  return { env: { DATABASE_URL: tdb.url! }, edit: (fn) => fn(tdb.db, tdb), dispose: () => tdb.dispose() }
}

// Each run starts a Node process with tsx and opens the database: slow on a busy machine.
describe('npm run ledger:check', { timeout: 120_000 }, () => {
  let target: Target

  beforeAll(async () => {
    target = onPostgres ? await postgresTarget() : await pgliteTarget()
    await target.edit(fill)
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('exits 0 on a balanced ledger and keeps the result for the PMO console', async () => {
    const run = await runCli(target.env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    // The fixture's clock stands in March 2026, so by the real clock the open hold is past its deadline.
    expect(run.stdout).toMatch(/Holds: 1 open \(1 past deadline\), 1 posted, 0 voided, 0 expired/)
    expect(run.stdout).toMatch(/Result: BALANCED/)
    const stored = await target.edit((db) => latestCheck(db))
    expect(stored).toMatchObject({ ok: true, source: 'cli' })
  })

  it('exits 1 after tampering and names what is wrong', async () => {
    await target.edit(tamper)
    const run = await runCli({ ...target.env })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Result: VIOLATED/)
    expect(run.stdout).toMatch(/cache_mismatch \(account \d+\): debits_posted stored 250000, transfers give 250001/)
    expect(run.stdout).toMatch(/post_exceeds_hold|Debits posted/)
    const stored = await target.edit((db) => latestCheck(db))
    expect(stored).toMatchObject({ ok: false, source: 'cli' })
  })

  it('exits 2 when there is no database to check', async () => {
    const missing = path.join(os.tmpdir(), `karya-ledger-check-missing-${process.pid}`)
    const run = await runCli({ DATA_DIR: missing })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Could not check the ledger/)
    expect(fs.existsSync(missing)).toBe(false)
  })
})
