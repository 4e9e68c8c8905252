/**
 * Holds the chat pages' long-polls until something changes for them, with one query per tick
 * and process however many people wait: the messages written since the last look, each waking
 * only the waiters of its own ticket that have not seen it. An agent's or the system's line on
 * a chat also marks the queue as moved; after each tick the waiters whose status line may have
 * changed (the queue was read again) are asked and woken if so. Works across web processes
 * (every process reads the table); a writer in this process wakes its chat at once.
 *
 * While it runs without a break the watch also knows, per ticket, the newest message id there
 * is: the lines a poll read from the database plus every id the ticks saw since. A re-poll whose
 * cursor is already there needs no query for its lines (decision 0013).
 */
import type { Executor } from '../../platform/db/database.ts'
import * as repo from './helpdesk.repository.ts'

/** How often the table is read while someone waits. */
export const CHAT_WATCH_TICK_MS = 250
/** The watch keeps ticking this long after the last waiter left, so a re-poll finds what it knew. */
const IDLE_MS = 10_000
/**
 * Ids are taken before commit, so a message can commit behind one already seen: every tick
 * reads this many ids back again. Waiters remember what they saw, so nobody is woken twice.
 */
const LOOKBACK_IDS = 500
const BATCH = 5000
/** More tickets known than this and the watch forgets them all (the next polls read again). */
const MAX_KNOWN = 100_000

interface Waiter {
  readonly ticketId: string
  readonly after: number
  /** Asked after a tick that looked at the queue again: true wakes the waiter. */
  readonly recheck?: () => boolean
  readonly wake: (woken: boolean) => void
}

export interface ChatWatch {
  /**
   * Resolves when the ticket has a message after `after`, when `recheck` says so after a tick
   * (the queue was read again), or after `ms`; true when woken before `ms`.
   */
  wait(w: { ticketId: string; after: number; recheck?: () => boolean }, ms: number, signal?: AbortSignal): Promise<boolean>
  /** A writer in this process: wake that chat's waiters now rather than at the next tick. */
  poke(ticketId: string): void
  /**
   * The current run, to pass to `saw` with what a query read: call it before the query. The
   * watch starts ticking if it was not.
   */
  run(): number
  /** A poll read the ticket's lines up to `upTo` (started within `run`). */
  saw(ticketId: string, upTo: number, run: number): void
  /** The newest message id of the ticket, when the watch knows it for sure; else null. */
  newest(ticketId: string): number | null
  readonly waiting: number
  /** Once the app closes: held polls answer at once and no longer read the database. */
  readonly closed: boolean
  close(): void
}

export interface ChatWatchOptions {
  tickMs?: number
  /**
   * Called after each tick's messages, before the rechecks: with whether a line on a chat may
   * have moved the queue (an agent's or the system's) and whether any waiter has a recheck.
   */
  afterTick?: (queueMoved: boolean, rechecks: boolean) => Promise<void>
}

export function createChatWatch(db: Executor, opts: ChatWatchOptions = {}): ChatWatch {
  const tickMs = opts.tickMs ?? CHAT_WATCH_TICK_MS
  const waiters = new Set<Waiter>()
  let timer: NodeJS.Timeout | null = null
  let watermark: number | null = null
  // Ids of the look-back window already read, and where the first one not read may be.
  const seen = new Set<number>()
  let gapsFrom = 0
  let queueWokenUpTo = 0
  let busy = false
  let closed = false
  let idleSince = 0
  // A run is one stretch of ticking without a break: only then can what was seen be trusted.
  let runId = 0
  // Ticket -> the newest id seen in this run; trusted only for the tickets a poll read (`read`).
  const known = new Map<string, number>()
  const read = new Set<string>()
  // Forgetting starts a new run: a read begun before cannot be trusted against what was forgotten.
  const forget = () => {
    known.clear()
    read.clear()
    runId++
  }

  const wakeAll = (pick: (w: Waiter) => boolean) => {
    for (const w of [...waiters]) if (pick(w)) w.wake(true)
  }

  async function tick(): Promise<void> {
    if (busy || closed) return
    busy = true
    try {
      if (watermark === null) {
        watermark = await repo.lastMessageId(db)
        seen.clear()
        gapsFrom = Math.max(0, watermark - LOOKBACK_IDS)
      }
      // Read again from the first id of the window not seen yet (one that may still commit):
      // with no gap behind the watermark a tick reads only what is new.
      const floor = Math.max(0, watermark - LOOKBACK_IDS)
      let from = Math.max(gapsFrom, floor)
      while (from < watermark && seen.has(from + 1)) from++
      const rows = await repo.messagesSince(db, from, BATCH)
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
        seen.add(id)
      }
      // Forget ids that fell out of the window; the first gap can only move forward.
      gapsFrom = from
      const low = Math.max(0, watermark - LOOKBACK_IDS)
      if (seen.size > 2 * LOOKBACK_IDS) for (const id of seen) if (id <= low) seen.delete(id)
      if (known.size + newest.size > MAX_KNOWN) forget()
      for (const [ticketId, id] of newest) if (id > (known.get(ticketId) ?? 0)) known.set(ticketId, id)
      wakeAll((w) => (newest.get(w.ticketId) ?? 0) > w.after)
      if (opts.afterTick) {
        await opts.afterTick(queueMoved, [...waiters].some((w) => w.recheck))
        wakeAll((w) => w.recheck?.() ?? false)
      }
    } catch {
      // The database is briefly away (restart, shutdown): waiters still end at their deadline.
    } finally {
      busy = false
    }
  }

  function stop(): void {
    if (timer) clearInterval(timer)
    timer = null
    watermark = null
    forget()
  }

  function schedule(): void {
    if (timer || closed) return
    runId++
    idleSince = 0
    timer = setInterval(() => {
      if (waiters.size === 0) {
        if (idleSince === 0) idleSince = Date.now()
        else if (Date.now() - idleSince > IDLE_MS) return stop()
      } else idleSince = 0
      void tick()
    }, tickMs)
    timer.unref()
  }

  return {
    wait(w, ms, signal) {
      if (closed || ms <= 0 || signal?.aborted) return Promise.resolve(false)
      return new Promise<boolean>((resolve) => {
        const done = (woken: boolean) => {
          clearTimeout(timeout)
          signal?.removeEventListener('abort', abort)
          waiters.delete(waiter)
          resolve(woken)
        }
        const abort = () => done(false)
        const waiter: Waiter = { ...w, wake: done }
        const timeout = setTimeout(abort, ms)
        signal?.addEventListener('abort', abort, { once: true })
        waiters.add(waiter)
        schedule()
      })
    },
    poke(ticketId) {
      read.delete(ticketId)
      wakeAll((w) => w.ticketId === ticketId)
    },
    run() {
      schedule()
      return closed ? -1 : runId
    },
    saw(ticketId, upTo, run) {
      if (run !== runId || !timer || closed) return
      if (known.size >= MAX_KNOWN) return forget()
      known.set(ticketId, Math.max(known.get(ticketId) ?? 0, upTo))
      read.add(ticketId)
    },
    newest(ticketId) {
      return timer && !closed && read.has(ticketId) ? (known.get(ticketId) ?? null) : null
    },
    get waiting() {
      return waiters.size
    },
    get closed() {
      return closed
    },
    close() {
      closed = true
      stop()
      wakeAll(() => true)
    },
  }
}
