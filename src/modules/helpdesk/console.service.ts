/**
 * The agent's side: the queue by urgency, the ticket with the person's 360° view, and every
 * action (reply, note, ask, resolve, close, escalate, merge, hand-off, hide) audited in the
 * same transaction. Agents see only the data of the ticket's own person.
 */
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { listInbox } from '../../platform/mail/index.ts'
import { findAccountById } from '../accounts/index.ts'
import { participantBalances } from '../ledger/index.ts'
import { myPurchases } from '../purchases/index.ts'
import { cardOf, waveState } from '../waves/index.ts'
import { checkStatus } from '../registration/index.ts'
import { findPartner } from '../partners/index.ts'
import type { Category, Channel } from './helpdesk.tables.ts'
import * as repo from './helpdesk.repository.ts'
import { selfServiceAnswers, type SelfServiceDeps } from './self-service.ts'
import { addBusinessMinutes, isBusinessTime, slaState } from './sla.ts'
import { nextState, type TicketAction } from './states.ts'
import { assignTicket, calendarOf, currentResolutionDue, endPartnerPause, messageProblem, tellParticipant, type HelpdeskDeps } from './tickets.service.ts'
import { parseTrackingNumber } from './tracking.ts'

export interface Staff {
  readonly id: string
  readonly role: string
  readonly requestId: string
  readonly ip: string
}

export type ConsoleDeps = HelpdeskDeps & SelfServiceDeps

/** A partner has one business day (12 business hours) to answer a hand-off. */
export const HANDOFF_MINUTES = 720

function audit(ex: Executor, deps: HelpdeskDeps, staff: Staff, action: string, ticketId: string, details: Record<string, unknown> = {}) {
  return record(ex, { actorId: staff.id, actorRole: staff.role, action, subjectType: 'helpdesk_ticket', subjectId: ticketId, details, requestId: staff.requestId, ip: staff.ip }, deps.clock)
}

/** Tickets nobody owns yet go to agents with the skill and room, only while the centre is open. */
export async function assignWaiting(deps: HelpdeskDeps, limit = 100): Promise<number> {
  const now = deps.clock.now()
  if (!isBusinessTime(await calendarOf(deps.db), now)) return 0
  let assigned = 0
  for (const t of await repo.unassignedOpen(deps.db, limit)) {
    const got = await transaction(deps.db, (trx) => assignTicket(trx, t, now))
    if (!got) continue
    assigned++
  }
  return assigned
}

export async function agentQueue(deps: HelpdeskDeps, staff: Staff, filter: { channel?: Channel; category?: Category; mine?: boolean; unassigned?: boolean }) {
  await assignWaiting(deps)
  const cal = await calendarOf(deps.db)
  const now = deps.clock.now()
  const rows = await repo.queue(deps.db, { ...filter, ...(filter.mine ? { ownerId: staff.id } : {}) })
  await record(deps.db, { actorId: staff.id, actorRole: staff.role, action: 'helpdesk.queue.view', details: { shown: rows.length, filter }, requestId: staff.requestId, ip: staff.ip }, deps.clock)
  return rows
    .map((t) => {
      const due = t.first_responded_at ? currentResolutionDue(cal, t, now) : t.next_due_at
      return { ...t, next_due_at: due, paused: t.partner_paused_since !== null, sla: slaState(cal, { startedAt: t.created_at, dueAt: due, doneAt: null }, now) }
    })
    .sort((a, b) => a.next_due_at.getTime() - b.next_due_at.getTime())
}

/** The person behind a ticket, read-only, from each module's public door. */
export async function person360(deps: ConsoleDeps, accountId: string) {
  const [account, checks, wave, card, balances, purchases, inbox, tickets] = await Promise.all([
    findAccountById(deps.db, accountId),
    checkStatus(deps.db, accountId),
    waveState(deps, accountId),
    cardOf(deps, accountId),
    participantBalances(deps.db, accountId),
    myPurchases(deps.db, accountId),
    listInbox(deps.db, accountId, { limit: 10 }),
    repo.ticketsOfAccount(deps.db, accountId),
  ])
  return { account, checks, wave, card, balances, purchases, inbox, tickets }
}

export async function agentTicket(deps: ConsoleDeps, staff: Staff, id: string) {
  const t = await repo.findTicket(deps.db, id)
  if (!t) throw new AppError('TICKET_NOT_FOUND')
  const [messages, attachments, handoffs, csat] = await Promise.all([repo.messagesOf(deps.db, id, { includeInternal: true }), repo.attachmentsOf(deps.db, id), repo.handoffsOf(deps.db, id), repo.csatOf(deps.db, id)])
  const person = t.account_id ? await person360(deps, t.account_id) : null
  const answers = t.account_id ? await selfServiceAnswers(deps, t.account_id, t.category, 'id') : []
  await audit(deps.db, deps, staff, 'helpdesk.ticket.view', t.id, { accountId: t.account_id })
  return { ticket: t, messages, attachments, handoffs, csat, person, answers }
}

export type AgentAction =
  | { kind: 'reply'; body: string; then: 'open' | 'ask' | 'resolve' }
  | { kind: 'note'; body: string }
  | { kind: 'take' }
  | { kind: 'close' }
  | { kind: 'reopen' }
  | { kind: 'escalate'; reason: string }
  | { kind: 'merge'; into: string }
  | { kind: 'handoff'; partnerCode: string; question: string }
  | { kind: 'hide'; messageId: string; reason: string }

function fieldError(field: string, id: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { fields: [{ field, id, en }] })
}

function requireText(body: string, field: string): void {
  const p: FieldError | null = messageProblem(body, field)
  if (p) throw new AppError('VALIDATION_FAILED', { fields: [p] })
}

function move(t: repo.TicketRow, action: TicketAction) {
  const s = nextState(t.state, action)
  if (!s) throw new AppError('TICKET_STATE', { detail: `${action} from ${t.state}` })
  return s
}

/** One action on one ticket, in one transaction with its audit record. */
export async function agentAct(deps: ConsoleDeps, staff: Staff, id: string, action: AgentAction): Promise<repo.TicketRow> {
  if (action.kind === 'reply' || action.kind === 'note') requireText(action.body, 'body')
  if (action.kind === 'handoff') requireText(action.question, 'question')
  if ((action.kind === 'escalate' || action.kind === 'hide') && action.reason.trim().length < 5) throw fieldError('reason', 'Tulis alasannya (paling sedikit 5 huruf); dicatat di log audit.', 'Write the reason (at least 5 letters); it goes into the audit log.')
  if (action.kind === 'hide' && staff.role !== 'supervisor') throw new AppError('FORBIDDEN')
  return transaction(deps.db, async (trx) => {
    const t = await repo.findTicket(trx, id, { lock: true })
    if (!t) throw new AppError('TICKET_NOT_FOUND')
    const now = deps.clock.now()
    const base = { updated_at: now, owner_id: t.owner_id ?? staff.id }
    const say = (body: string, internal: boolean, kind: 'agent' | 'system' = 'agent') =>
      repo.insertMessage(trx, { ticket_id: t.id, author_kind: kind, author_id: staff.id, partner_code: null, internal, via: 'console', body, email_message_id: null, created_at: now })
    switch (action.kind) {
      case 'reply': {
        const state = move(t, action.then === 'ask' ? 'ask_participant' : action.then === 'resolve' ? 'resolve' : 'agent_reply')
        await say(action.body.trim(), false)
        // Resolved while a partner still had the question: the pause ends here.
        const unpause = state === 'resolved' ? await endPartnerPause(trx, t, now) : {}
        await repo.updateTicket(trx, t.id, { ...base, ...unpause, state, first_responded_at: t.first_responded_at ?? now, waiting_since: state === 'waiting_participant' ? now : null, resolved_at: state === 'resolved' ? now : null })
        const what = state === 'resolved' ? 'Pengaduan diselesaikan / Complaint resolved' : 'Jawaban atas pengaduan Anda / An answer to your complaint'
        const rate = state === 'resolved' ? `\n\nBeri nilai layanan kami (1–5) di halaman pengaduan. / Rate our service (1–5) on the complaint page.` : ''
        await tellParticipant(deps, trx, t, what, `${action.body.trim()}${rate}`)
        await audit(trx, deps, staff, 'helpdesk.reply', t.id, { state })
        return { ...t, state }
      }
      case 'note':
        await say(action.body.trim(), true)
        await repo.updateTicket(trx, t.id, { updated_at: now })
        await audit(trx, deps, staff, 'helpdesk.note', t.id)
        return t
      case 'take':
        await repo.updateTicket(trx, t.id, { updated_at: now, owner_id: staff.id })
        await audit(trx, deps, staff, 'helpdesk.take', t.id, { previousOwner: t.owner_id })
        return { ...t, owner_id: staff.id }
      case 'close':
      case 'reopen': {
        const state = move(t, action.kind)
        await repo.updateTicket(trx, t.id, { ...base, state, closed_at: state === 'closed' ? now : null, resolved_at: state === 'open' ? null : t.resolved_at })
        await audit(trx, deps, staff, `helpdesk.${action.kind}`, t.id)
        return { ...t, state }
      }
      case 'escalate': {
        if (!['new', 'open', 'waiting_participant', 'waiting_partner'].includes(t.state)) throw new AppError('TICKET_STATE')
        const cal = await calendarOf(trx)
        const target = await repo.slaTarget(trx, t.channel, t.category, 'high')
        const earliest = (a: Date, b: Date) => (a.getTime() < b.getTime() ? a : b)
        await repo.updateTicket(trx, t.id, {
          ...base,
          priority: 'high',
          escalated_at: now,
          first_response_due_at: earliest(t.first_response_due_at, addBusinessMinutes(cal, t.created_at, target.first_response_minutes)),
          resolution_due_at: earliest(t.resolution_due_at, addBusinessMinutes(cal, t.created_at, target.resolution_minutes)),
        })
        await say(`Eskalasi / Escalated: ${action.reason.trim()}`, true)
        await audit(trx, deps, staff, 'helpdesk.escalate', t.id, { reason: action.reason.trim() })
        return { ...t, priority: 'high', escalated_at: now }
      }
      case 'merge': {
        const tracking = parseTrackingNumber(action.into)
        const into = tracking ? await repo.findTicketByTracking(trx, tracking, { lock: true }) : undefined
        if (!into || into.id === t.id || into.state === 'merged' || into.state === 'closed') throw fieldError('into', 'Tulis nomor pengaduan lain yang masih terbuka (KRY-…).', 'Give the number of another complaint that is still open (KRY-…).')
        const samePerson = (t.account_id && t.account_id === into.account_id) || (!t.account_id && !into.account_id && (t.contact_email ?? t.contact_phone) === (into.contact_email ?? into.contact_phone))
        if (!samePerson) throw fieldError('into', 'Hanya pengaduan dari orang yang sama yang bisa digabung.', 'Only complaints from the same person can be merged.')
        move(t, 'merge')
        await repo.updateTicket(trx, t.id, { ...base, ...(await endPartnerPause(trx, t, now)), state: 'merged', merged_into: into.id, closed_at: now })
        await say(`Digabung ke ${into.tracking} / Merged into ${into.tracking}`, false, 'system')
        await repo.insertMessage(trx, { ticket_id: into.id, author_kind: 'system', author_id: staff.id, partner_code: null, internal: false, via: 'console', body: `Pengaduan ${t.tracking} digabung ke sini / Complaint ${t.tracking} was merged into this one`, email_message_id: null, created_at: now })
        await audit(trx, deps, staff, 'helpdesk.merge', t.id, { into: into.id })
        return { ...t, state: 'merged', merged_into: into.id }
      }
      case 'handoff': {
        const partner = await findPartner(trx, action.partnerCode)
        if (!partner || partner.status !== 'active') throw fieldError('partner', 'Pilih mitra yang aktif.', 'Choose an active partner.')
        const state = move(t, 'hand_off')
        const due = addBusinessMinutes(await calendarOf(trx), now, HANDOFF_MINUTES)
        await repo.insertHandoff(trx, { ticket_id: t.id, partner_code: partner.code, question: action.question.trim(), due_at: due, created_by: staff.id, created_at: now }).catch((err: unknown) => {
          throw (err as { code?: string }).code === '23505' ? new AppError('TICKET_STATE', { detail: 'already handed to this partner' }) : err
        })
        const text = `Diteruskan ke ${partner.name}, jawaban diharapkan paling lambat ${formatDateTime('id', due)}. Kami tetap menjadi penanggung jawab pengaduan ini.\n\nHanded to ${partner.name}, answer expected by ${formatDateTime('en', due)}. We remain responsible for this complaint.`
        await say(text, false, 'system')
        // The programme's resolution clock stops until the partner answers (it has its own target).
        await repo.updateTicket(trx, t.id, { ...base, state, first_responded_at: t.first_responded_at ?? now, partner_paused_since: t.partner_paused_since ?? now })
        await tellParticipant(deps, trx, t, 'Pengaduan diteruskan ke mitra / Complaint handed to a partner', text)
        await audit(trx, deps, staff, 'helpdesk.handoff', t.id, { partner: partner.code, dueAt: due.toISOString() })
        return { ...t, state }
      }
      case 'hide': {
        const hidden = await repo.hideMessage(trx, t.id, action.messageId, staff.id, action.reason.trim(), now)
        if (!hidden) throw new AppError('NOT_FOUND')
        await audit(trx, deps, staff, 'helpdesk.message.hide', t.id, { messageId: action.messageId, reason: action.reason.trim() })
        return t
      }
    }
  })
}
