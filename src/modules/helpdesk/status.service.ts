/** What the person sees of their ticket: owner, next step and by when, every visible message. */
import type { Executor } from '../../platform/db/database.ts'
import * as repo from './helpdesk.repository.ts'

export type NextStep =
  | { kind: 'first_answer'; due: Date }
  | { kind: 'working'; due: Date }
  | { kind: 'your_turn' }
  | { kind: 'partner'; partner: string; due: Date }
  | { kind: 'resolved' }
  | { kind: 'closed' }
  | { kind: 'merged'; into: string }

export async function statusView(ex: Executor, t: repo.TicketRow) {
  const [messages, attachments, handoffs, csat, owner, mergedInto] = await Promise.all([
    repo.messagesOf(ex, t.id, { includeInternal: false }),
    repo.attachmentsOf(ex, t.id),
    repo.handoffsOf(ex, t.id),
    repo.csatOf(ex, t.id),
    t.owner_id ? ex.selectFrom('accounts').select('display_name').where('id', '=', t.owner_id).executeTakeFirst() : Promise.resolve(undefined),
    t.merged_into ? repo.findTicket(ex, t.merged_into) : Promise.resolve(undefined),
  ])
  const openHandoff = handoffs.find((h) => h.status === 'open')
  let next: NextStep
  if (t.state === 'merged') next = { kind: 'merged', into: mergedInto?.tracking ?? '' }
  else if (t.state === 'resolved') next = { kind: 'resolved' }
  else if (t.state === 'closed') next = { kind: 'closed' }
  else if (t.state === 'waiting_participant') next = { kind: 'your_turn' }
  else if (openHandoff) next = { kind: 'partner', partner: openHandoff.partner_name, due: openHandoff.due_at }
  else if (!t.first_responded_at) next = { kind: 'first_answer', due: t.first_response_due_at }
  else next = { kind: 'working', due: t.resolution_due_at }
  return {
    ticket: t,
    // Agents' first names only: the person gets a named owner, not a staff directory.
    ownerName: owner ? owner.display_name.split(' ')[0]! : null,
    next,
    messages: messages.map((m) => ({
      id: m.id,
      who: m.author_kind,
      name: m.author_kind === 'partner' ? m.partner_name : m.author_kind === 'agent' ? (m.author_name?.split(' ')[0] ?? null) : null,
      body: m.hidden_at ? null : m.body,
      at: m.created_at,
      attachments: m.hidden_at ? [] : attachments.filter((a) => a.message_id === m.id).map((a) => ({ id: a.id, name: a.file_name })),
    })),
    handoffs: handoffs.map((h) => ({ partner: h.partner_name, due: h.due_at, answeredAt: h.answered_at })),
    csat: csat ? { score: csat.score, comment: csat.comment } : null,
  }
}

export type StatusView = Awaited<ReturnType<typeof statusView>>
