/**
 * What an employer sees (issue #7): the public check of a certificate number shows only
 * what the participant chose, and the least by default (initials, no grade). Anything that
 * is not a certificate on record, whether mistyped, altered or made up, gets one and the
 * same "not valid" answer, so the page tells nothing about why.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { initials, normaliseCertificateNumber } from './rows.ts'
import { addPurchaseEvent, certificateByNumber, lockCertificateOfPurchase, saveConsent, type CertificateRecord } from './certificate.repository.ts'

export interface PublicView {
  readonly number: string
  readonly courseTitle: string
  readonly providerName: string
  readonly issuedAt: Date
  /** The full name only with consent, otherwise initials. */
  readonly holder: string
  /** Only with consent. */
  readonly grade: number | null
}

export function publicView(c: CertificateRecord): PublicView {
  return { number: c.number, courseTitle: c.courseTitle, providerName: c.providerName, issuedAt: c.issuedAt, holder: c.showFullName ? c.holder : initials(c.holder), grade: c.showGrade ? c.grade : null }
}

const NUMBER = /^KRY-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/

/** Null for anything that is not a certificate on record. */
export async function checkCertificate(db: Executor, typed: string): Promise<PublicView | null> {
  const number = normaliseCertificateNumber(typed)
  if (!NUMBER.test(number)) return null
  const c = await certificateByNumber(db, number)
  return c ? publicView(c) : null
}

/** The absolute address printed and encoded in the QR code. */
export function verificationUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/$/, '')}/sertifikat/${number}`
}

export interface ConsentActor {
  readonly id: string
  readonly role: string
  readonly requestId?: string
  readonly ip?: string
}

/** The participant's choice, on the timeline and in the audit log with the old and new values. */
export async function chooseWhatEmployersSee(deps: { db: Db; clock: Clock }, actor: ConsentActor, purchaseId: string, choice: { showFullName: boolean; showGrade: boolean }): Promise<void> {
  const now = deps.clock.now()
  await transaction(deps.db, async (trx) => {
    const c = await lockCertificateOfPurchase(trx, actor.id, purchaseId)
    if (!c) throw new AppError('NOT_FOUND')
    if (c.show_full_name === choice.showFullName && c.show_grade === choice.showGrade) return
    await saveConsent(trx, c.number, choice)
    const details = { certificate: c.number, old: { showFullName: c.show_full_name, showGrade: c.show_grade }, new: choice }
    await addPurchaseEvent(trx, purchaseId, actor.id, 'consent_changed', now, details)
    await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'learning.certificate.consent', subjectType: 'certificate', subjectId: c.number, details, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
  })
}
