/**
 * Named locks shared by every process on one database, for work that is not a transaction
 * (a resumable upload's PATCH streams for seconds or minutes; holding a pooled connection or
 * a transaction open for that long would starve the pool).
 *
 * PostgreSQL: one dedicated connection per process holds session-level advisory locks,
 * keyed `hashtextextended(name, 0)` (the single-bigint key space; the audit chain's fixed key
 * is one value in 2^64). A process that dies drops its connection and with it every lock it
 * held. A waiter can ask the holder, in whichever process, to let go: `pg_notify` on
 * `karya_lock_release`, which every lock session LISTENs to.
 *
 * PGlite is one process by definition: the same interface over an in-memory set, shared by
 * every user of the same PGlite handle (two app instances on one database in a test).
 *
 * Advisory locks are re-entrant within one session, so these are NOT exclusive between two
 * callers in the same process: callers keep their own in-process exclusion first
 * (see the tus locker in src/modules/documents/upload-locker.ts).
 */
import { EventEmitter } from 'node:events'
import pg from 'pg'

export const RELEASE_CHANNEL = 'karya_lock_release'

export interface SharedLocks {
  /** Takes the lock if nobody (in any process) holds it; never waits. */
  tryLock(name: string): Promise<boolean>
  unlock(name: string): Promise<void>
  /** Asks whoever holds `name`, in any process, to let go soon. */
  requestRelease(name: string): Promise<void>
  /** Called with a lock's name when some process asked for it (or the lock session was lost). */
  onReleaseRequested(fn: (name: string) => void): () => void
  close(): Promise<void>
}

/** One PostgreSQL session per process, opened on first use and reopened after a drop. */
export function postgresSharedLocks(connectionString: string): SharedLocks {
  const events = new EventEmitter()
  const held = new Set<string>()
  let client: Promise<pg.Client> | null = null
  let closed = false

  function lost(c: pg.Client) {
    // The session is gone and every lock with it: the holders must stop writing.
    if (client === null) return
    client = null
    c.end().catch(() => {})
    const names = [...held]
    held.clear()
    for (const n of names) events.emit('release', n)
  }

  function session(): Promise<pg.Client> {
    if (closed) return Promise.reject(new Error('shared locks closed'))
    if (!client) {
      const c = new pg.Client({ connectionString, application_name: 'karya-locks' })
      c.on('error', () => lost(c))
      c.on('end', () => lost(c))
      c.on('notification', (m) => {
        if (m.channel === RELEASE_CHANNEL && m.payload && held.has(m.payload)) events.emit('release', m.payload)
      })
      client = c.connect().then(async () => {
        await c.query(`listen ${RELEASE_CHANNEL}`)
        return c
      })
      client.catch(() => (client = null))
    }
    return client
  }

  return {
    async tryLock(name) {
      const c = await session()
      const r = await c.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [name])
      if (r.rows[0]!.ok) held.add(name)
      return r.rows[0]!.ok
    },
    async unlock(name) {
      if (!held.delete(name)) return
      const c = await session()
      await c.query('select pg_advisory_unlock(hashtextextended($1, 0))', [name])
    },
    async requestRelease(name) {
      const c = await session()
      await c.query('select pg_notify($1, $2)', [RELEASE_CHANNEL, name])
    },
    onReleaseRequested(fn) {
      events.on('release', fn)
      return () => events.off('release', fn)
    },
    async close() {
      closed = true
      const c = client
      client = null
      held.clear()
      if (c) await (await c).end().catch(() => {})
    },
  }
}

const inMemory = new WeakMap<object, { held: Set<string>; events: EventEmitter }>()

/** The PGlite variant: `owner` is the database handle, so its users share one set of locks. */
export function inProcessSharedLocks(owner: object): SharedLocks {
  let state = inMemory.get(owner)
  if (!state) {
    state = { held: new Set(), events: new EventEmitter() }
    state.events.setMaxListeners(0)
    inMemory.set(owner, state)
  }
  const { held, events } = state
  return {
    async tryLock(name) {
      if (held.has(name)) return false
      held.add(name)
      return true
    },
    async unlock(name) {
      held.delete(name)
    },
    async requestRelease(name) {
      if (held.has(name)) events.emit('release', name)
    },
    onReleaseRequested(fn) {
      events.on('release', fn)
      return () => events.off('release', fn)
    },
    async close() {},
  }
}
