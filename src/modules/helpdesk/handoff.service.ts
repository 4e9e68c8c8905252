/**
 * Partner hand-offs: a platform or provider answers a question about a ticket in its console
 * or through the signed partner API. The programme keeps the ticket; the answer comes back
 * to the owner, and the participant sees it.
 */
import { transaction } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import * as repo from './helpdesk.repository.ts'
import { nextState } from './states.ts'
import { endPartnerPause, messageProblem, tellParticipant, type HelpdeskDeps } from './tickets.service.ts'

export function partnerHandoffs(deps: Pick<HelpdeskDeps, 'db'>, partnerCode: string) {
  return repo.openHandoffsOfPartner(deps.db, partnerCode)
}

export interface PartnerAnswerer {
  readonly partnerCode: string
  /** A console user's account id, or the API client code. */
  readonly by: string
  readonly via: 'console' | 'api'
  readonly requestId: string
  readonly ip: string
}

export async function answerHandoff(deps: HelpdeskDeps, who: PartnerAnswerer, handoffId: string, answer: string): Promise<{ tracking: string; answeredAt: Date }> {
  const p = messageProblem(answer, 'answer')
  if (p) throw new AppError('VALIDATION_FAILED', { fields: [p] })
  return transaction(deps.db, async (trx) => {
    const h = await repo.findHandoff(trx, handoffId, { lock: true })
    // Another partner's hand-off is not found, not forbidden: its existence is not theirs to know.
    if (!h || h.partner_code !== who.partnerCode) throw new AppError('NOT_FOUND')
    if (h.status !== 'open') throw new AppError('TICKET_STATE', { detail: 'hand-off already answered' })
    const t = await repo.findTicket(trx, h.ticket_id, { lock: true })
    if (!t) throw new AppError('NOT_FOUND')
    const now = deps.clock.now()
    await repo.answerHandoff(trx, h.id, answer.trim(), who.by, now)
    await repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'partner', author_id: who.via === 'console' ? who.by : null, partner_code: h.partner_code, internal: false, via: who.via, body: answer.trim(), email_message_id: null, created_at: now })
    const stillOpen = Number((await repo.openHandoffCount(trx, t.id)).n)
    const state = stillOpen === 0 ? (nextState(t.state, 'partner_answer') ?? t.state) : t.state
    // The last open hand-off answered: the programme's clock runs again from where it stopped.
    const unpause = stillOpen === 0 ? await endPartnerPause(trx, t, now) : {}
    await repo.updateTicket(trx, t.id, { ...unpause, state, updated_at: now })
    await tellParticipant(deps, trx, t, 'Jawaban dari mitra / An answer from the partner', `${answer.trim()}\n\nPetugas Karya akan memeriksa jawaban ini dan menyelesaikan pengaduan Anda. / A Karya agent will check this answer and resolve your complaint.`)
    await record(trx, { actorId: who.via === 'console' ? who.by : null, actorRole: `partner:${who.partnerCode}`, action: 'helpdesk.handoff.answer', subjectType: 'helpdesk_ticket', subjectId: t.id, details: { handoffId: h.id, via: who.via, by: who.by, late: now.getTime() > h.due_at.getTime() }, requestId: who.requestId, ip: who.ip }, deps.clock)
    return { tracking: t.tracking, answeredAt: now }
  })
}
