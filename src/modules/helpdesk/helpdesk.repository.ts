/** All SQL of the helpdesk: tickets, messages, attachments, agents, hand-offs, ratings. */
import { sql, type Insertable, type Selectable } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { Category, Channel, HelpdeskTicketsTable, HelpdeskMessagesTable, Priority, TicketState } from './helpdesk.tables.ts'
import { OPEN_STATES } from './states.ts'

export type TicketRow = Selectable<HelpdeskTicketsTable>
export type MessageRow = Selectable<HelpdeskMessagesTable>

export async function holidays(ex: Executor): Promise<string[]> {
  const rows = await ex.selectFrom('helpdesk_holidays').select(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day')).execute()
  return rows.map((r) => r.day)
}

export async function slaTarget(ex: Executor, channel: Channel, category: Category, priority: Priority) {
  return ex.selectFrom('helpdesk_sla_targets').selectAll().where('channel', '=', channel).where('category', '=', category).where('priority', '=', priority).executeTakeFirstOrThrow()
}

export async function insertTicket(ex: Executor, row: Insertable<HelpdeskTicketsTable>): Promise<TicketRow> {
  return ex.insertInto('helpdesk_tickets').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function insertMessage(ex: Executor, row: Insertable<HelpdeskMessagesTable>): Promise<MessageRow> {
  return ex.insertInto('helpdesk_messages').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function insertAttachment(ex: Executor, row: { message_id: string; file_name: string; content_type: 'image/jpeg' | 'image/png' | 'application/pdf'; size_bytes: number; storage_key: string; created_at: Date }) {
  await ex.insertInto('helpdesk_attachments').values(row).execute()
}

export function findTicketByTracking(ex: Executor, tracking: string, opts: { lock?: boolean } = {}) {
  const q = ex.selectFrom('helpdesk_tickets').selectAll().where('tracking', '=', tracking)
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst()
}

export function findTicket(ex: Executor, id: string, opts: { lock?: boolean } = {}) {
  const q = ex.selectFrom('helpdesk_tickets').selectAll().where('id', '=', id)
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst()
}

export async function updateTicket(ex: Executor, id: string, set: Partial<Omit<TicketRow, 'id' | 'tracking'>>): Promise<void> {
  await ex.updateTable('helpdesk_tickets').set(set).where('id', '=', id).execute()
}

export function messagesOf(ex: Executor, ticketId: string, opts: { includeInternal: boolean }) {
  let q = ex
    .selectFrom('helpdesk_messages as m')
    .leftJoin('accounts as a', 'a.id', 'm.author_id')
    .leftJoin('partners as p', 'p.code', 'm.partner_code')
    .selectAll('m')
    .select(['a.display_name as author_name', 'p.name as partner_name'])
    .where('m.ticket_id', '=', ticketId)
  if (!opts.includeInternal) q = q.where('m.internal', '=', false)
  return q.orderBy('m.id').execute()
}

export function attachmentsOf(ex: Executor, ticketId: string) {
  return ex
    .selectFrom('helpdesk_attachments as at')
    .innerJoin('helpdesk_messages as m', 'm.id', 'at.message_id')
    .select(['at.id', 'at.message_id', 'at.file_name', 'at.content_type', 'at.size_bytes', 'at.storage_key', 'm.internal', 'm.hidden_at'])
    .where('m.ticket_id', '=', ticketId)
    .execute()
}

export function findAttachment(ex: Executor, id: string) {
  return ex
    .selectFrom('helpdesk_attachments as at')
    .innerJoin('helpdesk_messages as m', 'm.id', 'at.message_id')
    .select(['at.id', 'at.file_name', 'at.content_type', 'at.storage_key', 'm.ticket_id', 'm.internal', 'm.hidden_at'])
    .where('at.id', '=', id)
    .executeTakeFirst()
}

export async function hideMessage(ex: Executor, ticketId: string, messageId: string, by: string, reason: string, at: Date): Promise<boolean> {
  const r = await ex.updateTable('helpdesk_messages').set({ hidden_at: at, hidden_by: by, hidden_reason: reason }).where('id', '=', messageId).where('ticket_id', '=', ticketId).where('hidden_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function ticketsOfAccount(ex: Executor, accountId: string) {
  return ex.selectFrom('helpdesk_tickets').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(50).execute()
}

export interface QueueFilter {
  channel?: Channel
  category?: Category
  ownerId?: string
  unassigned?: boolean
}

/** Open tickets, the most urgent first: the nearest due date still to be met. */
export function queue(ex: Executor, f: QueueFilter, limit = 200) {
  let q = ex
    .selectFrom('helpdesk_tickets as t')
    .leftJoin('accounts as o', 'o.id', 't.owner_id')
    .selectAll('t')
    .select(['o.display_name as owner_name', sql<Date>`case when t.first_responded_at is null then least(t.first_response_due_at, t.resolution_due_at) else t.resolution_due_at end`.as('next_due_at')])
    .where('t.state', 'in', OPEN_STATES)
  if (f.channel) q = q.where('t.channel', '=', f.channel)
  if (f.category) q = q.where('t.category', '=', f.category)
  if (f.ownerId) q = q.where('t.owner_id', '=', f.ownerId)
  if (f.unassigned) q = q.where('t.owner_id', 'is', null)
  return q.orderBy('next_due_at').limit(limit).execute()
}

export function unassignedOpen(ex: Executor, limit: number) {
  return ex.selectFrom('helpdesk_tickets').select(['id', 'category']).where('state', 'in', ['new', 'open']).where('owner_id', 'is', null).orderBy('first_response_due_at').orderBy('created_at').limit(limit).execute()
}

const LOAD = sql<number>`(select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner'))`

/**
 * The next agent for a category: has the skill, is active and below capacity. The team with
 * the most room left among such agents takes it, and within the team it goes round-robin, to
 * whoever was assigned longest ago (never: the most room first). The agent's row is locked so two assignments at once
 * cannot both take the last place.
 */
export async function pickAgent(ex: Executor, category: Category) {
  const teams = await ex
    .selectFrom('helpdesk_agents as g')
    .select(['g.team', sql<string>`sum(g.capacity - ${LOAD})`.as('room')])
    .where('g.active', '=', true)
    .where(sql<boolean>`g.skills ? ${category}`)
    .where(sql<boolean>`${LOAD} < g.capacity`)
    .groupBy('g.team')
    .orderBy(sql`sum(g.capacity - ${LOAD}) desc`)
    .orderBy('g.team')
    .execute()
  for (const team of teams) {
    const agent = await ex
      .selectFrom('helpdesk_agents as g')
      .select(['g.account_id', 'g.team'])
      .where('g.team', '=', team.team)
      .where('g.active', '=', true)
      .where(sql<boolean>`g.skills ? ${category}`)
      .where(sql<boolean>`${LOAD} < g.capacity`)
      .orderBy(sql`g.last_assigned_seq asc nulls first`)
      // Among agents never assigned yet, the one with more room first.
      .orderBy(sql`g.capacity - ${LOAD} desc`)
      .orderBy('g.account_id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
    if (agent) return agent
  }
  return undefined
}

export async function markAssigned(ex: Executor, agentId: string, at: Date): Promise<void> {
  await sql`update helpdesk_agents set last_assigned_at = ${at}, last_assigned_seq = nextval('helpdesk_assign_seq') where account_id = ${agentId}`.execute(ex)
}

export async function upsertAgent(ex: Executor, a: { accountId: string; team: string; skills: readonly Category[]; capacity: number }): Promise<void> {
  await ex
    .insertInto('helpdesk_agents')
    .values({ account_id: a.accountId, team: a.team, skills: JSON.stringify(a.skills), capacity: a.capacity })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ team: a.team, skills: JSON.stringify(a.skills), capacity: a.capacity }))
    .execute()
}

export function handoffsOf(ex: Executor, ticketId: string) {
  return ex.selectFrom('helpdesk_handoffs as h').innerJoin('partners as p', 'p.code', 'h.partner_code').selectAll('h').select('p.name as partner_name').where('h.ticket_id', '=', ticketId).orderBy('h.created_at').execute()
}

export function openHandoffsOfPartner(ex: Executor, partnerCode: string) {
  return ex
    .selectFrom('helpdesk_handoffs as h')
    .innerJoin('helpdesk_tickets as t', 't.id', 'h.ticket_id')
    .select(['h.id', 'h.question', 'h.due_at', 'h.created_at', 't.tracking', 't.category', 't.subject'])
    .where('h.partner_code', '=', partnerCode)
    .where('h.status', '=', 'open')
    .orderBy('h.due_at')
    .execute()
}

export function findHandoff(ex: Executor, id: string, opts: { lock?: boolean } = {}) {
  const q = ex.selectFrom('helpdesk_handoffs').selectAll().where('id', '=', id)
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst()
}

export async function insertHandoff(ex: Executor, row: { ticket_id: string; partner_code: string; question: string; due_at: Date; created_by: string; created_at: Date }) {
  return ex.insertInto('helpdesk_handoffs').values({ ...row, status: 'open' }).returningAll().executeTakeFirstOrThrow()
}

export async function answerHandoff(ex: Executor, id: string, answer: string, by: string, at: Date): Promise<boolean> {
  const r = await ex.updateTable('helpdesk_handoffs').set({ status: 'answered', answer, answered_by: by, answered_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export function openHandoffCount(ex: Executor, ticketId: string) {
  return ex.selectFrom('helpdesk_handoffs').select((e) => e.fn.countAll<string>().as('n')).where('ticket_id', '=', ticketId).where('status', '=', 'open').executeTakeFirstOrThrow()
}

export function csatOf(ex: Executor, ticketId: string) {
  return ex.selectFrom('helpdesk_csat').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst()
}

export async function insertCsat(ex: Executor, row: { ticket_id: string; channel: Channel; owner_id: string | null; score: number; comment: string; created_at: Date }): Promise<boolean> {
  const r = await ex.insertInto('helpdesk_csat').values(row).onConflict((oc) => oc.column('ticket_id').doNothing()).returning('ticket_id').executeTakeFirst()
  return r !== undefined
}

export function csatByChannel(ex: Executor) {
  return ex
    .selectFrom('helpdesk_csat')
    .select(['channel', (e) => e.fn.countAll<string>().as('n'), sql<string>`avg(score)`.as('average'), sql<string>`count(*) filter (where score >= 4)`.as('satisfied')])
    .groupBy('channel')
    .execute()
}

export async function recordInbound(ex: Executor, messageId: string, outcome: string, ticketId: string | null, at: Date): Promise<boolean> {
  const r = await ex.insertInto('helpdesk_inbound_emails').values({ message_id: messageId, outcome, ticket_id: ticketId, received_at: at }).onConflict((oc) => oc.column('message_id').doNothing()).returning('message_id').executeTakeFirst()
  return r !== undefined
}

export type { TicketState }

/** The demo agent and supervisor, skilled in every category, in one team. */
export async function seedHelpdeskAgents(ex: Executor): Promise<void> {
  const staff = await ex.selectFrom('accounts').select(['id', 'role']).where('email', 'in', ['agen@karya.test', 'supervisor@karya.test']).execute()
  const all: Category[] = ['registration', 'verification', 'wave', 'purchase', 'certificate', 'incentive', 'other']
  for (const s of staff) {
    const known = await ex.selectFrom('helpdesk_agents').select('account_id').where('account_id', '=', s.id).executeTakeFirst()
    if (!known) await upsertAgent(ex, { accountId: s.id, team: 'pusat', skills: all, capacity: s.role === 'supervisor' ? 5 : 30 })
  }
}

export function findInbound(ex: Executor, messageId: string) {
  return ex.selectFrom('helpdesk_inbound_emails').select('outcome').where('message_id', '=', messageId).executeTakeFirst()
}


/** A ticket's messages after `after` (by id), with who wrote them; the chat's long-poll reads these. */
/** The most lines `messagesAfter` answers at once. */
export const MESSAGES_AFTER_LIMIT = 200

export function messagesAfter(ex: Executor, ticketId: string, after: number) {
  return ex
    .selectFrom('helpdesk_messages as m')
    .leftJoin('accounts as a', 'a.id', 'm.author_id')
    .leftJoin('partners as p', 'p.code', 'm.partner_code')
    .select(['m.id', 'm.author_kind', 'm.internal', 'm.body', 'm.hidden_at', 'm.created_at', 'a.display_name as author_name', 'p.name as partner_name'])
    .where('m.ticket_id', '=', ticketId)
    .where('m.id', '>', String(after))
    .orderBy('m.id')
    .limit(MESSAGES_AFTER_LIMIT)
    .execute()
}

/** Messages written since `from` (by id, any ticket), with their ticket's channel: what the chat watch wakes waiters with. */
export function messagesSince(ex: Executor, from: number, limit: number) {
  return ex
    .selectFrom('helpdesk_messages as m')
    .innerJoin('helpdesk_tickets as t', 't.id', 'm.ticket_id')
    .select(['m.id', 'm.ticket_id', 'm.author_kind', 't.channel'])
    .where('m.id', '>', String(from))
    .orderBy('m.id')
    .limit(limit)
    .execute()
}

export async function lastMessageId(ex: Executor): Promise<number> {
  const r = await ex.selectFrom('helpdesk_messages').select((e) => e.fn.max('id').as('id')).executeTakeFirst()
  return Number(r?.id ?? 0)
}

export async function insertCallback(ex: Executor, row: { ticket_id: string; phone: string; window_start: Date; window_end: Date; created_at: Date }): Promise<void> {
  await ex.insertInto('helpdesk_callbacks').values({ ...row, status: 'waiting', updated_at: row.created_at }).execute()
}

export function findCallback(ex: Executor, ticketId: string, opts: { lock?: boolean } = {}) {
  const q = ex.selectFrom('helpdesk_callbacks').selectAll().where('ticket_id', '=', ticketId)
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst()
}

export async function updateCallback(ex: Executor, ticketId: string, set: { status?: 'waiting' | 'answered' | 'gave_up'; attempts?: number; last_outcome?: 'answered' | 'no_answer'; window_start?: Date; window_end?: Date; updated_at: Date }): Promise<void> {
  await ex.updateTable('helpdesk_callbacks').set(set).where('ticket_id', '=', ticketId).execute()
}
