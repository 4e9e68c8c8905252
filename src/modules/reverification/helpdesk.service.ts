/**
 * The helpdesk side of re-verification: the queue, the pictures side by side, and one decision
 * per request. Approval hands the new contacts to the same cooling-off as a self-service change
 * (the old contacts hear of it and can cancel) and ends every session of the account.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { transaction } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import { findAccountById } from '../accounts/index.ts'
import { scheduleContactChange } from '../accounts/recovery.service.ts'
import { documentsView } from '../documents/index.ts'
import { documentOnFile, type ReverificationDeps } from './reverification.service.ts'
import * as repo from './reverification.repository.ts'

export interface Staff {
  id: string
  role: string
  requestId: string
  ip: string
}

export type ImageWhich = 'baru' | 'ktp' | 'swafoto'
export const IMAGE_WHICH: readonly ImageWhich[] = ['baru', 'ktp', 'swafoto']

const CONTENT_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** The list names people and their new contacts: who looked is recorded. */
export async function queue(deps: ReverificationDeps, staff: Staff) {
  const rows = await repo.listQueued(deps.db, 200)
  await record(deps.db, { actorId: staff.id, actorRole: staff.role, action: 'reverification.queue.view', details: { shown: rows.length }, requestId: staff.requestId, ip: staff.ip }, deps.clock)
  return rows
}

export async function requestDetail(deps: ReverificationDeps, staff: Staff, id: string) {
  const r = await repo.findRequest(deps.db, id)
  if (!r || !r.account_id || !['queued', 'approved', 'rejected'].includes(r.status)) throw new AppError('NOT_FOUND')
  const account = await findAccountById(deps.db, r.account_id)
  const docs = await documentsView(documentsDeps(deps), r.account_id)
  await record(deps.db, { actorId: staff.id, actorRole: staff.role, action: 'reverification.view', subjectType: 'reverification_request', subjectId: r.id, requestId: staff.requestId, ip: staff.ip }, deps.clock)
  return {
    request: r,
    account,
    onFile: { ktp: docs.attempts.some((d) => d.kind === 'ktp'), selfie: docs.attempts.some((d) => d.kind === 'selfie') },
  }
}

function documentsDeps(deps: ReverificationDeps) {
  return { db: deps.db, clock: deps.clock, uploadsDir: deps.config.uploadsDir, maxBytes: deps.config.uploadMaxBytes }
}

/** One picture for the agent; every view is recorded, naming the picture. */
export async function requestImage(deps: ReverificationDeps, staff: Staff, id: string, which: ImageWhich): Promise<{ bytes: Buffer; contentType: string }> {
  const r = await repo.findRequest(deps.db, id)
  if (!r || !r.account_id || !['queued', 'approved', 'rejected'].includes(r.status)) throw new AppError('NOT_FOUND')
  let image: { bytes: Buffer; contentType: string } | null = null
  if (which === 'baru') {
    const bytes = await fs.readFile(path.join(deps.config.uploadsDir, r.selfie_key)).catch(() => null)
    image = bytes ? { bytes, contentType: CONTENT_TYPES[r.selfie_format] ?? 'application/octet-stream' } : null
  } else {
    image = await documentOnFile(deps, r.account_id, which === 'ktp' ? 'ktp' : 'selfie')
  }
  if (!image) throw new AppError('NOT_FOUND')
  await record(
    deps.db,
    { actorId: staff.id, actorRole: staff.role, action: 'reverification.image.view', subjectType: 'reverification_request', subjectId: r.id, details: { image: which, accountId: r.account_id }, requestId: staff.requestId, ip: staff.ip },
    deps.clock,
  )
  return image
}

export function reasonProblem(reason: string): { field: string; id: string; en: string } | null {
  const t = reason.trim()
  if (t.length < 5) return { field: 'reason', id: 'Tulis alasan keputusan (paling sedikit 5 huruf).', en: 'Write the reason for the decision (at least 5 letters).' }
  if (t.length > 1000) return { field: 'reason', id: 'Alasan paling banyak 1000 huruf.', en: 'The reason can have at most 1000 letters.' }
  return null
}

async function lockQueued(trx: Parameters<typeof repo.findRequest>[0], id: string) {
  const r = await repo.findRequest(trx, id, { lock: true })
  if (!r || !r.account_id) throw new AppError('NOT_FOUND')
  if (r.status === 'approved' || r.status === 'rejected') throw new AppError('REVERIFICATION_DECIDED')
  if (r.status !== 'queued') throw new AppError('NOT_FOUND')
  return { ...r, account_id: r.account_id }
}

/** The person's requests for the helpdesk's 360° view: viewing them is part of the ticket view's audit. */
export function requestsOfAccount(deps: Pick<ReverificationDeps, 'db'>, accountId: string) {
  return repo.requestsOfAccount(deps.db, accountId)
}

/** `context.ticket`: the helpdesk ticket the decision was taken from, kept in the audit record. */
export async function approve(deps: ReverificationDeps, staff: Staff, id: string, reason: string, context: { ticket?: string } = {}): Promise<{ effectiveAt: Date; accountId: string }> {
  const problem = reasonProblem(reason)
  if (problem) throw new AppError('VALIDATION_FAILED', { fields: [problem] })
  return transaction(deps.db, async (trx) => {
    const r = await lockQueued(trx, id)
    const now = deps.clock.now()
    if (!(await repo.decide(trx, r.id, { status: 'approved', by: staff.id, reason: reason.trim(), at: now }))) throw new AppError('REVERIFICATION_DECIDED')
    let effectiveAt = now
    const changes: string[] = []
    for (const [kind, value] of [
      ['email', r.new_email],
      ['phone', r.new_phone],
    ] as const) {
      if (!value) continue
      const scheduled = await scheduleContactChange(trx, deps, { accountId: r.account_id, kind, newValue: value, byHelpdesk: true })
      effectiveAt = scheduled.effectiveAt
      changes.push(scheduled.changeId)
    }
    // Whoever holds a session now may be the person who took the account: all are ended.
    await deleteSessionsOfAccount(trx, r.account_id)
    const text =
      `Permintaan pemulihan akun Karya Anda disetujui. Kontak baru berlaku pada ${formatDateTime('id', effectiveAt)}. ` +
      `Setelah itu buka ${deps.config.publicUrl}/lupa-sandi dan tulis kontak baru ini untuk membuat kata sandi baru.\n\n` +
      `Your Karya account recovery request was approved. The new contact takes effect on ${formatDateTime('en', effectiveAt)}. ` +
      `Then open ${deps.config.publicUrl}/lupa-sandi and enter this new contact to choose a new password.`
    await notifyNewContacts(trx, deps, r, 'reverification.approved', 'Pemulihan akun Karya disetujui / Account recovery approved', text)
    await record(
      trx,
      { actorId: staff.id, actorRole: staff.role, action: 'reverification.approve', subjectType: 'reverification_request', subjectId: r.id, details: { accountId: r.account_id, reason: reason.trim(), contactChanges: changes, effectiveAt: effectiveAt.toISOString(), ...(context.ticket ? { ticket: context.ticket } : {}) }, requestId: staff.requestId, ip: staff.ip },
      deps.clock,
    )
    return { effectiveAt, accountId: r.account_id }
  })
}

export async function reject(deps: ReverificationDeps, staff: Staff, id: string, reason: string): Promise<void> {
  const problem = reasonProblem(reason)
  if (problem) throw new AppError('VALIDATION_FAILED', { fields: [problem] })
  await transaction(deps.db, async (trx) => {
    const r = await lockQueued(trx, id)
    const now = deps.clock.now()
    if (!(await repo.decide(trx, r.id, { status: 'rejected', by: staff.id, reason: reason.trim(), at: now }))) throw new AppError('REVERIFICATION_DECIDED')
    const text =
      `Permintaan pemulihan akun Karya Anda tidak dapat disetujui. Alasan: ${reason.trim()}\n` +
      'Yang bisa Anda lakukan: datangi petugas Karya di kantor daerah Anda dengan membawa KTP asli; petugas membantu memulihkan akun secara langsung.\n\n' +
      `Your Karya account recovery request could not be approved. Reason: ${reason.trim()}\n` +
      'What you can do: visit a Karya officer at your regional office with your original KTP; the officer helps you recover the account in person.'
    await notifyNewContacts(trx, deps, r, 'reverification.rejected', 'Pemulihan akun Karya tidak disetujui / Account recovery not approved', text)
    await record(
      trx,
      { actorId: staff.id, actorRole: staff.role, action: 'reverification.reject', subjectType: 'reverification_request', subjectId: r.id, details: { accountId: r.account_id, reason: reason.trim() }, requestId: staff.requestId, ip: staff.ip },
      deps.clock,
    )
  })
}

async function notifyNewContacts(
  trx: Parameters<ReverificationDeps['mail']['send']>[0],
  deps: ReverificationDeps,
  r: { new_email: string | null; new_phone: string | null },
  template: string,
  subject: string,
  text: string,
): Promise<void> {
  // Not copied to the account's inbox: the new contact is not the account's until the change applies.
  if (r.new_email) await deps.mail.send(trx, { accountId: null, to: r.new_email, template, subject, text })
  if (r.new_phone) await deps.mail.send(trx, { accountId: null, to: r.new_phone, channel: 'sms', template, subject, text: text.split('\n\n')[0]! })
}
