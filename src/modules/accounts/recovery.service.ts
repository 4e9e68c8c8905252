/**
 * Getting back in (BRIEF P2): a password reset by e-mail, phone or NIK, and a change of
 * e-mail or phone that waits a cooling-off period during which the old contacts can cancel it.
 */
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import * as accounts from './accounts.repository.ts'
import { maskPhone, normaliseEmail, normalisePhone } from './contact.ts'
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
    const newEmail = await accounts.lastConsumedCodeTarget(trx, accountId, 'email_change')
    if (!newEmail) throw new AppError('CODE_EXPIRED')
    return scheduleContactChange(trx, deps, { accountId, kind: 'email', newValue: newEmail })
  })
}

/** A lost phone, for someone still signed in: the new number is proven by an SMS code, then waits like an e-mail change. */
export async function requestPhoneChange(deps: RecoveryDeps, accountId: string, input: { phone: string; password: string }): Promise<void> {
  const a = await accounts.findVerificationState(deps.db, accountId)
  const full = a?.email ? await accounts.findAccountForLogin(deps.db, a.email) : undefined
  const fields: FieldError[] = []
  const p = normalisePhone(input.phone)
  if (!p.ok) fields.push(p.error)
  if (!full?.password_hash || !(await verifyPassword(full.password_hash, input.password))) {
    fields.push({ field: 'password', id: 'Kata sandi salah.', en: 'Wrong password.' })
  }
  if (fields.length > 0 || !p.ok || !a) throw new AppError('VALIDATION_FAILED', { fields })
  if (p.phone === a.phone) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'phone', id: 'Ini nomor HP akun Anda sekarang. Tulis nomor yang baru.', en: 'This is your current number. Enter the new one.' }] })
  if (await accounts.findAccountByPhone(deps.db, p.phone)) throw new AppError('PHONE_TAKEN', { fields: [{ field: 'phone', id: 'Nomor HP ini sudah dipakai akun lain.', en: 'This phone number is used by another account.' }] })
  await transaction(deps.db, (trx) => issueCode(trx, deps, { accountId, name: a.display_name, to: p.phone }, 'phone_change'))
}

export async function confirmPhoneChange(deps: RecoveryDeps, accountId: string, code: string, ip: string): Promise<{ effectiveAt: Date }> {
  await verifyCode(deps, accountId, 'phone_change', code, ip)
  return transaction(deps.db, async (trx) => {
    const newPhone = await accounts.consumedCodeTarget(trx, accountId, 'phone_change')
    if (!newPhone) throw new AppError('CODE_EXPIRED')
    return scheduleContactChange(trx, deps, { accountId, kind: 'phone', newValue: newPhone })
  })
}

/**
 * Records a proven change of e-mail or phone, announces it with a cancel link to the e-mail and
 * phone on file (how a takeover is noticed in time) and schedules it after the cooling-off
 * period. An older open change of the same kind is replaced. Used by the helpdesk too.
 */
export async function scheduleContactChange(
  trx: Executor,
  deps: Pick<RecoveryDeps, 'clock' | 'config' | 'mail' | 'jobs'>,
  c: { accountId: string; kind: 'email' | 'phone'; newValue: string; byHelpdesk?: boolean },
): Promise<{ effectiveAt: Date; changeId: string }> {
  const now = deps.clock.now()
  const a = await accounts.findVerificationState(trx, c.accountId)
  if (!a) throw new AppError('NOT_FOUND')
  for (let open = await accounts.openContactChange(trx, c.accountId); open && open.kind === c.kind; open = await accounts.openContactChange(trx, c.accountId)) {
    await accounts.closeContactChange(trx, open.id, { cancelledAt: now, note: 'replaced by a newer request' })
  }
  const cancel = newLinkToken()
  const effectiveAt = new Date(now.getTime() + COOLING_OFF_MS)
  const changeId = await accounts.insertContactChange(trx, {
    accountId: c.accountId,
    kind: c.kind,
    oldValue: c.kind === 'email' ? a.email : a.phone,
    newValue: c.newValue,
    cancelTokenHash: hashToken(cancel),
    requestedAt: now,
    effectiveAt,
  })
  const url = `${deps.config.publicUrl}/batal-ganti/${cancel}`
  const shown = c.kind === 'email' ? c.newValue : maskPhone(c.newValue)
  const [whatId, whatEn] = c.kind === 'email' ? ['E-mail', 'e-mail'] : ['Nomor HP', 'phone number']
  const why = c.byHelpdesk ? ' atas permintaan pemulihan akun yang diperiksa layanan pengaduan' : ''
  const whyEn = c.byHelpdesk ? ' after an account recovery request checked by the helpdesk' : ''
  const when = formatDateTime('id', effectiveAt)
  const text =
    `${whatId} akun Karya Anda akan diganti ke ${shown}${why} pada ${when}.\n` +
    `BUKAN ANDA? Batalkan sebelum waktu itu: ${url}\n\n` +
    `Your Karya ${whatEn} will change to ${shown}${whyEn} on ${formatDateTime('en', effectiveAt)}. Not you? Cancel: ${url}`
  const subject = c.kind === 'email' ? 'E-mail akun Karya akan diganti / Your Karya e-mail will change' : 'Nomor HP akun Karya akan diganti / Your Karya phone number will change'
  if (a.email) await deps.mail.send(trx, { accountId: c.accountId, to: a.email, template: `accounts.${c.kind}-change-notice`, subject, text, link: '/akun' })
  if (a.phone && a.phone_verified_at) {
    await deps.mail.send(trx, {
      accountId: null,
      to: a.phone,
      channel: 'sms',
      template: `accounts.${c.kind}-change-notice`,
      subject: `${whatId} akun Karya akan diganti`,
      text: `${whatId} akun Karya Anda akan diganti pada ${when}. Bukan Anda? Buka ${url}`,
    })
  }
  await deps.jobs.enqueue(trx, APPLY_CHANGE_JOB, { changeId }, { startAfter: effectiveAt })
  return { effectiveAt, changeId }
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
    const holder = c.kind === 'email' ? await accounts.findAccountByEmail(trx, c.new_value) : await accounts.findAccountByPhone(trx, c.new_value)
    if (holder && holder.id !== c.account_id) {
      await accounts.closeContactChange(trx, c.id, { cancelledAt: now, note: `new ${c.kind} was taken meanwhile` })
      return
    }
    if (c.kind === 'email') {
      await accounts.setEmail(trx, c.account_id, c.new_value, now)
      await accounts.closeContactChange(trx, c.id, { appliedAt: now, note: 'applied' })
      await deps.mail.send(trx, {
        accountId: c.account_id,
        to: c.new_value,
        template: 'accounts.email-changed',
        subject: 'E-mail akun Karya sudah diganti / Your Karya e-mail was changed',
        text: `Mulai sekarang e-mail akun Karya Anda adalah ${c.new_value}. / From now on your Karya e-mail is ${c.new_value}.`,
      })
      return
    }
    // Proven by the SMS code (or by the helpdesk's check) before the cooling-off began.
    await accounts.setPhone(trx, c.account_id, c.new_value, now)
    await accounts.closeContactChange(trx, c.id, { appliedAt: now, note: 'applied' })
    const text = `Mulai sekarang nomor HP akun Karya Anda adalah ${c.new_value}. / From now on your Karya phone number is ${c.new_value}.`
    await deps.mail.send(trx, { accountId: null, to: c.new_value, channel: 'sms', template: 'accounts.phone-changed', subject: 'Nomor HP akun Karya sudah diganti', text })
    const a = await accounts.findVerificationState(trx, c.account_id)
    if (a?.email) {
      await deps.mail.send(trx, { accountId: c.account_id, to: a.email, template: 'accounts.phone-changed', subject: 'Nomor HP akun Karya sudah diganti / Your Karya phone number was changed', text, link: '/akun' })
    }
  })
}

export function defineAccountJobs(jobs: Jobs, deps: Pick<RecoveryDeps, 'db' | 'clock' | 'mail'>): void {
  jobs.define<{ changeId: string }>(APPLY_CHANGE_JOB, (data) => applyContactChange(deps, data.changeId), { retryLimit: 10, retryDelay: 60, retryBackoff: true })
}
