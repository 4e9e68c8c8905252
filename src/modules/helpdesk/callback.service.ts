/**
 * Call-back requests: the person (logged in, or not with a phone number) asks to be called in
 * a window inside business hours; it becomes a phone ticket with a tracking number in the
 * agents' queue, due at the end of the window. The agent logs each call: answered (with what
 * was said) or not picked up, which moves the window to the next try and tells the person;
 * after the last try the ticket waits for the person. Every outcome is a message and audited.
 */
import { transaction } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { findAccountById, normalisePhone } from '../accounts/index.ts'
import { callbackWindow, nextCallWindow, CALLBACK_MAX_ATTEMPTS } from './callback.ts'
import type { Staff } from './console.service.ts'
import type { Category } from './helpdesk.tables.ts'
import * as repo from './helpdesk.repository.ts'
import { nextState } from './states.ts'
import { calendarOf, messageProblem, raiseTicket, tellParticipant, type HelpdeskDeps } from './tickets.service.ts'

export interface CallbackRequest {
  readonly accountId: string | null
  readonly name: string
  readonly phone: string
  readonly category: Category
  readonly day: string
  readonly from: string
  readonly to: string
  readonly note: string
}

const span = (w: { start: Date; end: Date }) => {
  const [day, from] = formatDateTime('id', w.start).replace(/ WIB$/, '').split(' pukul ')
  const to = formatDateTime('id', w.end).replace(/ WIB$/, '').split(' pukul ')[1]
  const [dayEn, fromEn] = formatDateTime('en', w.start).replace(/ WIB$/, '').split(' at ')
  const toEn = formatDateTime('en', w.end).replace(/ WIB$/, '').split(' at ')[1]
  return { id: `${day} pukul ${from}–${to} WIB`, en: `${dayEn}, ${fromEn}–${toEn} WIB` }
}

export async function requestCallback(deps: HelpdeskDeps, input: CallbackRequest): Promise<repo.TicketRow> {
  const now = deps.clock.now()
  const fields: FieldError[] = []
  const account = input.accountId ? await findAccountById(deps.db, input.accountId) : undefined
  const typed = input.phone.trim() || account?.phone || ''
  const phone = normalisePhone(typed)
  if (!phone.ok) fields.push(phone.error)
  const window = callbackWindow(await calendarOf(deps.db), now, input)
  if (!window.ok) fields.push(window.error)
  if (input.note.trim()) {
    const p = messageProblem(input.note, 'note')
    if (p) fields.push(p)
  }
  if (!account && !input.name.trim()) fields.push({ field: 'name', id: 'Tulis nama Anda agar petugas tahu siapa yang ditelepon.', en: 'Write your name so the agent knows whom to ask for.' })
  if (fields.length > 0 || !phone.ok || !window.ok) throw new AppError('VALIDATION_FAILED', { fields })
  const when = span(window.window)
  const body = `Minta ditelepon balik di ${phone.phone}, ${when.id}.\nPlease call me back on ${phone.phone}, ${when.en}.${input.note.trim() ? `\n\n${input.note.trim()}` : ''}`
  const t = await raiseTicket(deps, { channel: 'phone', category: input.category, subject: `Telepon balik ${when.id}`, body, accountId: account?.id ?? null, contact: account ? { phone: phone.phone } : { name: input.name, phone: phone.phone } })
  await transaction(deps.db, async (trx) => {
    await repo.insertCallback(trx, { ticket_id: t.id, phone: phone.phone, window_start: window.window.start, window_end: window.window.end, created_at: now })
    // The promise to the person is the window: the queue orders the ticket by its end.
    await repo.updateTicket(trx, t.id, { first_response_due_at: window.window.end, updated_at: now })
  })
  return { ...t, first_response_due_at: window.window.end }
}

export type CallOutcome = { kind: 'answered'; note: string } | { kind: 'no_answer' }

/** One call on a call-back ticket, logged by the agent who made it, with its audit record. */
export async function logCall(deps: HelpdeskDeps, staff: Staff, ticketId: string, outcome: CallOutcome): Promise<repo.TicketRow> {
  if (outcome.kind === 'answered') {
    const p = messageProblem(outcome.note, 'note')
    if (p) throw new AppError('VALIDATION_FAILED', { fields: [{ ...p, id: 'Tulis ringkasan pembicaraan: apa yang ditanyakan dan dijawab.', en: 'Write a summary of the call: what was asked and answered.' }] })
  }
  return transaction(deps.db, async (trx) => {
    const t = await repo.findTicket(trx, ticketId, { lock: true })
    if (!t) throw new AppError('TICKET_NOT_FOUND')
    const cb = await repo.findCallback(trx, ticketId, { lock: true })
    if (!cb || cb.status !== 'waiting') throw new AppError('TICKET_STATE', { detail: 'no call-back waiting on this ticket' })
    const now = deps.clock.now()
    const attempts = cb.attempts + 1
    const say = (body: string) => repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'agent', author_id: staff.id, partner_code: null, internal: false, via: 'phone', body, email_message_id: null, created_at: now })
    const audit = (action: string, details: Record<string, unknown>) => record(trx, { actorId: staff.id, actorRole: staff.role, action, subjectType: 'helpdesk_ticket', subjectId: t.id, details, requestId: staff.requestId, ip: staff.ip }, deps.clock)
    const at = formatDateTime('id', now)
    if (outcome.kind === 'answered') {
      const state = nextState(t.state, 'agent_reply') ?? t.state
      await say(`Kami menelepon Anda (${at}) dan tersambung. / We called you and spoke.\n\n${outcome.note.trim()}`)
      await repo.updateCallback(trx, t.id, { status: 'answered', attempts, last_outcome: 'answered', updated_at: now })
      await repo.updateTicket(trx, t.id, { state, owner_id: t.owner_id ?? staff.id, first_responded_at: t.first_responded_at ?? now, updated_at: now })
      await audit('helpdesk.callback.answered', { attempts })
      return { ...t, state }
    }
    const next = nextCallWindow(await calendarOf(trx), { start: cb.window_start, end: cb.window_end }, now, attempts)
    if (next) {
      const when = span(next)
      const text = `Kami menelepon ${cb.phone} (${at}) tetapi tidak tersambung. Kami mencoba lagi ${when.id} (percobaan ${attempts + 1} dari ${CALLBACK_MAX_ATTEMPTS}).\n\nWe called ${cb.phone} but could not reach you. We will try again ${when.en} (attempt ${attempts + 1} of ${CALLBACK_MAX_ATTEMPTS}).`
      await say(text)
      // A retry later in the same window keeps the start the person chose, so a retry on the
      // next working day is at the hour they asked for, not at the hour of the last try.
      const sameWindow = next.end.getTime() === cb.window_end.getTime()
      await repo.updateCallback(trx, t.id, { attempts, last_outcome: 'no_answer', window_start: sameWindow ? cb.window_start : next.start, window_end: next.end, updated_at: now })
      await repo.updateTicket(trx, t.id, { owner_id: t.owner_id ?? staff.id, first_response_due_at: next.end, updated_at: now })
      await tellParticipant(deps, trx, t, 'Telepon tidak tersambung / We could not reach you', text)
      await audit('helpdesk.callback.no_answer', { attempts, nextStart: next.start.toISOString() })
      return t
    }
    const state = nextState(t.state, 'ask_participant') ?? t.state
    const text = `Kami sudah menelepon ${cb.phone} ${CALLBACK_MAX_ATTEMPTS} kali tanpa tersambung. Balas di halaman pengaduan ini atau minta telepon balik lagi pada waktu lain.\n\nWe called ${cb.phone} ${CALLBACK_MAX_ATTEMPTS} times without reaching you. Reply on this complaint's page or ask for another call at a different time.`
    await say(text)
    await repo.updateCallback(trx, t.id, { status: 'gave_up', attempts, last_outcome: 'no_answer', updated_at: now })
    await repo.updateTicket(trx, t.id, { state, owner_id: t.owner_id ?? staff.id, waiting_since: state === 'waiting_participant' ? now : t.waiting_since, updated_at: now })
    await tellParticipant(deps, trx, t, 'Telepon tidak tersambung / We could not reach you', text)
    await audit('helpdesk.callback.gave_up', { attempts })
    return { ...t, state }
  })
}
