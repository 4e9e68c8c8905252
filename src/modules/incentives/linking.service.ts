/**
 * Linking a payout account (issue #8): the partner's inquiry says whose account it is; we
 * take it only when it is in the participant's NIK and name (names with tolerance), open,
 * and for an e-wallet KYC-verified and on the phone registered in Karya. An SMS code
 * confirms it (3 wrong tries and the attempt is refused). Replacing an account starts a
 * 72-hour cooling-off announced to the e-mail and the phone: a stolen session cannot
 * redirect the money quietly.
 */
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { hashCode, newCode, sameHash } from '../accounts/one-time-codes.ts'
import { maskPhone, normalisePhone } from '../accounts/contact.ts'
import { isPartnerCode, maskAccount, PartnerUnavailable, PARTNERS, type AccountInquiry, type PartnerCode } from './gateway.ts'
import { namesMatch } from './name-match.ts'
import type { IncentivesDeps } from './deps.ts'
import { ensureSchedule } from './schedule.service.ts'

export const LINK_OTP_TTL_MS = 10 * 60_000
export const LINK_OTP_MAX_TRIES = 3
export const COOLING_OFF_MS = 72 * 3_600_000

export interface LinkStart {
  readonly linkId: string
  readonly sentTo: string
  readonly holderName: string
}

function field(fieldName: string, id: string, en: string): never {
  const f: FieldError = { field: fieldName, id, en }
  throw new AppError('VALIDATION_FAILED', { fields: [f] })
}

/** Who the participant is, as the registration profile says (NIK opened for the partner's check). */
export async function identityOf(deps: IncentivesDeps, ex: Executor, accountId: string) {
  const a = await ex.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at', 'display_name']).where('id', '=', accountId).executeTakeFirstOrThrow()
  const p = await ex.selectFrom('registration_profiles').select(['full_name', 'nik_sealed']).where('account_id', '=', accountId).executeTakeFirst()
  if (!p?.full_name || !p.nik_sealed) throw new AppError('INCENTIVE_PROFILE_INCOMPLETE')
  return { email: a.email, phone: a.phone_verified_at ? a.phone : null, name: p.full_name, nik: deps.identity.decrypt(p.nik_sealed) }
}

/** The account number as the partner files it: digits for a bank, +62… for an e-wallet. */
export function normaliseNumber(partner: PartnerCode, input: string): string {
  if (PARTNERS[partner].kind === 'ewallet') {
    const p = normalisePhone(input)
    if (!p.ok) field('accountNumber', p.error.id, p.error.en)
    return p.phone
  }
  const digits = input.replace(/[\s.-]/g, '')
  if (!/^\d{6,20}$/.test(digits)) field('accountNumber', 'Nomor rekening berisi 6–20 angka.', 'An account number has 6–20 digits.')
  return digits
}

/** Refuses an account that is not the participant's own, with the reason. */
export function judgeInquiry(partner: PartnerCode, inq: AccountInquiry, person: { name: string; phone: string | null }): void {
  if (!inq.found) throw new AppError('INCENTIVE_ACCOUNT_NOT_FOUND')
  if (inq.closed) throw new AppError('INCENTIVE_ACCOUNT_CLOSED')
  if (!inq.nikMatches || !namesMatch(person.name, inq.holderName)) throw new AppError('INCENTIVE_ACCOUNT_NOT_YOURS')
  if (PARTNERS[partner].kind === 'ewallet') {
    if (!inq.kycVerified) throw new AppError('INCENTIVE_WALLET_NOT_KYC')
    if (!person.phone || inq.phone !== person.phone) throw new AppError('INCENTIVE_WALLET_OTHER_PHONE')
  }
}

export async function startLink(deps: IncentivesDeps, accountId: string, input: { partner: string; accountNumber: string }): Promise<LinkStart> {
  if (!isPartnerCode(input.partner)) field('partner', 'Pilih bank atau dompet digital.', 'Choose a bank or e-wallet.')
  const partner = input.partner
  const number = normaliseNumber(partner, input.accountNumber)
  const person = await identityOf(deps, deps.db, accountId)
  if (!person.phone) throw new AppError('INCENTIVE_WALLET_OTHER_PHONE')
  let inq: AccountInquiry
  try {
    inq = await deps.gateway.partner(partner).inquire(number, person.nik)
  } catch (err) {
    if (err instanceof PartnerUnavailable) throw new AppError('INCENTIVE_PARTNER_UNAVAILABLE', { cause: err })
    throw err
  }
  judgeInquiry(partner, inq, person)
  const now = deps.clock.now()
  const code = newCode()
  return transaction(deps.db, async (trx) => {
    // An earlier unfinished attempt is dropped: one code in flight at a time.
    await trx.updateTable('payout_accounts').set({ status: 'refused', ended_at: now, otp_hash: null }).where('account_id', '=', accountId).where('status', '=', 'pending_otp').execute()
    const row = await trx
      .insertInto('payout_accounts')
      .values({ account_id: accountId, partner, kind: PARTNERS[partner].kind, account_number: number, holder_name: inq.holderName, status: 'pending_otp', otp_expires_at: new Date(now.getTime() + LINK_OTP_TTL_MS), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.updateTable('payout_accounts').set({ otp_hash: hashCode(deps.secret, row.id, code) }).where('id', '=', row.id).execute()
    const text = `Kode Karya: ${code}. Untuk menautkan ${PARTNERS[partner].name} ${maskAccount(number)} sebagai rekening insentif. Berlaku 10 menit. Bukan Anda? Abaikan dan hubungi bantuan Karya.`
    await deps.mail.send(trx, { accountId: null, to: person.phone!, channel: 'sms', template: 'incentives.link-otp', subject: 'Kode tautan rekening insentif', text })
    return { linkId: row.id, sentTo: maskPhone(person.phone!), holderName: inq.holderName }
  })
}

export async function confirmLink(deps: IncentivesDeps, accountId: string, linkId: string, code: string): Promise<{ coolingOffUntil: Date | null }> {
  const now = deps.clock.now()
  // A wrong code is counted in its own transaction, so the count survives the refusal.
  const refusal = await transaction(deps.db, async (trx) => {
    const l = await trx.selectFrom('payout_accounts').selectAll().where('id', '=', linkId).where('account_id', '=', accountId).forUpdate().executeTakeFirst()
    if (!l) throw new AppError('NOT_FOUND')
    if (l.status === 'active') return null
    if (l.status !== 'pending_otp' || !l.otp_expires_at || now > l.otp_expires_at) return 'INCENTIVE_OTP_REFUSED' as const
    if (l.otp_hash && sameHash(l.otp_hash, hashCode(deps.secret, l.id, code.trim()))) return null
    const tries = l.otp_attempts + 1
    const refused = tries >= LINK_OTP_MAX_TRIES
    await trx.updateTable('payout_accounts').set({ otp_attempts: tries, ...(refused ? { status: 'refused' as const, ended_at: now, otp_hash: null } : {}) }).where('id', '=', l.id).execute()
    return refused ? ('INCENTIVE_OTP_REFUSED' as const) : ('INCENTIVE_OTP_INVALID' as const)
  })
  if (refusal) throw new AppError(refusal)
  return transaction(deps.db, async (trx) => {
    const l = await trx.selectFrom('payout_accounts').selectAll().where('id', '=', linkId).forUpdate().executeTakeFirstOrThrow()
    if (l.status === 'active') return { coolingOffUntil: l.usable_from && l.usable_from > now ? l.usable_from : null }
    if (l.status !== 'pending_otp') throw new AppError('INCENTIVE_OTP_REFUSED')
    const previous = await trx.selectFrom('payout_accounts').selectAll().where('account_id', '=', accountId).where('status', '=', 'active').forUpdate().executeTakeFirst()
    const usableFrom = previous ? new Date(now.getTime() + COOLING_OFF_MS) : now
    if (previous) await trx.updateTable('payout_accounts').set({ status: 'replaced', ended_at: now }).where('id', '=', previous.id).execute()
    await trx.updateTable('payout_accounts').set({ status: 'active', confirmed_at: now, usable_from: usableFrom, otp_hash: null }).where('id', '=', l.id).execute()
    if (previous) await announceChange(deps, trx, accountId, { partner: l.partner as PartnerCode, number: l.account_number, usableFrom })
    // A payout that failed for a reason a new account fixes is tried again, with a new attempt.
    await trx
      .updateTable('incentive_payouts')
      .set((eb) => ({ status: 'scheduled', attempt: eb('attempt', '+', 1), failure: null }))
      .where('account_id', '=', accountId)
      .where('status', '=', 'failed')
      .execute()
    await ensureSchedule(deps, trx, accountId)
    return { coolingOffUntil: previous ? usableFrom : null }
  })
}

/** The fraud path: someone who took over a session changes the payout account. Both channels hear of it. */
async function announceChange(deps: IncentivesDeps, trx: Executor, accountId: string, to: { partner: PartnerCode; number: string; usableFrom: Date }) {
  const a = await trx.selectFrom('accounts').select(['email', 'phone', 'phone_verified_at']).where('id', '=', accountId).executeTakeFirstOrThrow()
  const when = to.usableFrom.toISOString().slice(0, 16).replace('T', ' ')
  const text =
    `Rekening insentif Karya Anda diganti ke ${PARTNERS[to.partner].name} ${maskAccount(to.number)}. Insentif baru dikirim ke rekening ini setelah ${when} UTC (masa tenggang 72 jam). ` +
    `Bukan Anda? Segera hubungi bantuan Karya dan ganti kata sandi; selama masa tenggang tidak ada uang yang dikirim ke rekening baru.`
  if (a.email) await deps.mail.send(trx, { accountId, to: a.email, template: 'incentives.account-changed', subject: 'Rekening insentif diganti / Payout account changed', text, link: '/insentif' })
  if (a.phone && a.phone_verified_at) await deps.mail.send(trx, { accountId: null, to: a.phone, channel: 'sms', template: 'incentives.account-changed', subject: 'Rekening insentif diganti', text })
}

/**
 * Freezes (at a time) or unfreezes (null) a payout account for PMO's integrity review;
 * payouts to a frozen account are held, not sent. Returns whether it was frozen before
 * (null: no such payout account).
 */
export async function setPayoutAccountFrozen(ex: Executor, payoutAccountId: string, at: Date | null): Promise<boolean | null> {
  const before = await ex.selectFrom('payout_accounts').select('frozen_at').where('id', '=', payoutAccountId).forUpdate().executeTakeFirst()
  if (!before) return null
  await ex.updateTable('payout_accounts').set({ frozen_at: at }).where('id', '=', payoutAccountId).execute()
  return before.frozen_at !== null
}
