/**
 * Cards: issued after the draw to each selected person, with the training balance credited
 * through the ledger in the same transaction (an idempotency key per card, so no re-run
 * credits twice); reminders before the first-purchase deadline; and revocation of a card
 * whose holder bought nothing by then — balance back to the programme fund, NIK blacklisted.
 */
import { transaction, type Executor } from '../../platform/db/database.ts'
import { record } from '../../platform/audit/index.ts'
import { AppError } from '../../platform/errors.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { findAccountById } from '../accounts/index.ts'
import { createLedger, formatRupiah } from '../ledger/index.ts'
import { formatCardNumber, newCardNumber } from './card-number.ts'
import { asScheme } from './scheme.ts'
import * as repo from './waves.repository.ts'
import type { WavesDeps } from './waves.service.ts'

export const CARD_REMINDER_JOB = 'waves.card-reminder'
export const CARD_DEADLINE_JOB = 'waves.card-deadline'
export const REMINDER_DAYS = [7, 3, 1] as const
export const REVOKE_REASON = 'no_first_purchase'

const DAY = 86_400_000
const BATCH = 200

export interface CardReminderJob {
  cardId: string
  daysBefore: number
}
export interface CardDeadlineJob {
  cardId: string
}

/** Messages go by e-mail (kept in the inbox too) and by SMS when the phone is known. */
async function notify(deps: WavesDeps, ex: Executor, accountId: string, m: { template: string; subject: string; text: string; sms: string; link: string }): Promise<void> {
  const a = await findAccountById(ex, accountId)
  if (!a) return
  if (a.email) await deps.mail.send(ex, { accountId, to: a.email, template: m.template, subject: m.subject, text: m.text, link: m.link })
  else await deps.mail.send(ex, { accountId, to: a.phone ?? '', channel: 'sms', template: m.template, subject: m.subject, text: m.text, link: m.link })
  if (a.phone && a.email) await deps.mail.send(ex, { accountId: null, to: a.phone, channel: 'sms', template: m.template, subject: m.subject, text: m.sms })
}

async function freshCardNumber(ex: Executor): Promise<string> {
  for (;;) {
    const n = newCardNumber()
    if (!(await repo.cardNumberTaken(ex, n))) return n
  }
}

export interface IssueSummary {
  issued: number
}

/** Issues the cards of a drawn wave that are still missing; safe to run again at any time. */
export async function issueCards(deps: WavesDeps, waveId: string): Promise<IssueSummary> {
  const wave = await repo.findWave(deps.db, waveId)
  if (!wave) throw new AppError('NOT_FOUND')
  if (wave.status !== 'drawn') throw new AppError('WAVE_WRONG_STATE')
  const scheme = asScheme(wave.scheme)
  const ledger = createLedger(deps)
  const fund = await ledger.openAccount(deps.db, 'programme_fund')
  let issued = 0
  let after = 0
  for (;;) {
    const batch = await repo.selectedWithoutCard(deps.db, waveId, after, BATCH)
    if (batch.length === 0) break
    for (const app of batch) {
      after = app.id
      const ok = await transaction(deps.db, async (trx) => {
        const now = deps.clock.now()
        const deadline = new Date(now.getTime() + scheme.firstPurchaseDays * DAY)
        const card = await repo.insertCard(trx, {
          cardNumber: await freshCardNumber(trx),
          accountId: app.account_id,
          nikHash: app.nik_hash,
          kkHash: app.kk_hash,
          waveId,
          issuedAt: now,
          firstPurchaseDeadline: deadline,
          balanceExpiresOn: scheme.balanceExpiresOn,
        })
        if (!card) return false
        if (scheme.trainingBalance > 0) {
          const training = await ledger.openAccount(trx, 'participant_training', app.account_id)
          await ledger.transfer(trx, {
            debitAccountId: fund.id,
            creditAccountId: training.id,
            amount: scheme.trainingBalance,
            code: 'credit_balance',
            reference: { type: 'wave_card', id: card.id },
            idempotencyKey: `wave-card-credit:${card.id}`,
            memo: `${wave.code} ${card.card_number}`,
          })
        }
        const number = formatCardNumber(card.card_number)
        const amount = formatRupiah('id', scheme.trainingBalance)
        const until = formatDateTime('id', deadline)
        const untilEn = formatDateTime('en', deadline)
        await notify(deps, trx, app.account_id, {
          template: 'waves.card-issued',
          subject: 'Selamat, Anda terpilih: Kartu Prakerja terbit / Congratulations, you were selected: your card is issued',
          text:
            `Selamat! Anda terpilih di ${wave.name}. Nomor kartu Anda ${number}, saldo pelatihan ${amount}. ` +
            `Beli pelatihan pertama paling lambat ${until}; bila tidak, kartu dicabut dan saldo kembali ke negara.\n\n` +
            `Congratulations! You were selected in ${wave.name}. Your card number is ${number}, training balance ${formatRupiah('en', scheme.trainingBalance)}. ` +
            `Buy your first course by ${untilEn}; otherwise the card is revoked and the balance returns to the state.`,
          sms: `Selamat, Anda terpilih Kartu Prakerja ${wave.code}. No. kartu ${number}, saldo ${amount}. Beli pelatihan pertama sebelum ${until}.`,
          link: '/kartu',
        })
        for (const days of REMINDER_DAYS) {
          const at = new Date(deadline.getTime() - days * DAY)
          if (at > now) await deps.jobs.enqueue<CardReminderJob>(trx, CARD_REMINDER_JOB, { cardId: card.id, daysBefore: days }, { startAfter: at })
        }
        await deps.jobs.enqueue<CardDeadlineJob>(trx, CARD_DEADLINE_JOB, { cardId: card.id }, { startAfter: deadline })
        return true
      })
      if (ok) issued++
    }
  }
  return { issued }
}

/** Sends the reminder when the card still waits for its first purchase; false otherwise. */
export async function sendCardReminder(deps: WavesDeps, cardId: string, daysBefore: number): Promise<boolean> {
  const card = await repo.findCard(deps.db, cardId)
  const now = deps.clock.now()
  if (!card || card.status !== 'active' || card.first_purchase_at || card.first_purchase_deadline <= now) return false
  await transaction(deps.db, async (trx) => {
    const until = formatDateTime('id', card.first_purchase_deadline)
    await notify(deps, trx, card.account_id, {
      template: 'waves.card-reminder',
      subject: `Pengingat: ${daysBefore} hari lagi untuk membeli pelatihan pertama / Reminder: ${daysBefore} days left to buy your first course`,
      text:
        `Kartu Prakerja Anda belum dipakai. Beli pelatihan pertama paling lambat ${until}, atau kartu dicabut dan saldo kembali ke negara.\n\n` +
        `Your card has not been used yet. Buy your first course by ${formatDateTime('en', card.first_purchase_deadline)}, or the card is revoked and the balance returns to the state.`,
      sms: `Pengingat Kartu Prakerja: beli pelatihan pertama sebelum ${until} atau kartu dicabut.`,
      link: '/kartu',
    })
  })
  return true
}

/**
 * Revokes a card whose holder bought nothing by the deadline: the card is deactivated, the
 * available training balance forfeited and returned to the programme fund, the NIK
 * blacklisted for life and the person told why. false: not due, already done, or bought.
 */
export async function revokeCard(deps: WavesDeps, cardId: string): Promise<boolean> {
  const ledger = createLedger(deps)
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const card = await repo.revokeIfOverdue(trx, cardId, now, REVOKE_REASON)
    if (!card) return false
    const training = await ledger.findAccount(trx, 'participant_training', card.account_id)
    const amount = training ? (await ledger.balance(trx, training.id)).available : 0
    if (training && amount > 0) {
      const forfeited = await ledger.openAccount(trx, 'forfeited')
      const fund = await ledger.openAccount(trx, 'programme_fund')
      const reference = { type: 'wave_card', id: card.id }
      await ledger.transfer(trx, { debitAccountId: training.id, creditAccountId: forfeited.id, amount, code: 'forfeit', reference, idempotencyKey: `wave-card-forfeit:${card.id}` })
      await ledger.transfer(trx, { debitAccountId: forfeited.id, creditAccountId: fund.id, amount, code: 'recover', reference, idempotencyKey: `wave-card-recover:${card.id}` })
    }
    await repo.setRecovered(trx, card.id, amount)
    await repo.blacklist(trx, card.nik_hash, REVOKE_REASON, card.id, now)
    const deadline = formatDateTime('id', card.first_purchase_deadline)
    await notify(deps, trx, card.account_id, {
      template: 'waves.card-revoked',
      subject: 'Kartu Prakerja Anda dicabut / Your card has been revoked',
      text:
        `Kartu Prakerja ${formatCardNumber(card.card_number)} dicabut karena sampai batas waktu ${deadline} belum ada pembelian pelatihan pertama. ` +
        `Saldo ${formatRupiah('id', amount)} dikembalikan ke dana program, dan sesuai aturan program Anda tidak dapat mengikuti gelombang berikutnya. ` +
        `Bila menurut Anda ini keliru (misalnya pembelian sudah dilakukan), hubungi layanan pengaduan.\n\n` +
        `Card ${formatCardNumber(card.card_number)} has been revoked because no first course was bought by the deadline, ${formatDateTime('en', card.first_purchase_deadline)}. ` +
        `The balance of ${formatRupiah('en', amount)} went back to the programme fund and, under the programme's rules, you cannot join later waves. ` +
        `If you think this is wrong (for example you did buy a course), contact the helpdesk.`,
      sms: `Kartu Prakerja Anda dicabut: tidak ada pembelian pelatihan sampai ${deadline}. Info: kotak masuk akun Karya Anda.`,
      link: '/kartu',
    })
    await record(trx, { actorId: null, actorRole: 'system', action: 'card.revoke', subjectType: 'card', subjectId: card.id, details: { waveId: card.wave_id, reason: REVOKE_REASON, recovered: amount } }, deps.clock)
    return true
  })
}

/** Revokes every overdue card (a sweep behind the per-card jobs); returns how many. */
export async function revokeOverdueCards(deps: WavesDeps, limit = 500): Promise<number> {
  let n = 0
  for (const id of await repo.overdueCardIds(deps.db, deps.clock.now(), limit)) if (await revokeCard(deps, id)) n++
  return n
}

/** Called by purchases (#6) when the holder's first purchase is confirmed; true when this was it. */
export function markFirstPurchase(executor: Executor, accountId: string, at: Date): Promise<boolean> {
  return repo.setFirstPurchase(executor, accountId, at)
}

export async function cardOf(deps: Pick<WavesDeps, 'db'>, accountId: string) {
  return repo.cardOfAccount(deps.db, accountId)
}
