/**
 * Repayment claims: a recipient PMO finds ineligible after being paid is asked to return
 * what was paid within 60 days. Payouts not yet sent are cancelled; the claim is tracked
 * (open → repaid, or overdue after its due date) and shown to the participant.
 */
import { sql } from 'kysely'
import { transaction, type Executor } from '../../platform/db/database.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { AppError, isUniqueViolation } from '../../platform/errors.ts'
import { formatRupiah } from '../ledger/index.ts'
import { ledgerOf, type IncentivesDeps } from './deps.ts'
import { payoutEvent } from './settle.service.ts'

export const REPAY_DAYS = 60

export interface Actor {
  readonly id: string
  readonly role: string
  readonly requestId?: string
  readonly ip?: string
}

export async function openClaim(deps: IncentivesDeps, actor: Actor, accountId: string, reason: string): Promise<{ claimId: string; amount: number; cancelled: number }> {
  const why = reason.trim()
  if (why.length < 5 || why.length > 1000) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reason', id: 'Tulis alasannya (5–1000 karakter).', en: 'Write the reason (5–1000 characters).' }] })
  const now = deps.clock.now()
  try {
    return await transaction(deps.db, async (trx) => {
      const paid = await trx.selectFrom('incentive_payouts').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('total')).where('account_id', '=', accountId).where('status', '=', 'paid').executeTakeFirstOrThrow()
      const cancelled = await trx.updateTable('incentive_payouts').set({ status: 'cancelled' }).where('account_id', '=', accountId).where('status', 'in', ['scheduled', 'failed']).returning('id').execute()
      for (const c of cancelled) await payoutEvent(trx, c.id, 'cancelled', now, { reason: why })
      const amount = Number(paid.total)
      if (amount <= 0) {
        await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'incentives.ineligible', subjectType: 'account', subjectId: accountId, details: { reason: why, cancelled: cancelled.length }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
        return { claimId: '', amount: 0, cancelled: cancelled.length }
      }
      const due = new Date(now.getTime() + REPAY_DAYS * 86_400_000)
      const c = await trx.insertInto('repayment_claims').values({ account_id: accountId, amount, reason: why, status: 'open', due_at: due, created_by: actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow()
      await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'incentives.repayment-claim', subjectType: 'account', subjectId: accountId, details: { claimId: c.id, amount, reason: why, cancelled: cancelled.length }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
      await tellClaim(deps, trx, accountId, amount, due, why)
      return { claimId: c.id, amount, cancelled: cancelled.length }
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('REPAYMENT_CLAIM_OPEN', { cause: err })
    throw err
  }
}

async function tellClaim(deps: IncentivesDeps, trx: Executor, accountId: string, amount: number, due: Date, why: string) {
  const a = await trx.selectFrom('accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()
  if (!a.email) return
  const text = `Anda dinyatakan tidak berhak atas insentif Kartu Prakerja (${why}). Kembalikan ${formatRupiah('id', amount)} paling lambat ${due.toISOString().slice(0, 10)}; caranya ada di halaman Insentif. / You were found not eligible for the incentive (${why}). Repay ${formatRupiah('en', amount)} by ${due.toISOString().slice(0, 10)}; see the Incentive page.`
  await deps.mail.send(trx, { accountId, to: a.email, template: 'incentives.repayment-claim', subject: 'Tagihan pengembalian insentif / Incentive repayment', text, link: '/insentif' })
}

/** PMO records the money as returned: it goes back to the programme fund through the ledger. */
export async function markRepaid(deps: IncentivesDeps, actor: Actor, claimId: string): Promise<void> {
  const now = deps.clock.now()
  await transaction(deps.db, async (trx) => {
    const c = await trx.selectFrom('repayment_claims').selectAll().where('id', '=', claimId).forUpdate().executeTakeFirst()
    if (!c) throw new AppError('NOT_FOUND')
    if (c.status === 'repaid') return
    const ledger = ledgerOf(deps)
    const settlement = await ledger.openAccount(trx, 'settlement')
    const fund = await ledger.openAccount(trx, 'programme_fund')
    await ledger.transfer(trx, { debitAccountId: settlement.id, creditAccountId: fund.id, amount: Number(c.amount), code: 'repayment', reference: { type: 'repayment_claim', id: c.id }, idempotencyKey: `claim:${c.id}:repaid` })
    await trx.updateTable('repayment_claims').set({ status: 'repaid', settled_at: now }).where('id', '=', c.id).execute()
    await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'incentives.repaid', subjectType: 'repayment_claim', subjectId: c.id, details: { amount: Number(c.amount) }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
  })
}

export async function markOverdueClaims(deps: IncentivesDeps): Promise<number> {
  const r = await deps.db.updateTable('repayment_claims').set({ status: 'overdue' }).where('status', '=', 'open').where('due_at', '<', deps.clock.now()).executeTakeFirst()
  return Number(r.numUpdatedRows)
}
