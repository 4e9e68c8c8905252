/**
 * The e-mail channel: an SMTP server (smtp-server) for the helpdesk address, each message
 * parsed (mailparser) and turned into a ticket or a reply threaded by the tracking number in
 * its subject. A reply from another sender than the ticket's contact starts a new ticket (a
 * From header is easily forged); loops and auto-replies are dropped with a log, never answered.
 */
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { findAccountById } from '../accounts/index.ts'
import { checkAttachments, type IncomingFile } from './attachments.ts'
import { bareAddress, stripQuoted, whyDrop } from './email-rules.ts'
import * as repo from './helpdesk.repository.ts'
import { MAX_MESSAGE_CHARS, participantReply, raiseTicket, type HelpdeskDeps } from './tickets.service.ts'
import { findTrackingNumber } from './tracking.ts'

export const MAX_EMAIL_BYTES = 15 * 1024 * 1024

export type InboundOutcome = { kind: 'created' | 'threaded' | 'forged_new'; tracking: string } | { kind: 'dropped'; reason: string } | { kind: 'duplicate' }

function headerMap(mail: ParsedMail): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of mail.headers) out.set(k.toLowerCase(), typeof v === 'string' ? v : JSON.stringify(v))
  return out
}

/** Never drop a person's words: an over-long e-mail is kept up to the limit and says so. */
function bodyOf(mail: ParsedMail): string {
  const text = stripQuoted(mail.text ?? '') || (mail.subject ?? '').trim() || '(tanpa isi / no content)'
  if (text.length <= MAX_MESSAGE_CHARS) return text
  const note = `\n\n[Dipotong: e-mail asli ${text.length} karakter / Cut: the original e-mail had ${text.length} characters]`
  return text.slice(0, MAX_MESSAGE_CHARS - note.length) + note
}

function filesOf(mail: ParsedMail): IncomingFile[] {
  const files = mail.attachments.map((a) => ({ name: a.filename ?? 'lampiran', bytes: a.content }))
  // Only attachments that pass the same checks as the web form are kept; the text always is.
  return files.filter((f) => checkAttachments([f]) === null).slice(0, 3)
}

export async function handleInboundEmail(deps: HelpdeskDeps, mail: ParsedMail, ownAddresses: readonly string[], log?: FastifyBaseLogger): Promise<InboundOutcome> {
  const from = mail.from?.value[0]?.address ? bareAddress(mail.from.value[0].address) : null
  const messageId = mail.messageId ?? `${from}:${mail.date?.toISOString() ?? deps.clock.now().toISOString()}:${mail.subject ?? ''}`
  const now = deps.clock.now()
  const drop = whyDrop(headerMap(mail), from, ownAddresses)
  if (drop) {
    log?.warn({ from, messageId, reason: drop }, 'helpdesk e-mail dropped, not answered')
    await repo.recordInbound(deps.db, messageId, `dropped:${drop}`, null, now)
    return { kind: 'dropped', reason: drop }
  }
  if (await repo.findInbound(deps.db, messageId)) return { kind: 'duplicate' }
  const body = bodyOf(mail)
  const files = filesOf(mail)
  const tracking = findTrackingNumber(mail.subject ?? '')
  const existing = tracking ? await repo.findTicketByTracking(deps.db, tracking) : undefined
  if (existing && from && (from === existing.contact_email || from === (existing.account_id ? (await findAccountById(deps.db, existing.account_id))?.email?.toLowerCase() : undefined))) {
    const t = await participantReply(deps, existing.id, { body, via: 'email', authorId: null, attachments: files, emailMessageId: messageId })
    await repo.recordInbound(deps.db, messageId, 'threaded', t.id, now)
    return { kind: 'threaded', tracking: t.tracking }
  }
  const t = await raiseTicket(deps, { channel: 'email', category: 'other', subject: (mail.subject ?? '').slice(0, 200), body, contact: { name: mail.from?.value[0]?.name || null, email: from }, attachments: files, emailMessageId: messageId })
  const kind = existing ? 'forged_new' : 'created'
  if (existing) log?.warn({ from, messageId, claimed: tracking, created: t.tracking }, 'helpdesk e-mail names a ticket of another sender: new ticket, not threaded')
  await repo.recordInbound(deps.db, messageId, kind, t.id, now)
  return { kind, tracking: t.tracking }
}

export interface InboundSmtp {
  readonly port: number
  close(): Promise<void>
}

/** Listens for the helpdesk address only; anything else is refused at RCPT TO. */
export async function startInboundSmtp(deps: HelpdeskDeps, opts: { port: number; host: string; ownAddresses: readonly string[]; log?: FastifyBaseLogger }): Promise<InboundSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_EMAIL_BYTES,
    logger: false,
    banner: 'Karya helpdesk',
    // On shutdown an idle sending server is cut after 2 s instead of 30; it retries what it had not sent.
    closeTimeout: 2000,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== deps.address) return callback(Object.assign(new Error(`Mailbox ${address.address} not here; write to ${deps.address}`), { responseCode: 550 }))
      callback()
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) throw Object.assign(new Error('Message too large'), { responseCode: 552 })
          await handleInboundEmail(deps, mail, opts.ownAddresses, opts.log)
          callback()
        })
        .catch((err: unknown) => {
          if (err instanceof AppError) {
            // A message that cannot become a ticket is refused to the sending server, never lost silently.
            opts.log?.warn({ err }, 'helpdesk e-mail refused')
            return callback(Object.assign(new Error(`Refused: ${err.code}`), { responseCode: 550 }))
          }
          opts.log?.error({ err }, 'helpdesk e-mail failed; the sender will retry')
          callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: (err as { responseCode?: number }).responseCode ?? 451 }))
        })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const address = server.server.address()
  return { port: typeof address === 'object' && address ? address.port : opts.port, close: () => new Promise<void>((r) => server.close(() => r())) }
}
