/**
 * PMO's decisions on integrity signals, and what they do. "Freeze" acts on the signal's
 * subject through the owning module: an account is frozen (log-in, every signed-in page,
 * purchases and payouts refuse it; its sessions end), a partner is suspended (its signed
 * API calls are refused with PARTNER_SUSPENDED), a payout account is frozen (its payouts
 * stay scheduled, not sent). "Clear" lifts the freezes this signal made, giving back the
 * status each had, unless another signal still holds the same thing frozen. "Refer"
 * records the referral. Each decision, its effects and its audit row are one transaction.
 */
import type { Clock } from '../../platform/clock.ts'
import { record } from '../../platform/audit/index.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import { freezeAccount, unfreezeAccount } from '../accounts/index.ts'
import { setPayoutAccountFrozen } from '../incentives/linking.service.ts'
import { forgetCredentials, updatePartnerStatus } from '../partners/partners.service.ts'
import * as repo from './integrity.repository.ts'
import type { IntegrityAction } from './reports.tables.ts'

export interface DecisionActor {
  readonly id: string
  readonly role: string
  readonly requestId: string | null
  readonly ip: string | null
}

export interface Decision {
  readonly kind: string
  readonly subject: string
  readonly action: IntegrityAction
  readonly note: string
}

export const NOTHING_TO_FREEZE = {
  id: 'Sinyal ini tidak menunjuk akun, mitra atau rekening yang bisa dibekukan. Pilih "rujuk" atau "aman", atau bekukan akun tertentu dari sinyal lain.',
  en: 'This signal names no account, partner or payout account that can be frozen. Choose "refer" or "clear", or freeze a particular account from another signal.',
}

const targetKey = (t: repo.FreezeTarget) => `${t.type}:${t.id}`

/** Freezes one target; returns its status before, or null when there is nothing left to freeze (an account closed meanwhile). */
async function freezeOne(trx: Executor, t: repo.FreezeTarget, at: Date): Promise<string | null> {
  switch (t.type) {
    case 'account': {
      const before = await freezeAccount(trx, t.id)
      if (before !== null) await deleteSessionsOfAccount(trx, t.id)
      return before
    }
    case 'partner':
      return updatePartnerStatus(trx, t.id, 'suspended')
    case 'payout_account': {
      const wasFrozen = await setPayoutAccountFrozen(trx, t.id, at)
      return wasFrozen === null ? null : wasFrozen ? 'frozen' : 'active'
    }
  }
}

async function restoreOne(trx: Executor, t: repo.FreezeTarget, previous: string): Promise<void> {
  switch (t.type) {
    case 'account':
      if (previous === 'active' || previous === 'pending') await unfreezeAccount(trx, t.id, previous)
      return
    case 'partner':
      await updatePartnerStatus(trx, t.id, previous === 'suspended' ? 'suspended' : 'active')
      return
    case 'payout_account':
      if (previous !== 'frozen') await setPayoutAccountFrozen(trx, t.id, null)
      return
  }
}

export async function decide(deps: { db: Db; clock: Clock }, actor: DecisionActor, d: Decision): Promise<{ frozen: string[]; cleared: string[] }> {
  const signal = repo.SIGNALS.find((s) => s.kind === d.kind)
  if (!signal) throw new AppError('NOT_FOUND')
  const at = deps.clock.now()
  let touchedPartner = false
  const result = await transaction(deps.db, async (trx) => {
    const frozen: string[] = []
    const cleared: string[] = []
    const held = await repo.activeFreezes(trx, d.kind, d.subject)
    if (d.action === 'freeze') {
      const targets = await signal.targets(trx, d.subject)
      if (targets.length === 0) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'action', ...NOTHING_TO_FREEZE }] })
      for (const t of targets) {
        if (held.some((h) => h.target_type === t.type && h.target_id === t.id)) continue
        // Already frozen by another signal: keep the status from before the first freeze.
        const first = await repo.firstFreezeOn(trx, t)
        const before = await freezeOne(trx, t, at)
        if (before === null) continue
        await repo.insertFreeze(trx, { target: t, kind: d.kind, subject: d.subject, previousStatus: first?.previous_status ?? before, actorId: actor.id, at })
        frozen.push(targetKey(t))
        touchedPartner ||= t.type === 'partner'
      }
    } else if (d.action === 'clear') {
      for (const h of held) {
        await repo.clearFreeze(trx, h.id, actor.id, at)
        const t = { type: h.target_type, id: h.target_id }
        if (await repo.firstFreezeOn(trx, t)) continue // another signal still holds it
        await restoreOne(trx, t, h.previous_status)
        cleared.push(targetKey(t))
        touchedPartner ||= t.type === 'partner'
      }
    }
    await repo.insertAction(trx, { kind: d.kind, subject: d.subject, action: d.action, note: d.note, actorId: actor.id, at })
    await record(
      trx,
      { actorId: actor.id, actorRole: actor.role, action: `integrity.${d.action}`, subjectType: 'integrity_signal', subjectId: `${d.kind}:${d.subject}`, details: { note: d.note, frozen, cleared }, requestId: actor.requestId, ip: actor.ip },
      deps.clock,
    )
    return { frozen, cleared }
  })
  // After the commit, so no partner call re-caches the old status.
  if (touchedPartner) forgetCredentials(deps.db)
  return result
}
