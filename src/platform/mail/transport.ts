/**
 * How an outbox row leaves the building. E-mail goes through nodemailer: SMTP when
 * SMTP_URL is set, otherwise its JSON transport, which "sends" by rendering only, so in
 * development the message is what the dev mailbox shows from `mail_outbox`. SMS has no
 * gateway yet: the default records it as sent; a sandbox gateway plugs in through `sms`.
 */
import nodemailer from 'nodemailer'
import type { Config } from '../../config.ts'

export interface OutgoingMessage {
  /** The outbox id: stable across retries, so a provider can spot a resend. */
  readonly id: string
  readonly channel: 'email' | 'sms'
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string | null
}

export interface Delivery {
  readonly providerMessageId: string
}

/** Throws when the provider refused or could not be reached; the delivery job retries. */
export type Transport = (msg: OutgoingMessage) => Promise<Delivery>

export interface TransportOptions {
  sms?: Transport
}

const recordSmsAsSent: Transport = async (msg) => ({ providerMessageId: `dev-sms-${msg.id}` })

export function createTransport(config: Config, opts: TransportOptions = {}): Transport {
  const mailer = config.mail.smtpUrl
    ? nodemailer.createTransport(config.mail.smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true })
  const domain = config.mail.from.match(/@([^>\s]+)/)?.[1] ?? 'karya.localhost'
  const sms = opts.sms ?? recordSmsAsSent

  return async (msg) => {
    if (msg.channel === 'sms') return sms(msg)
    const info = await mailer.sendMail({
      from: config.mail.from,
      to: msg.to,
      subject: msg.subject,
      text: msg.text,
      ...(msg.html !== null ? { html: msg.html } : {}),
      messageId: `<${msg.id}@${domain}>`,
    })
    return { providerMessageId: String(info.messageId ?? msg.id) }
  }
}
