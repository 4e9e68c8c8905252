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
import { isBusinessTime } from './sla.ts'
import { calendarOf, participantReply, raiseTicket, type HelpdeskDeps, type NewTicket } from './tickets.service.ts'
import { OPEN_STATES } from './states.ts'

/** A person types at most this many messages a minute; more is flooding, refused with a wait. */
export const CHAT_MESSAGES_PER_MINUTE = 6
/** Minutes an agent spends on a chat, for the expected wait (the board's Erlang C uses the same). */
export const CHAT_HANDLING_MINUTES = 4

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
  if (t.first_responded_at && t.owner_id) {
    const owner = await deps.db.selectFrom('accounts').select('display_name').where('id', '=', t.owner_id).executeTakeFirst()
    return { kind: 'with_agent', agent: owner?.display_name.split(' ')[0] ?? '' }
  }
  const now = deps.clock.now()
  const cal = await calendarOf(deps.db)
  const free = await agentsFree(deps.db, t.category)
  // Nobody can take it: say so once and give the ticket's due date instead of "please wait".
  if (!isBusinessTime(cal, now) || free === 0) return { kind: 'ticket', due: t.first_response_due_at }
  const ahead = await deps.db
    .selectFrom('helpdesk_tickets')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('channel', '=', 'chat')
    .where('state', 'in', ['new', 'open'])
    .where('first_responded_at', 'is', null)
    // Same instant: the id breaks the tie, so two people never share a place.
    .where((e) => e.or([e('created_at', '<', t.created_at), e.and([e('created_at', '=', t.created_at), e('id', '<', t.id)])]))
    .executeTakeFirstOrThrow()
  const position = Number(ahead.n) + 1
  return { kind: 'queued', position, agentsFree: free, expectedMinutes: Math.ceil((position * CHAT_HANDLING_MINUTES) / free) }
}

async function agentsFree(ex: Executor, category: string): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from helpdesk_agents g
    where g.active and g.skills ? ${category}
      and (select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner')) < g.capacity`.execute(ex)
  return Number(r.rows[0]?.n ?? 0)
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
  if (Number(recent.n) >= CHAT_MESSAGES_PER_MINUTE) throw new AppError('RATE_LIMITED', { headers: { 'retry-after': '60' } })
  await participantReply(deps, t.id, { body, via: 'chat', authorId })
}

/** "Talk to a person": the bot steps aside and the chat is marked for an agent at once. */
export async function askForPerson(deps: HelpdeskDeps, t: repo.TicketRow): Promise<void> {
  await transaction(deps.db, async (trx) => {
    await repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'system', author_id: null, partner_code: null, internal: false, via: 'chat', body: 'Anda meminta berbicara dengan petugas. / You asked to talk to a person.', email_message_id: null, created_at: deps.clock.now() })
    await repo.updateTicket(trx, t.id, { updated_at: deps.clock.now() })
  })
}
