/**
 * Holds the chat pages' long-polls until something changes for them, with one query per tick
 * and process however many people wait: the messages written since the last look, each waking
 * only the waiters of its own ticket that have not seen it. An agent's or the system's line on
 * a chat also wakes the people still queued (their place may have moved). Works across web
 * processes (every process reads the table); a writer in this process wakes its chat at once.
 */
import type { Executor } from '../../platform/db/database.ts'
import * as repo from './helpdesk.repository.ts'

/** How often the table is read while someone waits. */
export const CHAT_WATCH_TICK_MS = 250
/**
 * Ids are taken before commit, so a message can commit behind one already seen: every tick
 * reads this many ids back again. Waiters remember what they saw, so nobody is woken twice.
 */
const LOOKBACK_IDS = 500
const BATCH = 5000

interface Waiter {
  readonly ticketId: string
  readonly after: number
  readonly queued: boolean
  readonly wake: () => void
}

export interface ChatWatch {
  /** Resolves when the ticket has a message after `after`, when a queued chat may have moved, or after `ms`. */
  wait(w: { ticketId: string; after: number; queued: boolean }, ms: number, signal?: AbortSignal): Promise<void>
  /** A writer in this process: wake that chat's waiters now rather than at the next tick. */
  poke(ticketId: string): void
  readonly waiting: number
  /** Once the app closes: held polls answer at once and no longer read the database. */
  readonly closed: boolean
  close(): void
}

export function createChatWatch(db: Executor, opts: { tickMs?: number } = {}): ChatWatch {
  const tickMs = opts.tickMs ?? CHAT_WATCH_TICK_MS
  const waiters = new Set<Waiter>()
  let timer: NodeJS.Timeout | null = null
  let watermark: number | null = null
  let queueWokenUpTo = 0
  let busy = false
  let closed = false

  const wakeAll = (pick: (w: Waiter) => boolean) => {
    for (const w of [...waiters]) if (pick(w)) w.wake()
  }

  async function tick(): Promise<void> {
    if (busy || closed) return
    busy = true
    try {
      if (watermark === null) watermark = await repo.lastMessageId(db)
      const rows = await repo.messagesSince(db, Math.max(0, watermark - LOOKBACK_IDS), BATCH)
      const newest = new Map<string, number>()
      let queueMoved = false
      for (const r of rows) {
        const id = Number(r.id)
        newest.set(r.ticket_id, Math.max(newest.get(r.ticket_id) ?? 0, id))
        if (r.channel === 'chat' && r.author_kind !== 'participant' && id > queueWokenUpTo) {
          queueMoved = true
          queueWokenUpTo = id
        }
        if (id > watermark) watermark = id
      }
      wakeAll((w) => (newest.get(w.ticketId) ?? 0) > w.after || (queueMoved && w.queued))
    } catch {
      // The database is briefly away (restart, shutdown): waiters still end at their deadline.
    } finally {
      busy = false
    }
  }

  function schedule(): void {
    if (timer || closed) return
    timer = setInterval(() => {
      if (waiters.size === 0) {
        clearInterval(timer!)
        timer = null
        return
      }
      void tick()
    }, tickMs)
    timer.unref()
  }

  return {
    wait(w, ms, signal) {
      if (closed || ms <= 0 || signal?.aborted) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timeout)
          signal?.removeEventListener('abort', done)
          waiters.delete(waiter)
          resolve()
        }
        const waiter: Waiter = { ...w, wake: done }
        const timeout = setTimeout(done, ms)
        signal?.addEventListener('abort', done, { once: true })
        waiters.add(waiter)
        schedule()
      })
    },
    poke(ticketId) {
      wakeAll((w) => w.ticketId === ticketId)
    },
    get waiting() {
      return waiters.size
    },
    get closed() {
      return closed
    },
    close() {
      closed = true
      if (timer) clearInterval(timer)
      timer = null
      wakeAll(() => true)
    },
  }
}
