/**
 * Getting back in (BRIEF P2): a password reset by e-mail, phone or NIK, and a change of
 * e-mail that waits a cooling-off period during which the old address can cancel it.
 */
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { transaction } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import * as accounts from './accounts.repository.ts'
import { normaliseEmail, normalisePhone } from './contact.ts'
import { checkPassword } from './password-policy.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import { hashToken, newLinkToken } from './one-time-codes.ts'
import { issueCode, verifyCode, type SignupDeps } from './signup.service.ts'

export const COOLING_OFF_MS = 72 * 3_600_000
export const APPLY_CHANGE_JOB = 'accounts.apply-contact-change'

export interface RecoveryDeps extends SignupDeps {
  jobs: Jobs
  /** Supplied by the registration module: who registered this NIK. */
  accountIdForNik(nik: string): Promise<string | null>
}

/** E-mail, phone or NIK → the account, or null; never says which one matched. */
export async function resolveIdentifier(deps: RecoveryDeps, identifier: string): Promise<string | null> {
  const text = identifier.trim()
  if (text.includes('@')) {
    const e = normaliseEmail(text)
    return e.ok ? ((await accounts.findAccountByEmail(deps.db, e.email))?.id ?? null) : null
  }
  const digits = text.replace(/[\s.()-]/g, '')
  if (/^\d{16}$/.test(digits)) return deps.accountIdForNik(digits)
  const p = normalisePhone(text)
  return p.ok ? ((await accounts.findAccountByPhone(deps.db, p.phone))?.id ?? null) : null
}

/** Sends one code to the e-mail and the phone on file. The answer is the same whether or not an account matched. */
export async function requestPasswordReset(deps: RecoveryDeps, identifier: string): Promise<void> {
  const accountId = await resolveIdentifier(deps, identifier)
  if (!accountId) return
  const a = await accounts.findVerificationState(deps.db, accountId)
  if (!a || a.status === 'closed' || !a.email) return
  await transaction(deps.db, (trx) =>
    issueCode(trx, deps, { accountId, name: a.display_name, to: a.email!, alsoSms: a.phone_verified_at ? a.phone : null }, 'password_reset'),
  )
}

export async function resetPassword(deps: RecoveryDeps, input: { identifier: string; code: string; password: string }, ip: string): Promise<void> {
  const accountId = await resolveIdentifier(deps, input.identifier)
  // An unknown identifier fails like a wrong code: nothing tells a stranger the account exists.
  if (!accountId) throw new AppError('CODE_INVALID', { fields: [{ field: 'code', id: 'Kode salah.', en: 'Wrong code.' }] })
  const a = await accounts.findVerificationState(deps.db, accountId)
  const weak = checkPassword(input.password, { email: a?.email ?? undefined, phone: a?.phone ?? undefined })
  if (weak) throw new AppError('VALIDATION_FAILED', { fields: [weak] })
  await verifyCode(deps, accountId, 'password_reset', input.code, ip)
  const passwordHash = await hashPassword(input.password)
  await transaction(deps.db, async (trx) => {
    await accounts.setPassword(trx, accountId, passwordHash)
    await deleteSessionsOfAccount(trx, accountId)
    const notice = `Kata sandi akun Karya Anda baru saja diganti (${formatDateTime('id', deps.clock.now())}). Bukan Anda? Segera hubungi layanan pengaduan.`
    if (a?.email) await deps.mail.send(trx, { accountId, to: a.email, template: 'accounts.password-changed', subject: 'Kata sandi Karya diganti / Your Karya password was changed', text: notice })
    if (a?.phone && a.phone_verified_at) await deps.mail.send(trx, { accountId: null, to: a.phone, channel: 'sms', template: 'accounts.password-changed', subject: 'Kata sandi Karya diganti', text: notice })
  })
}

export async function requestEmailChange(deps: RecoveryDeps, accountId: string, input: { email: string; password: string }): Promise<void> {
  const a = await accounts.findVerificationState(deps.db, accountId)
  const full = a?.email ? await accounts.findAccountForLogin(deps.db, a.email) : undefined
  const fields: FieldError[] = []
  const e = normaliseEmail(input.email)
  if (!e.ok) fields.push(e.error)
  if (!full || !(await verifyPassword(full.password_hash, input.password))) {
    fields.push({ field: 'password', id: 'Kata sandi salah.', en: 'Wrong password.' })
  }
  if (fields.length > 0 || !e.ok || !a) throw new AppError('VALIDATION_FAILED', { fields })
  if (await accounts.findAccountByEmail(deps.db, e.email)) throw new AppError('EMAIL_TAKEN', { fields: [{ field: 'email', id: 'E-mail ini sudah dipakai akun lain.', en: 'This e-mail is used by another account.' }] })
  await transaction(deps.db, (trx) => issueCode(trx, deps, { accountId, name: a.display_name, to: e.email }, 'email_change'))
}

/** The new address is proven; the change waits out the cooling-off period, announced to the old one. */
export async function confirmEmailChange(deps: RecoveryDeps, accountId: string, code: string, ip: string): Promise<{ effectiveAt: Date }> {
  await verifyCode(deps, accountId, 'email_change', code, ip)
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const a = await accounts.findVerificationState(trx, accountId)
    const newEmail = await accounts.lastConsumedCodeTarget(trx, accountId, 'email_change')
    if (!a || !newEmail) throw new AppError('CODE_EXPIRED')
    const open = await accounts.openContactChange(trx, accountId)
    if (open) await accounts.closeContactChange(trx, open.id, { cancelledAt: now, note: 'replaced by a newer request' })
    const cancel = newLinkToken()
    const effectiveAt = new Date(now.getTime() + COOLING_OFF_MS)
    const id = await accounts.insertContactChange(trx, {
      accountId,
      kind: 'email',
      oldValue: a.email,
      newValue: newEmail,
      cancelTokenHash: hashToken(cancel),
      requestedAt: now,
      effectiveAt,
    })
    const when = formatDateTime('id', effectiveAt)
    const text =
      `E-mail akun Karya Anda akan diganti ke ${newEmail} pada ${when}.\n` +
      `BUKAN ANDA? Batalkan sebelum waktu itu: ${deps.config.publicUrl}/batal-ganti/${cancel}\n\n` +
      `Your Karya e-mail will change to ${newEmail} on ${formatDateTime('en', effectiveAt)}. Not you? Cancel: ${deps.config.publicUrl}/batal-ganti/${cancel}`
    // The old address and phone hear of it: they are how a takeover is noticed in time.
    if (a.email) await deps.mail.send(trx, { accountId, to: a.email, template: 'accounts.email-change-notice', subject: 'E-mail akun Karya akan diganti / Your Karya e-mail will change', text, link: '/akun' })
    if (a.phone && a.phone_verified_at) {
      await deps.mail.send(trx, { accountId: null, to: a.phone, channel: 'sms', template: 'accounts.email-change-notice', subject: 'E-mail akun Karya akan diganti', text: `E-mail akun Karya Anda akan diganti pada ${when}. Bukan Anda? Buka ${deps.config.publicUrl}/batal-ganti/${cancel}` })
    }
    await deps.jobs.enqueue(trx, APPLY_CHANGE_JOB, { changeId: id }, { startAfter: effectiveAt })
    return { effectiveAt }
  })
}

export async function cancelContactChange(deps: RecoveryDeps, token: string): Promise<'cancelled' | 'too_late'> {
  return transaction(deps.db, async (trx) => {
    const c = await accounts.findContactChangeByCancelToken(trx, hashToken(token))
    if (!c || c.cancelled_at) throw new AppError('LINK_INVALID')
    if (c.applied_at) return 'too_late'
    await accounts.closeContactChange(trx, c.id, { cancelledAt: deps.clock.now(), note: 'cancelled from the notice' })
    return 'cancelled'
  })
}

/** The job at the end of the cooling-off period. Safe to run twice: a closed change is left alone. */
export async function applyContactChange(deps: Pick<RecoveryDeps, 'db' | 'clock' | 'mail'>, changeId: string): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const c = await accounts.findContactChange(trx, changeId)
    if (!c || c.cancelled_at || c.applied_at) return
    if (c.effective_at > now) throw new Error('cooling-off not over yet')
    if (await accounts.findAccountByEmail(trx, c.new_value)) {
      await accounts.closeContactChange(trx, c.id, { cancelledAt: now, note: 'new e-mail was taken meanwhile' })
      return
    }
    await accounts.setEmail(trx, c.account_id, c.new_value, now)
    await accounts.closeContactChange(trx, c.id, { appliedAt: now, note: 'applied' })
    await deps.mail.send(trx, {
      accountId: c.account_id,
      to: c.new_value,
      template: 'accounts.email-changed',
      subject: 'E-mail akun Karya sudah diganti / Your Karya e-mail was changed',
      text: `Mulai sekarang e-mail akun Karya Anda adalah ${c.new_value}. / From now on your Karya e-mail is ${c.new_value}.`,
    })
  })
}

export function defineAccountJobs(jobs: Jobs, deps: Pick<RecoveryDeps, 'db' | 'clock' | 'mail'>): void {
  jobs.define<{ changeId: string }>(APPLY_CHANGE_JOB, (data) => applyContactChange(deps, data.changeId), { retryLimit: 10, retryDelay: 60, retryBackoff: true })
}
