/**
 * The provider's side of a purchase: the voucher taken at the provider (enrolment and the
 * session redeem codes), attendance by redeem code, and a cancelled session's refunds.
 */
import { transaction } from '../../platform/db/database.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { formatRupiah } from '../ledger/index.ts'
import { newRedeemCode, normaliseCode } from './codes.ts'
import { end, event, ledgerOf, refuse, release, REDEEM_WINDOW_MS, type PurchasesDeps } from './purchases.service.ts'

export interface Redemption {
  readonly purchaseId: string
  readonly courseId: string
  readonly participantName: string
  readonly redeemCodes: ReadonlyArray<{ code: string; sessionId: string; validFrom: Date; validUntil: Date }>
}

/** The provider takes the voucher: the person is enrolled, and gets a redeem code for each session. */
export async function redeemVoucher(deps: PurchasesDeps, providerCode: string, typed: string): Promise<Redemption> {
  const code = normaliseCode(typed)
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    const p = await trx.selectFrom('purchases').selectAll().where('voucher_code', '=', code).forUpdate().executeTakeFirst()
    if (!p) refuse('REDEEM_NOT_FOUND')
    if (p.provider_code !== providerCode) refuse('REDEEM_OTHER_PROVIDER')
    if (p.status === 'refunded' || p.status === 'cancelled' || p.status === 'expired') refuse('REDEEM_CANCELLED')
    if (p.status !== 'paid') refuse('REDEEM_ALREADY_USED')
    if (p.after_purchase_id) {
      const before = await trx.selectFrom('purchases').select('status').where('id', '=', p.after_purchase_id).executeTakeFirstOrThrow()
      if (before.status === 'paid' || before.status === 'redeemed') refuse('PURCHASE_WAITING_FOR_PREVIOUS')
    }
    await trx.updateTable('purchases').set({ status: 'redeemed', redeemed_at: now }).where('id', '=', p.id).execute()
    const codes: Array<{ code: string; sessionId: string; validFrom: Date; validUntil: Date }> = []
    if (p.session_id) {
      const s = await trx.selectFrom('course_sessions').select(['id', 'starts_at']).where('id', '=', p.session_id).executeTakeFirstOrThrow()
      const r = { code: newRedeemCode(), sessionId: s.id, validFrom: new Date(s.starts_at.getTime() - REDEEM_WINDOW_MS), validUntil: new Date(s.starts_at.getTime() + REDEEM_WINDOW_MS) }
      await trx.insertInto('redeem_codes').values({ code: r.code, purchase_id: p.id, session_id: s.id, valid_from: r.validFrom, valid_until: r.validUntil }).execute()
      codes.push(r)
    }
    await event(trx, p.id, p.account_id, 'redeemed', now, { redeemCodes: codes.map((c) => c.code) })
    const person = await trx.selectFrom('accounts').select(['display_name', 'email']).where('id', '=', p.account_id).executeTakeFirstOrThrow()
    if (codes.length > 0 && person.email) {
      const lines = codes.map((c) => `${c.code}: berlaku ${formatDateTime('id', c.validFrom)} s.d. ${formatDateTime('id', c.validUntil)}`).join('\n')
      await deps.mail.send(trx, { accountId: p.account_id, to: person.email, template: 'purchases.redeem-codes', subject: 'Kode redeem sesi pelatihan / Session redeem codes', text: `Voucher Anda sudah ditukar. Kode redeem untuk setiap sesi:\n${lines}\nSebutkan kode ini ke LP di awal sesi.`, link: '/pelatihan-saya' })
    }
    return { purchaseId: p.id, courseId: p.course_id, participantName: person.display_name, redeemCodes: codes }
  })
}

/**
 * Attendance: the provider commits a session's redeem code (the real programme's
 * `redeem-code/commit`). Valid from an hour before to an hour after the session starts.
 */
export async function commitRedeemCode(deps: PurchasesDeps, providerCode: string, typed: string): Promise<{ purchaseId: string; sessionId: string; participantName: string }> {
  const code = normaliseCode(typed)
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    if (code.startsWith('V')) {
      // A voucher where a session code belongs: self-paced courses have no sessions to attend.
      const p = await trx.selectFrom('purchases').select(['provider_code']).where('voucher_code', '=', code).executeTakeFirst()
      if (p) refuse(p.provider_code === providerCode ? 'REDEEM_WRONG_COURSE_TYPE' : 'REDEEM_OTHER_PROVIDER')
    }
    const r = await trx.selectFrom('redeem_codes').selectAll().where('code', '=', code).forUpdate().executeTakeFirst()
    if (!r) refuse('REDEEM_NOT_FOUND')
    const p = await trx.selectFrom('purchases').select(['id', 'provider_code', 'account_id', 'status']).where('id', '=', r.purchase_id).executeTakeFirstOrThrow()
    if (p.provider_code !== providerCode) refuse('REDEEM_OTHER_PROVIDER')
    if (r.cancelled_at || p.status === 'refunded' || p.status === 'cancelled') refuse('REDEEM_CANCELLED')
    if (r.used_at) refuse('REDEEM_ALREADY_USED')
    if (now < r.valid_from || now > r.valid_until) refuse('REDEEM_OUTSIDE_WINDOW')
    await trx.updateTable('redeem_codes').set({ used_at: now }).where('code', '=', code).execute()
    await event(trx, p.id, p.account_id, 'attended', now, { session: r.session_id })
    const person = await trx.selectFrom('accounts').select('display_name').where('id', '=', p.account_id).executeTakeFirstOrThrow()
    return { purchaseId: p.id, sessionId: r.session_id, participantName: person.display_name }
  })
}

/**
 * A session is cancelled (by its provider, or by the programme): everyone who paid gets
 * the price back through the ledger, held purchases are released, redeem codes die.
 */
export interface StaffActor {
  readonly id: string
  readonly role: string
  readonly requestId?: string | null
  readonly ip?: string | null
}

export async function cancelSession(
  deps: PurchasesDeps,
  by: { providerCode: string } | { programme: true; actor: StaffActor },
  sessionId: string,
  reason: string,
): Promise<{ refunded: number; released: number }> {
  const now = deps.clock.now()
  return transaction(deps.db, async (trx) => {
    const s = await trx
      .selectFrom('course_sessions as s')
      .innerJoin('courses as c', 'c.id', 's.course_id')
      .select(['s.id', 's.status', 'c.provider_code', 'c.title'])
      .where('s.id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst()
    if (!s || ('providerCode' in by && s.provider_code !== by.providerCode)) refuse('NOT_FOUND')
    if (s.status === 'cancelled') return { refunded: 0, released: 0 }
    await trx.updateTable('course_sessions').set({ status: 'cancelled' }).where('id', '=', s.id).execute()
    const ps = await trx.selectFrom('purchases').selectAll().where('session_id', '=', s.id).where('status', 'in', ['otp_sent', 'held', 'paid', 'redeemed']).execute()
    const ledger = ledgerOf(deps)
    let refunded = 0
    let released = 0
    for (const p of ps) {
      if (p.status === 'otp_sent') {
        await end(trx, p, 'cancelled', 'session_cancelled', now)
      } else if (p.status === 'held') {
        await release(deps, trx, { ...p, session_id: null }, 'cancelled', 'session_cancelled', now)
        released++
      } else {
        // The money goes back the way it came: from the payable shard its hold credited.
        const hold = p.hold_id === null ? null : await ledger.findTransfer(trx, p.hold_id)
        if (!hold) throw new Error(`purchase ${p.id}: ledger hold missing`)
        await ledger.transfer(trx, { debitAccountId: hold.creditAccountId, creditAccountId: hold.debitAccountId, amount: Number(p.price), code: 'refund', reference: { type: 'purchase', id: p.id }, idempotencyKey: `purchase:${p.id}:refund` })
        await trx.updateTable('redeem_codes').set({ cancelled_at: now }).where('purchase_id', '=', p.id).where('used_at', 'is', null).execute()
        await end(trx, p, 'refunded', 'session_cancelled', now)
        const person = await trx.selectFrom('accounts').select('email').where('id', '=', p.account_id).executeTakeFirstOrThrow()
        if (person.email) {
          await deps.mail.send(trx, {
            accountId: p.account_id,
            to: person.email,
            template: 'purchases.refunded',
            subject: 'Sesi dibatalkan, saldo dikembalikan / Session cancelled, balance returned',
            text: `Sesi "${s.title}" dibatalkan${reason ? ` (${reason})` : ''}. ${formatRupiah('id', Number(p.price))} sudah kembali ke saldo pelatihan Anda; Anda bisa membeli pelatihan lain.`,
            link: '/saldo',
          })
        }
        refunded++
      }
    }
    if ('programme' in by) {
      await record(
        trx,
        { actorId: by.actor.id, actorRole: by.actor.role, action: 'course_session.cancelled', subjectType: 'course_session', subjectId: s.id, details: { reason, refunded, released, course: s.title }, requestId: by.actor.requestId ?? null, ip: by.actor.ip ?? null },
        deps.clock,
      )
    }
    return { refunded, released }
  })
}
