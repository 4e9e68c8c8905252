/**
 * Sign-up and verification: a pending participant account, an e-mail with a link, a code and
 * a "this was not me" link, and an SMS code; the account is active once both are verified.
 */
import crypto from 'node:crypto'
import type { Config } from '../../config.ts'
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError, isUniqueViolation, type FieldError } from '../../platform/errors.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import type { Mail, MailMessage } from '../../platform/mail/index.ts'
import type { AccountStatus, CodePurpose } from './accounts.tables.ts'
import * as accounts from './accounts.repository.ts'
import * as codes from './codes.repository.ts'
import { normaliseEmail, normalisePhone } from './contact.ts'
import { checkPassword } from './password-policy.ts'
import { hashPassword } from './passwords.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import { CODE_TTL_MS, MAX_TRIES_PER_CODE, SEND_WINDOW_MS, hashCode, hashToken, newCode, newLinkToken, sameHash, sendAllowance } from './one-time-codes.ts'

export interface SignupDeps {
  db: Db
  mail: Mail
  clock: Clock
  config: Config
}

export interface SignupInput {
  name: string
  email: string
  phone: string
  password: string
}

export async function signUp(deps: SignupDeps, input: SignupInput): Promise<{ accountId: string }> {
  const fields: FieldError[] = []
  const name = input.name.trim().replace(/\s+/g, ' ')
  if (name.length < 2) fields.push({ field: 'name', id: 'Isi nama lengkap sesuai KTP.', en: 'Enter your full name as on your ID card.' })
  if (name.length > 100) fields.push({ field: 'name', id: 'Nama paling banyak 100 huruf.', en: 'The name can have at most 100 letters.' })
  const email = normaliseEmail(input.email)
  if (!email.ok) fields.push(email.error)
  const phone = normalisePhone(input.phone)
  if (!phone.ok) fields.push(phone.error)
  const pw = checkPassword(input.password, { email: email.ok ? email.email : undefined, phone: phone.ok ? phone.phone : undefined })
  if (pw) fields.push(pw)
  if (fields.length > 0 || !email.ok || !phone.ok) throw new AppError('VALIDATION_FAILED', { fields })

  const passwordHash = await hashPassword(input.password)
  try {
    return await transaction(deps.db, async (trx) => {
      const taken = await accounts.findTakenContact(trx, email.email, phone.phone)
      if (taken.email) throw new AppError('EMAIL_TAKEN', { fields: [takenField('email')] })
      if (taken.phone) throw new AppError('PHONE_TAKEN', { fields: [takenField('phone')] })
      const accountId = await accounts.insertPendingParticipant(trx, { email: email.email, phone: phone.phone, displayName: name, passwordHash })
      // Both codes and both messages in one statement each (opening night: every round trip of
      // the sign-up counts). A brand-new account has sent nothing yet, so no allowance to check.
      const now = deps.clock.now()
      const byEmail = composeCode(deps, { accountId, name, to: email.email }, 'email_verify', now)
      const bySms = composeCode(deps, { accountId, name, to: phone.phone }, 'phone_verify', now)
      await codes.insertCodes(trx, [byEmail.row, bySms.row])
      await deps.mail.sendMany(trx, [...byEmail.messages, ...bySms.messages])
      return { accountId }
    })
  } catch (err) {
    // Two sign-ups racing for the same address: the unique index decides, the loser is told.
    if (isUniqueViolation(err)) {
      const which = String((err as { constraint?: string }).constraint ?? (err as Error).message).includes('phone') ? 'PHONE_TAKEN' : 'EMAIL_TAKEN'
      throw new AppError(which, { fields: [takenField(which === 'PHONE_TAKEN' ? 'phone' : 'email')] })
    }
    throw err
  }
}

function takenField(field: 'email' | 'phone'): FieldError {
  return field === 'email'
    ? { field, id: 'E-mail ini sudah terdaftar.', en: 'This e-mail is already registered.' }
    : { field, id: 'Nomor HP ini sudah terdaftar.', en: 'This phone number is already registered.' }
}

function limitError(retryAt: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000))
  return new AppError('CODE_LIMIT', {
    headers: { 'retry-after': String(seconds) },
    fields: [
      {
        field: 'code',
        id: `Anda sudah meminta kode 6 kali. Minta lagi mulai ${formatDateTime('id', retryAt)}.`,
        en: `You have asked for a code 6 times. You can ask again from ${formatDateTime('en', retryAt)}.`,
      },
    ],
  })
}

interface CodeRecipient {
  accountId: string
  name: string
  to: string
  alsoSms?: string | null
  viaEmail?: boolean
  /** Set when an officer registers the person in their presence: the person reads the code out to them. */
  readOutTo?: { officerName: string; regencyName: string }
}

/** Sends a new code of the purpose if the limit allows; in the caller's transaction. */
export async function issueCode(trx: Executor, deps: SignupDeps, to: CodeRecipient, purpose: CodePurpose): Promise<void> {
  const now = deps.clock.now()
  const allowance = sendAllowance(await codes.sendTimes(trx, to.accountId, purpose, new Date(now.getTime() - 2 * SEND_WINDOW_MS)), now)
  if (!allowance.allowed) throw limitError(allowance.retryAt, now)
  const { row, messages } = composeCode(deps, to, purpose, now)
  await codes.insertCode(trx, row)
  for (const m of messages) await deps.mail.send(trx, m)
}

/** A new code of the purpose: its row and the message(s) that carry it, nothing written yet. */
function composeCode(deps: SignupDeps, to: CodeRecipient, purpose: CodePurpose, now: Date): { row: codes.NewCode; messages: MailMessage[] } {
  const id = crypto.randomUUID()
  const code = newCode()
  const byEmail = purpose === 'email_verify' || purpose === 'password_reset' || purpose === 'email_change' || to.viaEmail === true
  const channel = byEmail ? 'email' : 'sms'
  const link = purpose === 'email_verify' ? newLinkToken() : null
  const notMe = purpose === 'email_verify' ? newLinkToken() : null
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS[purpose])
  const messages: MailMessage[] = []
  const row: codes.NewCode = {
    id,
    accountId: to.accountId,
    purpose,
    channel,
    sentTo: to.to,
    codeHash: hashCode(deps.config.secret, id, code),
    linkTokenHash: link ? hashToken(link) : null,
    notMeTokenHash: notMe ? hashToken(notMe) : null,
    createdAt: now,
    expiresAt,
  }
  const base = deps.config.publicUrl
  if (purpose === 'email_verify') {
    messages.push({
      accountId: to.accountId,
      to: to.to,
      template: 'accounts.verify-email',
      subject: 'Verifikasi e-mail akun Karya / Verify your Karya e-mail',
      text:
        `Halo ${to.name},\n\nKode verifikasi e-mail Anda: ${code}\nAtau buka tautan ini: ${base}/verifikasi-email/${link}\nBerlaku sampai ${formatDateTime('id', expiresAt)}.\n\n` +
        `BUKAN ANDA YANG MENDAFTAR? Buka ${base}/bukan-saya/${notMe} — pendaftaran ini dibatalkan, e-mail Anda dibebaskan, dan kami mencatatnya sebagai laporan penyalahgunaan.\n\n` +
        `Hello ${to.name},\n\nYour e-mail verification code: ${code}\nOr open: ${base}/verifikasi-email/${link}\nValid until ${formatDateTime('en', expiresAt)}.\n\n` +
        `NOT YOU? Open ${base}/bukan-saya/${notMe} — the sign-up is cancelled, your e-mail is freed and we record it as a misuse report.`,
      link: '/daftar/verifikasi',
    })
  } else if (purpose === 'password_reset') {
    const text =
      `Kode untuk mengatur ulang kata sandi Karya: ${code}. Berlaku 30 menit. Masukkan di ${base}/lupa-sandi/atur. ` +
      `Bukan Anda yang meminta? Abaikan pesan ini; kata sandi Anda tidak berubah. JANGAN berikan kode ini kepada siapa pun.`
    // Not copied to the inbox: someone holding a stolen session must not be able to read it there.
    messages.push({ accountId: null, to: to.to, template: 'accounts.password-reset', subject: 'Atur ulang kata sandi Karya / Reset your Karya password', text, link: '/lupa-sandi/atur' })
    if (to.alsoSms) {
      messages.push({ accountId: null, to: to.alsoSms, channel: 'sms', template: 'accounts.password-reset', subject: 'Kode atur ulang kata sandi Karya', text: `Kode atur ulang kata sandi Karya: ${code}. Berlaku 30 menit. JANGAN berikan kepada siapa pun.` })
    }
  } else if (purpose === 'email_change') {
    messages.push({
      accountId: null,
      to: to.to,
      template: 'accounts.email-change',
      subject: 'Kode ganti e-mail akun Karya / Code to change your Karya e-mail',
      text: `Halo ${to.name},\n\nKode untuk memakai alamat ini sebagai e-mail akun Karya Anda: ${code}. Berlaku 24 jam.\n\nYour code to use this address for your Karya account: ${code}. Valid for 24 hours.`,
    })
  } else if (purpose === 'login' && to.viaEmail) {
    messages.push({
      accountId: null,
      to: to.to,
      template: 'accounts.login-code',
      subject: 'Kode masuk Karya / Your Karya log-in code',
      text: `Kode masuk Karya: ${code}. Berlaku 5 menit. JANGAN berikan kode ini kepada siapa pun. / Your Karya log-in code: ${code}. Valid for 5 minutes.`,
    })
  } else {
    const what = purpose === 'login' ? 'masuk' : 'verifikasi nomor HP'
    messages.push({
      // A log-in code is of no use once logged in, where the inbox is read; a phone-change code in the
      // inbox would let a mistyped number pass as proven. Every other message is kept there.
      accountId: purpose === 'login' || purpose === 'phone_change' ? null : to.accountId,
      to: to.to,
      channel: 'sms',
      template: purpose === 'login' ? 'accounts.login-code' : 'accounts.verify-phone',
      subject: `Kode ${what} Karya`,
      text: to.readOutTo
        ? `Kode ${what} Karya: ${code}. Bacakan kode ini HANYA kepada petugas ${to.readOutTo.officerName} (${to.readOutTo.regencyName}) yang sedang mendaftarkan Anda di depan Anda. Tidak sedang didaftarkan petugas? Jangan berikan kepada siapa pun.`
        : `Kode ${what} Karya: ${code}. Berlaku ${Math.round(CODE_TTL_MS[purpose] / 60_000)} menit. JANGAN berikan kode ini kepada siapa pun, termasuk petugas.`,
    })
  }
  return { row, messages }
}

/** `viaEmail`: a log-in code to the e-mail for someone who cannot receive SMS on the phone on file. */
export async function resendCode(
  deps: SignupDeps,
  accountId: string,
  purpose: CodePurpose,
  opts: { viaEmail?: boolean; readOutTo?: { officerName: string; regencyName: string } } = {},
): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const a = await accounts.findVerificationState(trx, accountId)
    if (!a) throw new AppError('NOT_FOUND')
    const viaEmail = purpose === 'login' && opts.viaEmail === true && a.email_verified_at !== null
    const to = purpose === 'email_verify' || viaEmail ? a.email : a.phone
    if (!to) throw new AppError('NOT_FOUND')
    await issueCode(trx, deps, { accountId, name: a.display_name, to, viaEmail, ...(opts.readOutTo ? { readOutTo: opts.readOutTo } : {}) }, purpose)
  })
}

/**
 * Checks a typed code. A wrong try is counted and committed before the refusal is thrown,
 * so repeating a request cannot reset the count. Returns the account's status after a sign-up
 * verification (so the page needs no second read), null for other purposes.
 */
export async function verifyCode(deps: SignupDeps, accountId: string, purpose: CodePurpose, typed: string, ip: string): Promise<VerifiedStatus> {
  const code = typed.replace(/\s/g, '')
  const outcome = await transaction(deps.db, async (trx): Promise<{ status: VerifiedStatus } | 'invalid' | 'expired'> => {
    const now = deps.clock.now()
    const open = await codes.latestOpenCode(trx, accountId, purpose)
    if (!open || open.expires_at <= now || open.attempts >= MAX_TRIES_PER_CODE) return 'expired'
    if (!/^\d{6}$/.test(code) || !sameHash(open.code_hash, hashCode(deps.config.secret, open.id, code))) {
      await codes.countAttempt(trx, open.id)
      await codes.insertAuthFailure(trx, { ip, accountId, kind: 'code', at: now })
      return 'invalid'
    }
    // Only a sign-up verification proves the address on file. A new phone or e-mail is marked
    // verified when the change is applied, after the cooling-off period; a reset proves nothing new.
    if (purpose === 'email_verify' || purpose === 'phone_verify') {
      // Codes consumed, address verified, account activated once both are: one statement.
      return { status: await accounts.verifyContact(trx, accountId, purpose === 'email_verify' ? 'email' : 'phone', now) }
    }
    await codes.consumeCodes(trx, accountId, purpose, now)
    return { status: null }
  })
  if (outcome === 'expired') throw new AppError('CODE_EXPIRED', { fields: [{ field: 'code', id: 'Minta kode baru.', en: 'Ask for a new code.' }] })
  if (outcome === 'invalid') throw new AppError('CODE_INVALID', { fields: [{ field: 'code', id: 'Kode salah.', en: 'Wrong code.' }] })
  return outcome.status
}

/** After a sign-up verification (e-mail or phone), the account's status; null for other purposes. */
export type VerifiedStatus = AccountStatus | null

/** The link in the verification e-mail: proof of the inbox without logging in. */
export async function verifyEmailLink(deps: SignupDeps, token: string): Promise<{ accountId: string; active: boolean }> {
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const found = await codes.findByLinkToken(trx, hashToken(token))
    if (!found || found.consumed_at || found.expires_at <= now) throw new AppError('LINK_INVALID')
    await codes.consumeCodes(trx, found.account_id, 'email_verify', now)
    await accounts.setVerified(trx, found.account_id, 'email', now)
    const active = await accounts.activateIfVerified(trx, found.account_id)
    return { accountId: found.account_id, active }
  })
}

export type NotMeOutcome = 'cancelled' | 'reported'

/**
 * "This was not me" (BRIEF P6). A sign-up still pending is cancelled and its e-mail and phone
 * freed; either way a fraud signal is recorded for the programme office.
 */
export async function reportNotMe(deps: SignupDeps, token: string, ip: string): Promise<NotMeOutcome> {
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const found = await codes.findByNotMeToken(trx, hashToken(token))
    if (!found) throw new AppError('LINK_INVALID')
    const state = await accounts.findVerificationState(trx, found.account_id)
    const cancelled = state?.status === 'pending' ? await accounts.cancelPendingAccount(trx, found.account_id) : null
    if (cancelled) {
      await deleteSessionsOfAccount(trx, found.account_id)
      await codes.consumeCodes(trx, found.account_id, 'email_verify', now)
      await codes.consumeCodes(trx, found.account_id, 'phone_verify', now)
    }
    await codes.insertFraudSignal(trx, {
      kind: 'email_not_me',
      accountId: found.account_id,
      details: {
        email: found.sent_to,
        signupAt: found.created_at.toISOString(),
        accountStatusBefore: state?.status ?? null,
        outcome: cancelled ? 'cancelled' : 'reported',
      },
      ip,
      at: now,
    })
    return cancelled ? 'cancelled' : 'reported'
  })
}
