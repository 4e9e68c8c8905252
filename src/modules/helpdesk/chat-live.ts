/**
 * What a held chat poll asks, kept cheap for 2 000 connections per process (decision 0013):
 * a re-poll with nothing new runs no query here (the route's look-up of the ticket is the
 * only one). Its lines: the watch knows each ticket's newest message id while it runs, so the
 * lines are read only when there is one after the cursor. Its status line: the queue is read
 * once per tick for every queued chat (QueueSnapshot, at most every `queueMs` unless a line on
 * a chat may have moved it), the calendar once a minute, and the agent's name again only after
 * a new line or a new owner. After each queue read, the held polls whose status line would
 * now read differently are woken; the rest stay asleep.
 */
import { AppError } from '../../platform/errors.ts'
import { chatLines, chatState, agentName, queueSnapshot, stateFromSnapshot, waitsInQueue, type ChatLine, type ChatState, chatStateKey, type QueueSnapshot } from './chat.service.ts'
import { createChatWatch, type ChatWatch } from './chat-watch.ts'
import * as repo from './helpdesk.repository.ts'
import type { BusinessCalendar } from './sla.ts'
import { calendarOf, type HelpdeskDeps } from './tickets.service.ts'
import { OPEN_STATES } from './states.ts'

/** The queue is read again at most this often while nothing on a chat moved it (free agents, the clock). */
export const QUEUE_READ_MS = 1_000
/** Holidays change rarely (a supervisor's setting): read again after this. */
const CALENDAR_MS = 60_000
const MAX_NAMES = 50_000

export interface ChatChanges {
  readonly t: repo.TicketRow
  readonly state: ChatState
  readonly seen: { after: number; lines: ChatLine[] }
}

export interface ChatLive {
  /**
   * Waits until the chat has a line after `after` or its status line differs from `key`, at
   * most `ms`; answers what is there then (possibly nothing new). `t` is the ticket as just read.
   */
  changes(t: repo.TicketRow, after: number, key: string | null, ms: number, signal?: AbortSignal): Promise<ChatChanges>
  /** A line written in this process: wake that chat's polls at once. */
  poke(ticketId: string): void
  readonly watch: ChatWatch
  close(): void
}

export function createChatLive(deps: Pick<HelpdeskDeps, 'db' | 'clock'>, opts: { tickMs?: number; queueMs?: number } = {}): ChatLive {
  const queueMs = opts.queueMs ?? QUEUE_READ_MS
  let cal: { at: number; value: Promise<BusinessCalendar> } | null = null
  let queue: { at: number; value: QueueSnapshot } | null = null
  const names = new Map<string, { owner: string | null; upTo: number; name: string }>()

  const calendar = () => {
    if (!cal || Date.now() - cal.at > CALENDAR_MS) {
      const value = calendarOf(deps.db)
      cal = { at: Date.now(), value }
      value.catch(() => (cal = null))
    }
    return cal.value
  }
  // One read of the queue at a time, shared by every poll that asks while it runs (never two
  // at once: under load a read can take longer than queueMs). Forced after a line moved it.
  let reading: Promise<QueueSnapshot> | null = null
  const readQueue = async (force: boolean): Promise<QueueSnapshot> => {
    const asked = Date.now()
    if (reading) {
      const q = await reading
      // A forced read wants one begun after it asked.
      return force && (queue?.at ?? 0) < asked ? readQueue(true) : q
    }
    if (!force && queue && Date.now() - queue.at <= queueMs) return queue.value
    const at = Date.now()
    reading = calendar().then((c) => queueSnapshot(deps.db, c))
    try {
      const value = await reading
      queue = { at, value }
      return value
    } finally {
      reading = null
    }
  }

  const watch = createChatWatch(deps.db, {
    tickMs: opts.tickMs,
    // Only while someone waits for a first answer: then at most every queueMs, at once when a line moved it.
    afterTick: async (moved, rechecks) => {
      if (rechecks && (moved || !queue || Date.now() - queue.at >= queueMs)) await readQueue(true)
    },
  })

  async function stateOf(t: repo.TicketRow): Promise<ChatState> {
    if (!OPEN_STATES.includes(t.state)) return { kind: 'ended' }
    if (!waitsInQueue(t)) {
      const upTo = watch.newest(t.id)
      const memo = names.get(t.id)
      if (memo && upTo !== null && memo.owner === t.owner_id && upTo <= memo.upTo) return { kind: 'with_agent', agent: memo.name }
      const name = await agentName(deps.db, t)
      if (upTo !== null) {
        if (names.size >= MAX_NAMES) names.clear()
        names.set(t.id, { owner: t.owner_id, upTo, name })
      }
      return { kind: 'with_agent', agent: name }
    }
    const s = stateFromSnapshot(t, await readQueue(false), deps.clock.now())
    // Opened or reopened after the queue was read: ask for this chat alone.
    return s ?? chatState(deps, t)
  }

  async function changes(t0: repo.TicketRow, after0: number, key: string | null, ms: number, signal?: AbortSignal): Promise<ChatChanges> {
    const deadline = Date.now() + ms
    let t = t0
    let after = after0
    for (;;) {
      const run = watch.run()
      const newest = watch.newest(t.id)
      let seen: { after: number; lines: ChatLine[] }
      if (newest !== null && newest <= after) seen = { after, lines: [] }
      else {
        const read = await chatLines(deps.db, t.id, after)
        if (read.complete) watch.saw(t.id, read.after, run)
        seen = read
      }
      const state = await stateOf(t)
      const k = chatStateKey(state)
      const changed = seen.lines.length > 0 || (key !== null && k !== key)
      if (changed || Date.now() >= deadline || signal?.aborted || watch.closed) return { t, state, seen }
      // Internal notes move the cursor on without being shown.
      after = seen.after
      const waiting = t
      const recheck = waitsInQueue(t) ? () => {
        const s = queue && stateFromSnapshot(waiting, queue.value, deps.clock.now())
        return s !== null && chatStateKey(s) !== k
      } : undefined
      const woken = await watch.wait({ ticketId: t.id, after, recheck }, deadline - Date.now(), signal)
      // Nothing woke it (or the app closes): nothing it could know of changed, so the answer is the one it has.
      if (!woken || watch.closed) return { t, state, seen }
      const fresh = await repo.findTicket(deps.db, t.id)
      if (!fresh) throw new AppError('TICKET_NOT_FOUND')
      t = fresh
    }
  }

  return {
    changes,
    poke: (ticketId) => watch.poke(ticketId),
    watch,
    close: () => watch.close(),
  }
}
