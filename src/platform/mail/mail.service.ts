/**
 * Outgoing messages as a transactional outbox: `send` writes the outbox row, the in-app
 * inbox copy and the delivery job in the caller's transaction, so nothing leaves before
 * commit and a rollback leaves no trace. The `mail.deliver` job sends at least once and,
 * for a run repeated after success, no more: a row already sent is skipped.
 */
import crypto from 'node:crypto'
import type { Config } from '../../config.ts'
import type { Clock } from '../clock.ts'
import type { Executor } from '../db/database.ts'
import type { DefineOptions, JobContext, Jobs, Logger } from '../jobs/jobs.ts'
import * as repo from './mail.repository.ts'
import { createTransport, type Delivery, type Transport } from './transport.ts'

export type { InboxRow, OutboxRow } from './mail.repository.ts'

export const DELIVER_JOB = 'mail.deliver'

export interface MailMessage {
  /** Set: the message also lands in this account's in-app inbox, so a lost e-mail or SMS loses nothing. */
  accountId?: string | null
  /** An e-mail address, or a phone number for 'sms'. */
  to: string
  channel?: 'email' | 'sms'
  /** Which kind of message this is (e.g. 'accounts.verify-email'), for the dev mailbox and support. */
  template: string
  subject: string
  text: string
  html?: string
  /** Where the inbox entry points to, relative to the site. */
  link?: string
}

export interface Mail {
  send(executor: Executor, msg: MailMessage): Promise<{ outboxId: string }>
  /** As `send` for many messages: two statements for a few (a sign-up's two codes), three for a bulk batch, whatever their number. */
  sendMany(executor: Executor, msgs: readonly MailMessage[]): Promise<void>
}

export interface MailDeps {
  jobs: Jobs
  config: Config
  clock: Clock
  logger?: Logger
  /** Replaces the nodemailer/SMS transport (tests, sandboxes). */
  transport?: Transport
  /** Retry policy of `mail.deliver`; the default spreads 6 tries over about 5 to 10 minutes. */
  delivery?: Pick<DefineOptions, 'retryLimit' | 'retryDelay' | 'retryBackoff'>
}

interface DeliverData {
  outboxId: string
}

const DELIVERY_DEFAULTS: DefineOptions = { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_ERROR_LENGTH = 2000

/** Defines the `mail.deliver` job on `deps.jobs`: call before `jobs.start()`. */
export function createMail(deps: MailDeps): Mail {
  const transport = deps.transport ?? createTransport(deps.config)
  const logger = deps.logger

  async function deliver({ outboxId }: DeliverData, ctx: JobContext): Promise<void> {
    const row = await repo.findOutbox(ctx.db, outboxId)
    // Sent or given up already: a repeated job must not send twice.
    if (!row || row.status !== 'queued') return
    const claimed = await repo.claimOutboxAttempt(ctx.db, outboxId, row.attempts)
    // Another delivery of this row took the attempt; if it fails, its own job retries.
    if (!claimed) return
    let delivery: Delivery
    try {
      delivery = await transport({
        id: claimed.id,
        channel: claimed.channel,
        to: claimed.to_address,
        subject: claimed.subject,
        text: claimed.text_body,
        html: claimed.html_body,
      })
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_LENGTH)
      await repo.recordOutboxFailure(ctx.db, outboxId, { error, final: ctx.isFinalAttempt })
      throw err
    }
    await repo.markOutboxSent(ctx.db, outboxId, { providerMessageId: delivery.providerMessageId, sentAt: deps.clock.now() })
    logger?.info({ outboxId, channel: claimed.channel, template: claimed.template, attempt: claimed.attempts }, 'message delivered')
  }

  deps.jobs.define<DeliverData>(DELIVER_JOB, deliver, { ...DELIVERY_DEFAULTS, ...deps.delivery })

  return {
    async send(executor, msg) {
      const channel = msg.channel ?? 'email'
      const to = msg.to.trim()
      if (to === '') throw new Error(`mail.send(${msg.template}): no recipient`)
      if (channel === 'email' && !to.includes('@')) throw new Error(`mail.send(${msg.template}): "${to}" is not an e-mail address`)
      const accountId = msg.accountId ?? null
      const outboxId = await repo.insertOutbox(executor, {
        account_id: accountId,
        to_address: to,
        channel,
        subject: msg.subject,
        text_body: msg.text,
        html_body: msg.html ?? null,
        template: msg.template,
      })
      if (accountId) {
        await repo.insertInboxMessage(executor, {
          account_id: accountId,
          outbox_id: outboxId,
          subject: msg.subject,
          body: msg.text,
          link: msg.link ?? null,
        })
      }
      await deps.jobs.enqueue<DeliverData>(executor, DELIVER_JOB, { outboxId })
      return { outboxId }
    },

    async sendMany(executor, msgs) {
      if (msgs.length === 0) return
      const outbox: repo.NewOutboxWithId[] = []
      const inbox: repo.NewInboxMessage[] = []
      for (const msg of msgs) {
        const channel = msg.channel ?? 'email'
        const to = msg.to.trim()
        if (to === '' || (channel === 'email' && !to.includes('@'))) throw new Error(`mail.sendMany(${msg.template}): "${to}" is not a recipient`)
        const id = crypto.randomUUID()
        outbox.push({ id, account_id: msg.accountId ?? null, to_address: to, channel, subject: msg.subject, text_body: msg.text, html_body: msg.html ?? null, template: msg.template })
        if (msg.accountId) inbox.push({ account_id: msg.accountId, outbox_id: id, subject: msg.subject, body: msg.text, link: msg.link ?? null })
      }
      await repo.insertOutboxWithInbox(executor, outbox, inbox)
      await deps.jobs.enqueueMany<DeliverData>(executor, DELIVER_JOB, outbox.map((o) => ({ outboxId: o.id })))
    },
  }
}

export function listOutbox(db: Executor, page: { limit: number; offset: number }): Promise<repo.OutboxRow[]> {
  return repo.listOutbox(db, page)
}

/** undefined for an id that is not a UUID too, so a mangled link is a 404, not a database error. */
export async function getOutbox(db: Executor, id: string): Promise<repo.OutboxRow | undefined> {
  return UUID.test(id) ? repo.findOutbox(db, id) : undefined
}

export function listInbox(db: Executor, accountId: string, page: { limit: number }): Promise<repo.InboxRow[]> {
  return repo.listInbox(db, accountId, page)
}

export function countUnread(db: Executor, accountId: string): Promise<number> {
  return repo.countUnread(db, accountId)
}

/** false when the message is not this account's (or does not exist): the caller answers 404. */
export async function markInboxRead(executor: Executor, accountId: string, messageId: string): Promise<boolean> {
  return UUID.test(messageId) ? repo.markInboxRead(executor, accountId, messageId) : false
}
