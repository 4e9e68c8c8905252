/**
 * Kysely's PGlite driver hands every caller the same connection with no lock, so two
 * concurrent transactions would interleave on PGlite's single session. This wrapper
 * serialises connection use (as Kysely's SQLite driver does) and refuses a query on
 * the root `db` from inside a transaction, which on a single connection would deadlock
 * and on PostgreSQL would run outside the transaction: pass `trx` instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite } from '@electric-sql/pglite'
import {
  PGliteDialect,
  type DatabaseConnection,
  type Driver,
  type TransactionSettings,
  type QueryCompiler,
} from 'kysely'

const holding = new AsyncLocalStorage<true>()

/** Runs `fn` marked as inside a transaction, so a stray root-handle query fails fast. */
export function markTransactionScope<T>(fn: () => Promise<T>): Promise<T> {
  return holding.run(true, fn)
}

class Mutex {
  #tail: Promise<void> = Promise.resolve()
  lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((r) => (release = r))
    const ready = this.#tail.then(() => release)
    this.#tail = this.#tail.then(() => next)
    return ready
  }
}

export class ConnectionReentryError extends Error {
  constructor() {
    super('A query on the root database handle ran inside a transaction on PGlite; pass the transaction (trx) instead.')
    this.name = 'ConnectionReentryError'
  }
}

class LockedDriver implements Driver {
  readonly #inner: Driver
  readonly #mutex = new Mutex()
  readonly #releases = new WeakMap<DatabaseConnection, () => void>()

  constructor(inner: Driver) {
    this.#inner = inner
  }

  init(): Promise<void> {
    return this.#inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (holding.getStore()) throw new ConnectionReentryError()
    const release = await this.#mutex.lock()
    const conn = await this.#inner.acquireConnection()
    this.#releases.set(conn, release)
    return conn
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    await this.#inner.releaseConnection(conn)
    const release = this.#releases.get(conn)
    this.#releases.delete(conn)
    release?.()
  }

  beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(conn, settings)
  }
  commitTransaction(conn: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(conn)
  }
  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(conn)
  }
  savepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(conn, name, compile)
  }
  rollbackToSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(conn, name, compile)
  }
  releaseSavepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(conn, name, compile)
  }
  destroy(): Promise<void> {
    return this.#inner.destroy()
  }
}

export class LockedPGliteDialect extends PGliteDialect {
  constructor(pglite: PGlite) {
    super({ pglite })
  }
  override createDriver(): Driver {
    return new LockedDriver(super.createDriver())
  }
}
