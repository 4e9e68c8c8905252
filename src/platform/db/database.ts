/**
 * Opens the database named by configuration: PGlite on disk (embedded default) or a
 * PostgreSQL pool. Both speak the same SQL; nothing above this file knows which.
 */
import fs from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, CompiledQuery, type Transaction } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../../config.ts'
import type { DB } from './schema.ts'
import { LockedPGliteDialect, markTransactionScope } from './pglite-dialect.ts'
import { inProcessSharedLocks, postgresSharedLocks, type SharedLocks } from './shared-locks.ts'

export type Db = Kysely<DB>
export type Trx = Transaction<DB>
/** Anything a repository function can run a query on. */
export type Executor = Db | Trx

/** A raw SQL executor in the shape pg-boss expects for its `db` option. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>
}

export interface Database {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** Raw executor for libraries (pg-boss) that bring their own SQL. */
  readonly raw: SqlExecutor
  /** Named locks held across requests and shared by every process on this database. */
  readonly locks: SharedLocks
  close(): Promise<void>
}

// int8 (counts, sums, bigserial ids) as JS numbers: rupiah totals stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v))
// date as the 'YYYY-MM-DD' it is: a JS Date would shift a birth date by the server's time zone.
pg.types.setTypeParser(1082, (v) => v)

// The handles opened on PGlite: only there is the transaction scope marked. The mark is an
// AsyncLocalStorage, and on Node 20 the first AsyncLocalStorage.run turns on a promise hook that
// runs for every promise the process creates from then on (it showed in the opening-night
// profile of the sign-up path). On PostgreSQL a root-handle query inside a transaction does not
// deadlock, and every *.db.test.ts runs on PGlite too, where the mistake still fails fast.
const pgliteHandles = new WeakSet<object>()

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize })
    // An idle connection dropped by the server (restart, failover, a dropped test database)
    // is replaced on next use; without a listener it would crash the process.
    pool.on('error', () => {})
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    const raw: SqlExecutor = {
      async executeSql(text, values) {
        const res = await pool.query(text, values as unknown[] | undefined)
        return { rows: Array.isArray(res) ? (res.at(-1)?.rows ?? []) : res.rows }
      },
    }
    const locks = postgresSharedLocks(config.url)
    return {
      kind: 'postgres', db, raw, locks,
      async close() {
        await locks.close()
        await db.destroy()
      },
    }
  }
  return openPglite(config.dataDir)
}

/** dataDir null: in memory (tests). */
export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir ?? undefined, {
    parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
  })
  const db = new Kysely<DB>({ dialect: new LockedPGliteDialect(pglite) })
  pgliteHandles.add(db)
  const raw: SqlExecutor = {
    // Through Kysely's connection so the lock orders it with our own queries; a
    // parameterless text may hold several statements (pg-boss migrations): exec.
    executeSql(text, values) {
      return db.connection().execute(async (conn) => {
        if (values && values.length > 0) {
          const r = await conn.executeQuery(CompiledQuery.raw(text, values))
          return { rows: r.rows as any[] }
        }
        const results = await pglite.exec(text)
        return { rows: results.at(-1)?.rows ?? [] }
      })
    },
  }
  return { kind: 'pglite', db, raw, locks: inProcessSharedLocks(db), close: () => db.destroy() }
}

/** Runs `fn` in one transaction; on PGlite a query on the root handle inside it fails fast. */
export function transaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (!pgliteHandles.has(db)) return db.transaction().execute(fn)
  return db.transaction().execute((trx) => markTransactionScope(() => fn(trx)))
}

/** An executor bound to a transaction, for libraries that take a raw `db` (pg-boss send). */
export function trxExecutor(trx: Executor): SqlExecutor {
  return {
    async executeSql(text, values) {
      const r = await trx.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: r.rows as any[] }
    },
  }
}
