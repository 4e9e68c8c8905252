/**
 * The person takes over an account an officer registered: with their phone number or the
 * slip's reference, and either the slip's single-use activation code or an SMS code, they
 * choose a password. From then on only they can change their data.
 */
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { normalisePhone } from '../accounts/contact.ts'
import { issueCode, verifyCode } from '../accounts/signup.service.ts'
import { activateWithPassword } from '../accounts/accounts.repository.ts'
import { countIpFailures, insertAuthFailure } from '../accounts/codes.repository.ts'
import { IP_FAILURE_LIMIT, IP_WINDOW_MS } from '../accounts/accounts.service.ts'
import { checkPassword } from '../accounts/password-policy.ts'
import { hashPassword } from '../accounts/passwords.ts'
import { sameHash } from '../accounts/one-time-codes.ts'
import * as repo from './assisted.repository.ts'
import { isActivated, notify, signupDeps, type AssistedDeps, type Origin } from './assisted.service.ts'
import { MAX_TRIES_PER_ACTIVATION_CODE, formatReference, hashActivationCode, normaliseActivationCode, normaliseReference } from './slip-codes.ts'


async function checkIp(deps: AssistedDeps, ip: string): Promise<void> {
  const now = deps.clock.now()
  const fromIp = await countIpFailures(deps.db, ip, new Date(now.getTime() - IP_WINDOW_MS))
  if (fromIp.count >= IP_FAILURE_LIMIT) {
    const retryAt = (fromIp.oldest?.getTime() ?? now.getTime()) + IP_WINDOW_MS
    throw new AppError('RATE_LIMITED', { headers: { 'retry-after': String(Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000))) } })
  }
}

/** A phone number or a slip reference → the registration still waiting for its owner. */
async function waitingFor(deps: AssistedDeps, identifier: string): Promise<repo.RegistrationRow | null> {
  const reference = normaliseReference(identifier)
  const phone = reference ? null : normalisePhone(identifier)
  const row = reference ? await repo.findRegistrationByReference(deps.db, reference) : phone?.ok ? await repo.findRegistrationByPhone(deps.db, phone.phone) : undefined
  return row && !isActivated(row) && row.status !== 'closed' && row.status !== 'frozen' ? row : null
}

/**
 * The same quiet answer whether or not the number belongs to a registration waiting for
 * activation. Only a phone the person proved in front of the officer can receive one: a
 * mistyped, unproven number may be a stranger's, who must not be able to take the account.
 */
export async function requestActivationSms(deps: AssistedDeps, identifier: string, ip: string): Promise<void> {
  await checkIp(deps, ip)
  const row = await waitingFor(deps, identifier)
  if (!row?.phone || !row.phone_verified_at) return
  await transaction(deps.db, (trx) => issueCode(trx, signupDeps(deps), { accountId: row.account_id, name: row.display_name, to: row.phone! }, 'phone_verify'))
}

export interface Activated {
  accountId: string
  reference: string
  /** The verified phone the person may log in with, if any. */
  phone: string | null
  email: string | null
}

async function refuse(deps: AssistedDeps, ip: string, accountId: string | null): Promise<never> {
  // Counted and committed before the refusal, like every other wrong code.
  await insertAuthFailure(deps.db, { ip, accountId, kind: 'code', at: deps.clock.now() })
  throw new AppError('ACTIVATION_FAILED', { fields: [{ field: 'code', id: 'Periksa nomor dan kodenya.', en: 'Check the number and the code.' }] })
}

/**
 * The person activates with their phone or reference and either the slip's activation code
 * or an SMS code, and chooses a password. The code is used up in the same transaction that
 * hands the account over.
 */
export async function activate(deps: AssistedDeps, input: { identifier: string; code: string; password: string }, origin: Origin): Promise<Activated> {
  const ip = origin.ip
  await checkIp(deps, ip)
  const row = await waitingFor(deps, input.identifier)
  const pw = checkPassword(input.password, { ...(row?.email ? { email: row.email } : {}), ...(row?.phone ? { phone: row.phone } : {}) })
  if (pw) throw new AppError('VALIDATION_FAILED', { fields: [pw] })
  if (!row) return refuse(deps, ip, null)
  const accountId = row.account_id
  const smsCode = input.code.replace(/\s/g, '')
  const passwordHash = await hashPassword(input.password)

  if (/^\d{6}$/.test(smsCode)) {
    if (!row.phone || !row.phone_verified_at) return refuse(deps, ip, accountId)
    try {
      await verifyCode(signupDeps(deps), accountId, 'phone_verify', smsCode, ip)
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CODE_INVALID' || err.code === 'CODE_EXPIRED')) throw activationFailed()
      throw err
    }
    return transaction(deps.db, (trx) => handOver(trx, deps, row, passwordHash, 'sms', origin))
  }

  const code = normaliseActivationCode(input.code)
  const outcome = await transaction(deps.db, async (trx): Promise<Activated | 'invalid'> => {
    const now = deps.clock.now()
    const open = await repo.latestActivationCode(trx, accountId)
    if (!open || open.consumed_at || open.expires_at <= now || open.attempts >= MAX_TRIES_PER_ACTIVATION_CODE) return 'invalid'
    if (!code || !sameHash(open.code_hash, hashActivationCode(deps.config.secret, open.id, code))) {
      await repo.countActivationAttempt(trx, open.id)
      return 'invalid'
    }
    await repo.consumeActivationCodes(trx, accountId, now)
    return handOver(trx, deps, row, passwordHash, 'activation_code', origin)
  })
  if (outcome === 'invalid') return refuse(deps, ip, accountId)
  return outcome
}

function activationFailed(): AppError {
  return new AppError('ACTIVATION_FAILED', { fields: [{ field: 'code', id: 'Periksa nomor dan kodenya.', en: 'Check the number and the code.' }] })
}

async function handOver(trx: Executor, deps: AssistedDeps, row: repo.RegistrationRow, passwordHash: string, via: 'sms' | 'activation_code', origin: Origin): Promise<Activated> {
  const now = deps.clock.now()
  const locked = await repo.lockRegistration(trx, row.account_id)
  if (!locked || locked.activated_at) throw activationFailed()
  if (!(await activateWithPassword(trx, row.account_id, passwordHash))) throw activationFailed()
  await repo.markActivated(trx, row.account_id, via, now)
  const fresh = await repo.findRegistration(trx, row.account_id)
  const phone = fresh?.phone_verified_at ? fresh.phone : null
  const ref = formatReference(row.reference)
  const loginId = phone ? 'nomor HP Anda' : row.email ? `e-mail Anda atau nomor akun ${ref}` : `nomor akun ${ref}`
  const loginEn = phone ? 'your phone number' : row.email ? `your e-mail or account reference ${ref}` : `account reference ${ref}`
  await notify(trx, deps, { accountId: row.account_id, phone: row.phone, email: row.email }, {
    template: 'assisted.activated',
    subject: 'Akun Karya Anda sudah aktif / Your Karya account is active',
    link: '/beranda',
    text:
      `Halo ${row.display_name}, akun Karya Anda (${ref}) sudah Anda aktifkan pada ${formatDateTime('id', now)}. Mulai sekarang hanya Anda yang dapat mengubah data Anda; petugas tidak lagi bisa. ` +
      `Masuk di ${deps.config.publicUrl}/masuk dengan ${loginId} dan kata sandi Anda. Bukan Anda? Segera hubungi layanan pengaduan.\n\n` +
      `Hello ${row.display_name}, you activated your Karya account (${ref}) on ${formatDateTime('en', now)}. From now on only you can change your data; officers no longer can. ` +
      `Log in at ${deps.config.publicUrl}/masuk with ${loginEn} and your password. Not you? Contact the helpdesk at once.`,
  })
  await record(
    trx,
    { actorId: row.account_id, actorRole: 'participant', action: 'assisted.activated', subjectType: 'account', subjectId: row.account_id, details: { via, reference: row.reference, registeredBy: row.registered_by }, requestId: origin.requestId, ip: origin.ip },
    deps.clock,
  )
  return { accountId: row.account_id, reference: row.reference, phone, email: row.email }
}

