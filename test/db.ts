/**
 * A fresh, migrated database for one test file. TEST_DATABASE_URL set: a new PostgreSQL
 * database created from it (dropped afterwards); unset: an in-memory PGlite.
 * The same tests run on both (see .ci/run).
 */
import crypto from 'node:crypto'
import pg from 'pg'
import { openDatabase, openPglite, type Database } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL)

export interface TestDatabase extends Database {
  /** Drops the database (PostgreSQL) or closes it (PGlite). */
  dispose(): Promise<void>
  readonly url: string | null
}

export async function openTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL
  let database: Database
  let url: string | null = null
  let drop = async () => {}
  if (base) {
    const name = `karya_test_${crypto.randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: base })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const u = new URL(base)
    u.pathname = `/${name}`
    url = u.toString()
    database = await openDatabase({ kind: 'postgres', url, poolSize: 5 })
    drop = async () => {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    }
  } else {
    database = await openPglite(null)
  }
  if (opts.migrate !== false) await migrateToLatest(database.db)
  return {
    ...database,
    url,
    async dispose() {
      await database.close()
      await drop()
    },
  }
}
