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
import { record } from '../src/platform/audit/index.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function runCli(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts'],
      // Only what the CLI needs, so a DATABASE_URL in the developer's shell cannot leak in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

async function fill(db: Db): Promise<void> {
  for (let i = 1; i <= 4; i++) {
    await record(db, { actorRole: 'officer', action: 'participant.view', subjectType: 'participant', subjectId: `P-${i}`, details: { i } })
  }
}

async function tamperSeq3(db: Db): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db)
  await sql`update audit_log set subject_id = 'P-999' where seq = 3`.execute(db)
  await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db)
}

/** A database the CLI can open from its own process, and a way to edit it in between. */
interface Target {
  env: Record<string, string>
  edit(fn: (db: Db) => Promise<void>): Promise<void>
  dispose(): Promise<void>
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-audit-verify-'))
  // PGlite is single-process: open, change, close before the CLI opens the same directory.
  const edit = async (fn: (db: Db) => Promise<void>) => {
    const database = await openPglite(path.join(dataDir, 'pglite'))
    try {
      await fn(database.db)
    } finally {
      await database.close()
    }
  }
  await edit(async (db) => {
    await migrateToLatest(db)
  })
  return { env: { DATA_DIR: dataDir }, edit, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
}

async function postgresTarget(): Promise<Target> {
  const tdb: TestDatabase = await openTestDatabase()
  return { env: { DATABASE_URL: tdb.url! }, edit: (fn) => fn(tdb.db), dispose: () => tdb.dispose() }
}

// Each run starts a Node process with tsx and opens the database: slow on a busy machine.
describe('npm run audit:verify', { timeout: 90_000 }, () => {
  let target: Target

  beforeAll(async () => {
    target = onPostgres ? await postgresTarget() : await pgliteTarget()
    await target.edit(fill)
  })
  afterAll(async () => {
    await target?.dispose()
  })

  it('exits 0 on an intact log and prints the head', async () => {
    const run = await runCli(target.env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Entries checked: 4/)
    expect(run.stdout).toMatch(/Head: seq 4, hash [0-9a-f]{64}/)
    expect(run.stdout).toMatch(/INTACT/)
  })

  it('exits 1 after tampering and names the bad seq', async () => {
    await target.edit(tamperSeq3)
    const run = await runCli(target.env)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/BROKEN/)
    expect(run.stdout).toMatch(/seq 3: hash_mismatch/)
    expect(run.stdout).not.toMatch(/seq [124]: /)
  })

  it('exits 2 when there is no database to check', async () => {
    const missing = path.join(os.tmpdir(), `karya-audit-verify-missing-${process.pid}`)
    const run = await runCli({ DATA_DIR: missing })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/Could not verify the audit log/)
    expect(fs.existsSync(missing)).toBe(false)
  })
})
