/**
 * Tickets from the participant's side: raising one from any channel (one tracking number),
 * following it, replying (which reopens a resolved ticket), and rating the answer once.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { findAccountById } from '../accounts/index.ts'
import { checkAttachments, cleanFileName, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, sniffAttachment, storeAttachment, type IncomingFile } from './attachments.ts'
import type { Category, Channel, Priority } from './helpdesk.tables.ts'
import * as repo from './helpdesk.repository.ts'
import { addBusinessMinutes, businessMinutesBetween, isBusinessTime, resumeAfterPause, wibCalendar, type BusinessCalendar } from './sla.ts'
import { nextState } from './states.ts'
import { newTrackingNumber } from './tracking.ts'

export interface HelpdeskDeps {
  readonly db: Db
  readonly clock: Clock
  readonly mail: Mail
  readonly uploadsDir: string
  readonly publicUrl: string
  /** The helpdesk's own address: mail from it is never answered (loops). */
  readonly address: string
}

export const MAX_MESSAGE_CHARS = 5000

export async function calendarOf(ex: Executor): Promise<BusinessCalendar> {
  return wibCalendar(await repo.holidays(ex))
}

/** Empty and over-long messages are refused with what to do; nothing is cut silently. */
export function messageProblem(body: string, field = 'message'): FieldError | null {
  const t = body.trim()
  if (t.length === 0) return { field, id: 'Tulis pesan Anda: apa yang terjadi, dan apa yang Anda harapkan.', en: 'Write your message: what happened, and what you expected.' }
  if (t.length > MAX_MESSAGE_CHARS)
    return {
      field,
      id: `Pesan paling banyak ${MAX_MESSAGE_CHARS.toLocaleString('id-ID')} karakter (Anda menulis ${t.length.toLocaleString('id-ID')}). Ringkas pesannya, atau kirim sisanya sebagai balasan atau lampiran PDF.`,
      en: `A message has at most ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')} characters (you wrote ${t.length.toLocaleString('en-GB')}). Shorten it, or send the rest as a reply or a PDF attachment.`,
    }
  return null
}

export function attachmentFieldError(files: readonly IncomingFile[]): FieldError | null {
  const p = checkAttachments(files)
  if (!p) return null
  const mb = MAX_ATTACHMENT_BYTES / 1024 / 1024
  if (p.kind === 'count') return { field: 'attachment', id: `Paling banyak ${MAX_ATTACHMENTS} lampiran.`, en: `At most ${MAX_ATTACHMENTS} attachments.` }
  if (p.kind === 'size') return { field: 'attachment', id: `Berkas "${p.name}" lebih dari ${mb} MB. Perkecil atau foto ulang dengan resolusi lebih rendah.`, en: `The file "${p.name}" is over ${mb} MB. Make it smaller or take the photo at a lower resolution.` }
  return { field: 'attachment', id: `Berkas "${p.name}" bukan JPG, PNG atau PDF (dibaca dari isinya, bukan namanya). Kirim foto layar atau surat dalam salah satu jenis itu.`, en: `The file "${p.name}" is not a JPG, PNG or PDF (judged by its content, not its name). Send a screenshot or letter in one of those types.` }
}

export interface NewTicket {
  readonly channel: Channel
  readonly category: Category
  readonly priority?: Priority
  readonly subject?: string
  readonly body: string
  readonly accountId?: string | null
  readonly contact?: { name?: string | null; email?: string | null; phone?: string | null }
  readonly attachments?: readonly IncomingFile[]
  readonly emailMessageId?: string | null
  /** Who typed it: the participant, or an agent logging a phone call. */
  readonly loggedBy?: string | null
}

async function storeFiles(deps: HelpdeskDeps, ex: Executor, messageId: string, files: readonly IncomingFile[], now: Date): Promise<void> {
  for (const f of files) {
    const type = sniffAttachment(f.bytes)!
    const key = await storeAttachment(deps.uploadsDir, f.bytes)
    await repo.insertAttachment(ex, { message_id: messageId, file_name: cleanFileName(f.name), content_type: type, size_bytes: f.bytes.length, storage_key: key, created_at: now })
  }
}

export function subjectOf(body: string): string {
  const firstLine = body.trim().split('\n')[0]!.trim()
  return firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine
}

/** Creates the ticket, its first message and attachments, assigns it, and acknowledges it. */
export async function raiseTicket(deps: HelpdeskDeps, input: NewTicket): Promise<repo.TicketRow> {
  const fields = [messageProblem(input.body), attachmentFieldError(input.attachments ?? [])].filter((f): f is FieldError => f !== null)
  if (!input.accountId && !input.contact?.email && !input.contact?.phone) fields.push({ field: 'email', id: 'Tulis e-mail atau nomor HP agar kami bisa menjawab.', en: 'Give an e-mail address or phone number so we can answer.' })
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  const now = deps.clock.now()
  const ticket = await transaction(deps.db, async (trx) => {
    const cal = await calendarOf(trx)
    const priority = input.priority ?? 'normal'
    const target = await repo.slaTarget(trx, input.channel, input.category, priority)
    const account = input.accountId ? await findAccountById(trx, input.accountId) : undefined
    const t = await repo.insertTicket(trx, {
      tracking: newTrackingNumber(now),
      channel: input.channel,
      category: input.category,
      priority,
      state: 'new',
      subject: (input.subject?.trim() || subjectOf(input.body)).slice(0, 200),
      account_id: account?.id ?? null,
      contact_name: input.contact?.name?.trim() || account?.display_name || null,
      contact_email: input.contact?.email?.toLowerCase() ?? account?.email ?? null,
      contact_phone: (input.contact?.phone ? normaliseContact(input.contact.phone) : null) ?? account?.phone ?? null,
      owner_id: null,
      merged_into: null,
      escalated_at: null,
      first_response_due_at: addBusinessMinutes(cal, now, target.first_response_minutes),
      resolution_due_at: addBusinessMinutes(cal, now, target.resolution_minutes),
      first_responded_at: null,
      waiting_since: null,
      resolved_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    })
    const m = await repo.insertMessage(trx, {
      ticket_id: t.id,
      author_kind: input.loggedBy ? 'agent' : 'participant',
      author_id: input.loggedBy ?? account?.id ?? null,
      partner_code: null,
      internal: false,
      via: input.channel,
      body: input.body.trim(),
      email_message_id: input.emailMessageId ?? null,
      created_at: now,
    })
    await storeFiles(deps, trx, m.id, input.attachments ?? [], now)
    if (isBusinessTime(cal, now)) await assignTicket(trx, t, now)
    await acknowledge(deps, trx, t)
    return t
  })
  return ticket
}

/** Gives the ticket to the next agent with the skill and room for it; false when nobody has. */
export async function assignTicket(trx: Executor, t: { id: string; category: Category }, now: Date): Promise<string | null> {
  const agent = await repo.pickAgent(trx, t.category)
  if (!agent) return null
  await repo.updateTicket(trx, t.id, { owner_id: agent.account_id, updated_at: now })
  await repo.markAssigned(trx, agent.account_id, now)
  return agent.account_id
}

/** A message to the person, with the tracking number in the subject so a reply threads back. */
export async function tellParticipant(deps: HelpdeskDeps, ex: Executor, t: repo.TicketRow, subject: string, text: string): Promise<void> {
  const link = `/pengaduan/${t.tracking}`
  const full = `${text}\n\nNomor pengaduan / Tracking number: ${t.tracking}\n${deps.publicUrl}${link}\nBalas e-mail ini untuk menambahkan pesan; jangan ubah nomor di judulnya. / Reply to this e-mail to add a message; keep the number in the subject.`
  const to = t.contact_email ?? t.contact_phone
  if (!to) return
  await deps.mail.send(ex, { accountId: t.account_id, to, channel: t.contact_email ? 'email' : 'sms', template: 'helpdesk.update', subject: `[${t.tracking}] ${subject}`, text: full, link })
}

async function acknowledge(deps: HelpdeskDeps, ex: Executor, t: repo.TicketRow): Promise<void> {
  await tellParticipant(
    deps,
    ex,
    t,
    'Pengaduan diterima / Complaint received',
    `Pengaduan Anda sudah kami terima: "${t.subject}". Simpan nomor ini untuk melihat siapa yang menanganinya dan kapan jawabannya.\n\nWe have received your complaint: "${t.subject}". Keep this number to see who handles it and when to expect the answer.`,
  )
}

/** Who may see a ticket on the status page. */
export type Viewer = { kind: 'account'; accountId: string } | { kind: 'contact'; contact: string }

/** E-mail lower-cased; a phone as +62…, however it was typed (0812-…, 62812…, spaces). */
export function normaliseContact(c: string): string {
  const t = c.trim().toLowerCase()
  if (t.includes('@')) return t
  const digits = t.replace(/[^\d+]/g, '')
  return digits.startsWith('0') ? `+62${digits.slice(1)}` : digits.startsWith('62') ? `+${digits}` : digits
}

/**
 * The ticket a viewer may open: an account sees its own tickets; anyone else needs the
 * tracking number and the contact it was raised with. A logged-in person asking for someone
 * else's ticket is refused; an unknown number and a wrong contact get the same answer.
 */
export async function ticketForViewer(ex: Executor, tracking: string, viewer: Viewer): Promise<repo.TicketRow> {
  const t = await repo.findTicketByTracking(ex, tracking)
  if (!t) throw new AppError('TICKET_NOT_FOUND')
  if (viewer.kind === 'account') {
    if (t.account_id === viewer.accountId) return t
    if (t.account_id) throw new AppError('TICKET_NOT_YOURS')
    throw new AppError('TICKET_NOT_FOUND')
  }
  const c = normaliseContact(viewer.contact)
  if (c && (c === t.contact_email || c === t.contact_phone)) return t
  throw new AppError('TICKET_NOT_FOUND')
}

/**
 * Ends a partner pause at `now` (the last open hand-off answered, or the ticket resolved or
 * merged meanwhile): the fields that give the resolution target the time it stood still.
 */
export async function endPartnerPause(ex: Executor, t: Pick<repo.TicketRow, 'resolution_due_at' | 'partner_paused_since' | 'partner_paused_minutes'>, now: Date): Promise<Partial<repo.TicketRow>> {
  if (!t.partner_paused_since) return {}
  const cal = await calendarOf(ex)
  const due = resumeAfterPause(cal, t.resolution_due_at, t.partner_paused_since, now)
  return { resolution_due_at: due, partner_paused_since: null, partner_paused_minutes: t.partner_paused_minutes + businessMinutesBetween(cal, t.resolution_due_at, due) }
}

/** The resolution due date as it stands now: while a partner pause runs, it moves with the clock. */
export function currentResolutionDue(cal: BusinessCalendar, t: Pick<repo.TicketRow, 'resolution_due_at' | 'partner_paused_since'>, now: Date): Date {
  return t.partner_paused_since ? resumeAfterPause(cal, t.resolution_due_at, t.partner_paused_since, now) : t.resolution_due_at
}

/** Resolution time spent waiting on the participant is given back to the SLA. */
async function resumeClock(ex: Executor, t: repo.TicketRow, now: Date): Promise<Date> {
  if (!t.waiting_since) return t.resolution_due_at
  const cal = await calendarOf(ex)
  return addBusinessMinutes(cal, t.resolution_due_at, businessMinutesBetween(cal, t.waiting_since, now))
}

export async function participantReply(deps: HelpdeskDeps, ticketId: string, input: { body: string; via: 'web' | 'email' | 'chat'; authorId: string | null; attachments?: readonly IncomingFile[]; emailMessageId?: string | null }): Promise<repo.TicketRow> {
  const fields = [messageProblem(input.body), attachmentFieldError(input.attachments ?? [])].filter((f): f is FieldError => f !== null)
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  return transaction(deps.db, async (trx) => {
    const t = await repo.findTicket(trx, ticketId, { lock: true })
    if (!t) throw new AppError('TICKET_NOT_FOUND')
    const now = deps.clock.now()
    // A closed or merged ticket still takes the message (nothing is dropped) and reopens if it can.
    const target = t.state === 'merged' && t.merged_into ? await repo.findTicket(trx, t.merged_into, { lock: true }) : t
    if (!target) throw new AppError('TICKET_NOT_FOUND')
    const state = nextState(target.state, 'participant_reply') ?? nextState(target.state, 'reopen') ?? target.state
    const m = await repo.insertMessage(trx, { ticket_id: target.id, author_kind: 'participant', author_id: input.authorId, partner_code: null, internal: false, via: input.via, body: input.body.trim(), email_message_id: input.emailMessageId ?? null, created_at: now })
    await storeFiles(deps, trx, m.id, input.attachments ?? [], now)
    const resolutionDue = target.state === 'waiting_participant' ? await resumeClock(trx, target, now) : target.resolution_due_at
    await repo.updateTicket(trx, target.id, { state, resolution_due_at: resolutionDue, waiting_since: null, resolved_at: state === 'open' ? null : target.resolved_at, closed_at: state === 'open' ? null : target.closed_at, updated_at: now })
    return { ...target, state }
  })
}

export function csatProblem(score: number, comment: string): FieldError[] {
  const fields: FieldError[] = []
  if (!Number.isInteger(score) || score < 1 || score > 5) fields.push({ field: 'score', id: 'Pilih nilai 1 sampai 5.', en: 'Choose a score from 1 to 5.' })
  if (comment.trim().length > 2000) fields.push({ field: 'comment', id: 'Komentar paling banyak 2 000 karakter.', en: 'A comment has at most 2 000 characters.' })
  return fields
}

/** One rating per ticket, once it is resolved or closed, kept with its channel and owner. */
export async function rateTicket(deps: HelpdeskDeps, ticketId: string, score: number, comment: string): Promise<void> {
  const fields = csatProblem(score, comment)
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  await transaction(deps.db, async (trx) => {
    const t = await repo.findTicket(trx, ticketId)
    if (!t) throw new AppError('TICKET_NOT_FOUND')
    if (t.state !== 'resolved' && t.state !== 'closed') throw new AppError('TICKET_STATE')
    const stored = await repo.insertCsat(trx, { ticket_id: t.id, channel: t.channel, owner_id: t.owner_id, score, comment: comment.trim(), created_at: deps.clock.now() })
    if (!stored) throw new AppError('TICKET_ALREADY_RATED')
  })
}
