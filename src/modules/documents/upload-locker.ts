/**
 * tus's `Locker` over the database's shared locks, so two PATCHes for one upload never write
 * at once even when a load balancer sends them to two processes.
 *
 * In one process a lock is a map entry, as in tus's MemoryLocker (advisory locks are
 * re-entrant within the process's one lock session, so the map is what excludes two requests
 * here); across processes it is `SharedLocks` (a PostgreSQL advisory lock). tus's rule is kept
 * across processes too: a newer request asks the holder to let go (the phone whose connection
 * dropped comes back on another process while its old, half-open PATCH still holds the lock),
 * the holder's request ends after tus's drain delay (`lockDrainTimeout`, 3 s), and the newer
 * one then reads the true offset. A request that still cannot get the lock in
 * `acquireTimeoutMs` gets `423 Locked`; tus clients retry it.
 */
import type { Lock, Locker, RequestRelease } from '@tus/utils'
import type { SharedLocks } from '../../platform/db/shared-locks.ts'

export const LOCKED = { status_code: 423, body: 'Upload is being written by another request; send HEAD and continue from its Upload-Offset\n' }

export interface UploadLockerOptions {
  /** How long a request waits for the lock before 423 (default 10 s: tus's 3 s drain plus slack). */
  acquireTimeoutMs?: number
  /** How often a waiter asks the database again (default 100 ms). */
  pollMs?: number
}

interface Holder {
  requestRelease: RequestRelease
}

export class SharedUploadLocker implements Locker {
  readonly local = new Map<string, Holder>()
  readonly acquireTimeoutMs: number
  readonly pollMs: number
  readonly #unsubscribe: () => void

  constructor(
    readonly shared: SharedLocks,
    opts: UploadLockerOptions = {},
  ) {
    this.acquireTimeoutMs = opts.acquireTimeoutMs ?? 10_000
    this.pollMs = opts.pollMs ?? 100
    this.#unsubscribe = shared.onReleaseRequested((name) => {
      if (!name.startsWith('tus:')) return
      void this.local.get(name.slice(4))?.requestRelease()
    })
  }

  newLock(id: string): Lock {
    return new SharedUploadLock(id, this)
  }

  close(): void {
    this.#unsubscribe()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

class SharedUploadLock implements Lock {
  #mine = false
  constructor(
    readonly id: string,
    readonly locker: SharedUploadLocker,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const { local, shared, acquireTimeoutMs, pollMs } = this.locker
    const deadline = Date.now() + acquireTimeoutMs
    const give = () => {
      if (this.#mine) local.delete(this.id)
      this.#mine = false
      throw LOCKED
    }
    // In this process first: one entry per upload, the newer request asking the holder to go.
    let asked = false
    while (local.has(this.id)) {
      if (!asked) {
        asked = true
        await local.get(this.id)!.requestRelease()
      }
      if (signal.aborted || Date.now() > deadline) give()
      await sleep(Math.min(pollMs, 20))
    }
    local.set(this.id, { requestRelease })
    this.#mine = true
    // Then across processes.
    const name = `tus:${this.id}`
    asked = false
    for (;;) {
      let ok: boolean
      try {
        ok = await shared.tryLock(name)
      } catch (err) {
        local.delete(this.id)
        this.#mine = false
        throw err
      }
      if (ok) return
      if (!asked) {
        asked = true
        await shared.requestRelease(name).catch(() => {})
      }
      if (signal.aborted || Date.now() > deadline) give()
      await sleep(pollMs)
    }
  }

  async unlock(): Promise<void> {
    if (!this.#mine) return
    this.#mine = false
    try {
      await this.locker.shared.unlock(`tus:${this.id}`)
    } finally {
      this.locker.local.delete(this.id)
    }
  }
}
