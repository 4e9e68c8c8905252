/**
 * Live chat without the robot loop (BRIEF P3): an honest queue position and expected wait,
 * a bot that speaks only with the person's own data, "talk to a person" always there, and,
 * when nobody is free, the chat simply is a ticket with the same tracking number and a due
 * date. Chat tickets share the agents' queue and console.
 */
import { sql } from 'kysely'
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import * as repo from './helpdesk.repository.ts'
import { selfServiceAnswers, type SelfServiceDeps } from './self-service.ts'
import { isBusinessTime, type BusinessCalendar } from './sla.ts'
import { calendarOf, participantReply, raiseTicket, type HelpdeskDeps, type NewTicket } from './tickets.service.ts'
import { nextState, OPEN_STATES } from './states.ts'

/** A person types at most this many messages a minute; more is flooding, refused with a wait. */
export const CHAT_MESSAGES_PER_MINUTE = 6
/** Minutes an agent spends on a chat, for the expected wait (the board's Erlang C uses the same). */
export const CHAT_HANDLING_MINUTES = 4
/** The longest a chat page's long-poll is held open with no news (below common 30 s proxy cuts). */
export const CHAT_HOLD_MS = 25_000

export async function startChat(deps: HelpdeskDeps & SelfServiceDeps, input: Omit<NewTicket, 'channel'>): Promise<repo.TicketRow> {
  const t = await raiseTicket(deps, { ...input, channel: 'chat' })
  if (t.account_id) {
    const answers = await selfServiceAnswers(deps, t.account_id, t.category, 'id')
    if (answers.length > 0) {
      await repo.insertMessage(deps.db, { ticket_id: t.id, author_kind: 'system', author_id: null, partner_code: null, internal: false, via: 'chat', body: `Dari data Anda / From your data:\n${answers.map((a) => `• ${a}`).join('\n')}\n\nBila belum menjawab, petugas akan menyambung. / If this does not answer it, an agent takes over.`, email_message_id: null, created_at: deps.clock.now() })
    }
  }
  return t
}

export type ChatState =
  | { kind: 'with_agent'; agent: string }
  | { kind: 'queued'; position: number; expectedMinutes: number; agentsFree: number }
  | { kind: 'ticket'; due: Date }
  | { kind: 'ended' }

/** Where the chat stands now; the page shows it and changes only when this changes. */
export async function chatState(deps: Pick<HelpdeskDeps, 'db' | 'clock'>, t: repo.TicketRow): Promise<ChatState> {
  if (!OPEN_STATES.includes(t.state)) return { kind: 'ended' }
  if (t.first_responded_at && t.owner_id) return { kind: 'with_agent', agent: await agentName(deps.db, t) }
  const cal = await calendarOf(deps.db)
  const free = await agentsFree(deps.db, t.category)
  const waiting = waitingState(t, cal, free, deps.clock.now())
  return waiting ?? queuedAt(t, free, await placeInQueue(deps.db, t))
}

/** Whether the chat waits for a first answer (queued or a ticket): its state then depends on the queue, not on its own lines. */
export const waitsInQueue = (t: repo.TicketRow): boolean => OPEN_STATES.includes(t.state) && !(t.first_responded_at && t.owner_id)

/** Nobody can take it: say so once and give the ticket's due date instead of "please wait". Null while someone can. */
function waitingState(t: repo.TicketRow, cal: BusinessCalendar, free: number, now: Date): ChatState | null {
  return !isBusinessTime(cal, now) || free === 0 ? { kind: 'ticket', due: t.first_response_due_at } : null
}

const queuedAt = (t: repo.TicketRow, free: number, position: number): ChatState => ({ kind: 'queued', position, agentsFree: free, expectedMinutes: Math.ceil((position * CHAT_HANDLING_MINUTES) / free) })

/**
 * The person named is the one talking to them: the author of the last agent line they can
 * see (a colleague may answer a chat assigned to someone else), else the owner.
 */
export async function agentName(ex: Executor, t: repo.TicketRow): Promise<string> {
  const r = await sql<{ display_name: string }>`
    select coalesce(
      (select a.display_name from helpdesk_messages m join accounts a on a.id = m.author_id
        where m.ticket_id = ${t.id} and m.author_kind = 'agent' and not m.internal order by m.id desc limit 1),
      (select a.display_name from accounts a where a.id = ${t.owner_id})) as display_name`.execute(ex)
  return r.rows[0]?.display_name?.split(' ')[0] ?? ''
}

async function placeInQueue(ex: Executor, t: repo.TicketRow): Promise<number> {
  const ahead = await ex
    .selectFrom('helpdesk_tickets')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('channel', '=', 'chat')
    .where('state', 'in', ['new', 'open'])
    .where('first_responded_at', 'is', null)
    // Same instant: the id breaks the tie, so two people never share a place.
    .where((e) => e.or([e('created_at', '<', t.created_at), e.and([e('created_at', '=', t.created_at), e('id', '<', t.id)])]))
    .executeTakeFirstOrThrow()
  return Number(ahead.n) + 1
}

async function agentsFree(ex: Executor, category: string): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from helpdesk_agents g
    where g.active and g.skills ? ${category}
      and (select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner')) < g.capacity`.execute(ex)
  return Number(r.rows[0]?.n ?? 0)
}

/**
 * The whole chat queue at one moment, read with two queries however many people wait: every
 * queued chat's place and the free agents by skill. The held polls of one process share it
 * (decision 0013), so a re-poll costs no queue query.
 */
export interface QueueSnapshot {
  readonly cal: BusinessCalendar
  /** Place in the queue by ticket id, for the chats waiting for a first answer when it was read. */
  readonly places: ReadonlyMap<string, number>
  /** Free agents by category. */
  readonly free: ReadonlyMap<string, number>
}

export async function queueSnapshot(ex: Executor, cal: BusinessCalendar): Promise<QueueSnapshot> {
  const queued = await ex
    .selectFrom('helpdesk_tickets')
    .select('id')
    .where('channel', '=', 'chat')
    .where('state', 'in', ['new', 'open'])
    .where('first_responded_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const agents = await sql<{ skills: string[] | string }>`
    select g.skills from helpdesk_agents g
    where g.active
      and (select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner')) < g.capacity`.execute(ex)
  const free = new Map<string, number>()
  for (const a of agents.rows) {
    const skills = typeof a.skills === 'string' ? (JSON.parse(a.skills) as string[]) : a.skills
    for (const s of new Set(skills)) free.set(s, (free.get(s) ?? 0) + 1)
  }
  return { cal, places: new Map(queued.map((q, i) => [q.id, i + 1])), free }
}

/**
 * The state of a chat still waiting for its first answer, from a snapshot; null when the
 * snapshot does not know the chat (opened or reopened after it was read): ask `chatState`.
 */
export function stateFromSnapshot(t: repo.TicketRow, q: QueueSnapshot, now: Date): ChatState | null {
  if (!waitsInQueue(t)) return null
  const free = q.free.get(t.category) ?? 0
  const waiting = waitingState(t, q.cal, free, now)
  if (waiting) return waiting
  const place = q.places.get(t.id)
  return place === undefined ? null : queuedAt(t, free, place)
}

/** A chat line from the person; flooding is refused with how long to wait, nothing stored. */
export async function chatSay(deps: HelpdeskDeps, t: repo.TicketRow, body: string, authorId: string | null): Promise<void> {
  const since = new Date(deps.clock.now().getTime() - 60_000)
  const recent = await deps.db
    .selectFrom('helpdesk_messages')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('ticket_id', '=', t.id)
    .where('author_kind', '=', 'participant')
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  if (Number(recent.n) >= CHAT_MESSAGES_PER_MINUTE)
    throw new AppError('RATE_LIMITED', {
      headers: { 'retry-after': '60' },
      fields: [{ field: 'message', id: `Anda sudah mengirim ${CHAT_MESSAGES_PER_MINUTE} pesan dalam satu menit. Pesan ini belum terkirim: tunggu satu menit, lalu kirim lagi. Pesan sebelumnya sudah kami terima.`, en: `You have sent ${CHAT_MESSAGES_PER_MINUTE} messages within a minute. This one was not sent: wait a minute, then send it again. Your earlier messages have arrived.` }],
    })
  await participantReply(deps, t.id, { body, via: 'chat', authorId })
}

/** "Talk to a person": the bot steps aside and the chat is marked for an agent at once. */
export async function askForPerson(deps: HelpdeskDeps, t: repo.TicketRow): Promise<void> {
  await transaction(deps.db, async (trx) => {
    await repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'system', author_id: null, partner_code: null, internal: false, via: 'chat', body: 'Anda meminta berbicara dengan petugas. / You asked to talk to a person.', email_message_id: null, created_at: deps.clock.now() })
    await repo.updateTicket(trx, t.id, { updated_at: deps.clock.now() })
  })
}

/** A short key for what the person sees in the status line: the page changes only when it does. */
export function chatStateKey(s: ChatState): string {
  switch (s.kind) {
    case 'with_agent': return `agent:${s.agent}`
    case 'queued': return `queued:${s.position}:${s.expectedMinutes}`
    case 'ticket': return `ticket:${s.due.getTime()}`
    case 'ended': return 'ended'
  }
}

export interface ChatLine {
  readonly id: number
  readonly who: repo.MessageRow['author_kind']
  readonly name: string | null
  readonly body: string | null
  readonly at: Date
}

/**
 * What the chat shows after `after`: visible lines (a hidden one as null), and the id to ask
 * from next, past internal notes too, so a note never wakes the person's page twice.
 * `complete` when that is all there is (else ask again from `after`).
 */
export async function chatLines(ex: Executor, ticketId: string, after: number): Promise<{ after: number; lines: ChatLine[]; complete: boolean }> {
  const rows = await repo.messagesAfter(ex, ticketId, after)
  const lines = rows
    .filter((m) => !m.internal)
    .map((m) => ({
      id: Number(m.id),
      who: m.author_kind,
      name: m.author_kind === 'partner' ? m.partner_name : m.author_kind === 'agent' ? (m.author_name?.split(' ')[0] ?? null) : null,
      body: m.hidden_at ? null : m.body,
      at: m.created_at,
    }))
  return { after: rows.reduce((n, m) => Math.max(n, Number(m.id)), after), lines, complete: rows.length < repo.MESSAGES_AFTER_LIMIT }
}

/**
 * The person ends the chat: the ticket is resolved in their name (a reply reopens it), and
 * the page asks for a rating. Nothing is deleted.
 */
export async function endChat(deps: HelpdeskDeps, ticketId: string): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const t = await repo.findTicket(trx, ticketId, { lock: true })
    if (!t) throw new AppError('TICKET_NOT_FOUND')
    const state = nextState(t.state, 'resolve')
    if (!state) throw new AppError('TICKET_STATE')
    const now = deps.clock.now()
    await repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'system', author_id: null, partner_code: null, internal: false, via: 'chat', body: 'Peserta mengakhiri obrolan. / The participant ended the chat.', email_message_id: null, created_at: now })
    await repo.updateTicket(trx, t.id, { state, resolved_at: now, waiting_since: null, updated_at: now })
  })
}
