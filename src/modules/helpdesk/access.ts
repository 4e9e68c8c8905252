/**
 * Who may open a ticket's pages: a logged-in participant their own tickets; anyone else a
 * ticket opened on this browser with its tracking number and contact (a signed cookie).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import * as repo from './helpdesk.repository.ts'
import { ticketForViewer } from './tickets.service.ts'
import { parseTrackingNumber } from './tracking.ts'

const GRANT_COOKIE = 'karya_tiket'

export function granted(req: FastifyRequest): string[] {
  const raw = req.cookies[GRANT_COOKIE]
  if (!raw) return []
  const u = req.unsignCookie(raw)
  return u.valid && u.value ? u.value.split(',') : []
}

export function grant(req: FastifyRequest, reply: FastifyReply, ticketId: string, secure: boolean): void {
  const ids = [ticketId, ...granted(req).filter((x) => x !== ticketId)].slice(0, 5)
  reply.setCookie(GRANT_COOKIE, ids.join(','), { path: '/pengaduan', httpOnly: true, sameSite: 'lax', signed: true, secure, maxAge: 30 * 86_400 })
}

/** The ticket behind `:tracking` for this visitor, or the refusal that fits. */
export async function viewable(ex: Executor, req: FastifyRequest): Promise<repo.TicketRow> {
  const tracking = parseTrackingNumber((req.params as { tracking: string }).tracking)
  if (!tracking) throw new AppError('TICKET_NOT_FOUND')
  if (req.account?.role === 'participant') return ticketForViewer(ex, tracking, { kind: 'account', accountId: req.account.id })
  const t = await repo.findTicketByTracking(ex, tracking)
  if (t && granted(req).includes(t.id)) return t
  throw new AppError('TICKET_NOT_FOUND')
}
