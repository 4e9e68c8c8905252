import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Locale } from '../platform/i18n/index.ts'
import type { SessionAccount } from '../platform/http/session.ts'

/** What every page needs to draw the shared layout. */
export interface PageContext {
  readonly locale: Locale
  readonly account: SessionAccount | null
  readonly csrfToken: string
  readonly path: string
  readonly requestId: string
  readonly devMailbox: boolean
}

export function pageContext(req: FastifyRequest, reply: FastifyReply, opts: { devMailbox: boolean }): PageContext {
  return {
    locale: req.locale,
    account: req.account,
    csrfToken: reply.generateCsrf(),
    path: req.url,
    requestId: String(req.id),
    devMailbox: opts.devMailbox,
  }
}

/** A page without a form of its own (an error page) still draws the logout button. */
export function safeCsrf(reply: FastifyReply): string {
  try {
    return reply.generateCsrf()
  } catch {
    return ''
  }
}

/** Sends a rendered page as HTML. */
export function sendPage(reply: FastifyReply, body: JSX.Element): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(body)
}
