/**
 * The tus locker over the database's shared locks, as two processes would use it: two lockers,
 * each on its own database handle (its own lock session on PostgreSQL; one PGlite handle is
 * one process, so there the two share it as two app instances would).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres, openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { openDatabase, type Database } from '../../platform/db/database.ts'
import { LOCKED, SharedUploadLocker } from './upload-locker.ts'

describe('shared upload locker', () => {
  let database: TestDatabase
  let second: Database
  let one: SharedUploadLocker
  let two: SharedUploadLocker

  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false })
    second = onPostgres ? await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 1 }) : database
    one = new SharedUploadLocker(database.locks, { acquireTimeoutMs: 400, pollMs: 20 })
    two = new SharedUploadLocker(second.locks, { acquireTimeoutMs: 400, pollMs: 20 })
  })
  afterAll(async () => {
    one?.close()
    two?.close()
    if (second && second !== database) await second.close()
    await database?.dispose()
  })

  it('keeps a second locker out, asks the holder to let go, and lets it in once released', async () => {
    const id = 'a'.repeat(32)
    let asked = 0
    const held = one.newLock(id)
    await held.lock(new AbortController().signal, () => void asked++)
    await expect(two.newLock(id).lock(new AbortController().signal, () => {})).rejects.toBe(LOCKED)
    expect(asked).toBeGreaterThanOrEqual(1)
    // Another upload is not held up.
    const other = two.newLock('b'.repeat(32))
    await other.lock(new AbortController().signal, () => {})
    await other.unlock()
    await held.unlock()
    const next = two.newLock(id)
    await next.lock(new AbortController().signal, () => {})
    await expect(one.newLock(id).lock(new AbortController().signal, () => {})).rejects.toBe(LOCKED)
    await next.unlock()
  })

  it('excludes two requests in the same process and hands over when the holder lets go', async () => {
    const id = 'c'.repeat(32)
    const first = one.newLock(id)
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    await first.lock(new AbortController().signal, () => release())
    const waiting = one.newLock(id)
    const got = waiting.lock(new AbortController().signal, () => {})
    // The holder is asked to go (tus cancels its request) and unlocks; the waiter gets the lock.
    await released
    await first.unlock()
    await got
    await expect(two.newLock(id).lock(new AbortController().signal, () => {})).rejects.toBe(LOCKED)
    await waiting.unlock()
  })
})
