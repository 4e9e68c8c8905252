/**
 * Actions on the person behind a ticket, taken from the 360° view, each through the owning
 * module's own service: resend a purchase's existing voucher (purchases), approve an
 * identity-verified e-mail/phone change (the re-verification queue's own decision), reopen a
 * stuck registration step or re-run stuck identity checks (registration). Each is allowed to
 * the roles in ACTION_ROLES, leaves an internal note on the ticket, and is audited with the
 * ticket's tracking number in the same transaction as the change.
 */
import type { AppDeps } from '../../app-deps.ts'
import { transaction, type Executor } from '../../platform/db/database.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { AppError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { findAccountById } from '../accounts/index.ts'
import { resendVoucher } from '../purchases/index.ts'
import { reopenRegistrationStep, REOPENABLE, type Reopenable } from '../registration/index.ts'
import { approveReverification, rdepsOf, reverificationRequestsOf, type ReverificationDeps } from '../reverification/index.ts'
import { myIncentives } from '../incentives/index.ts'
import type { ConsoleDeps, Staff } from './console.service.ts'
import { helpdeskDeps } from './deps.ts'
import * as repo from './helpdesk.repository.ts'

export interface AgentActionDeps extends ConsoleDeps {
  readonly jobs: Jobs
  readonly reverification: ReverificationDeps
}

export function agentActionDeps(deps: AppDeps): AgentActionDeps {
  return { ...helpdeskDeps(deps), jobs: deps.jobs, reverification: rdepsOf(deps) }
}

export type PersonAction =
  | { kind: 'resend_voucher'; purchaseId: string }
  | { kind: 'approve_contact_change'; requestId: string; reason: string }
  | { kind: 'reopen_step'; step: Reopenable }

/**
 * Who may do what. Resending a voucher and reopening a profile step change nothing of value;
 * approving a contact change is the re-verification queue's decision, open to the same roles
 * as that queue; running the identity checks again asks the registries, which PMO's
 * "checks waiting" list leaves to supervisors.
 */
export const ACTION_ROLES: Record<PersonAction['kind'] | 'rerun_checks', readonly string[]> = {
  resend_voucher: ['agent', 'supervisor'],
  approve_contact_change: ['agent', 'supervisor'],
  reopen_step: ['agent', 'supervisor'],
  rerun_checks: ['supervisor'],
}

export function mayAct(role: string, action: PersonAction['kind'] | 'rerun_checks'): boolean {
  return ACTION_ROLES[action].includes(role)
}

function fieldError(field: string, id: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { fields: [{ field, id, en }] })
}

const STEP_WORDS: Record<Reopenable, { id: string; en: string }> = {
  identitas: { id: 'Identitas (NIK, tanggal lahir)', en: 'Identity (NIK, date of birth)' },
  keluarga: { id: 'Kartu Keluarga', en: 'Family card' },
  alamat: { id: 'Alamat', en: 'Address' },
  pendidikan: { id: 'Pendidikan dan pekerjaan', en: 'Education and work' },
  checks: { id: 'Pemeriksaan data diri', en: 'Identity checks' },
}
export { STEP_WORDS }

/** What the 360° view adds for these actions: open contact-change requests and payouts. */
export async function personExtras(deps: AgentActionDeps, accountId: string) {
  const [reverifications, incentives] = await Promise.all([reverificationRequestsOf(deps.reverification, accountId), myIncentives(deps.db, accountId)])
  return { reverifications, incentives }
}

async function tellInbox(deps: AgentActionDeps, ex: Executor, accountId: string, tracking: string, subject: string, text: string, link: string): Promise<void> {
  const a = await findAccountById(ex, accountId)
  const to = a?.email ?? a?.phone
  if (!a || !to) return
  await deps.mail.send(ex, { accountId, to, channel: a.email ? 'email' : 'sms', template: 'helpdesk.person-action', subject: `[${tracking}] ${subject}`, text: `${text}\n\nNomor pengaduan / Tracking number: ${tracking}`, link })
}

/** One action on the ticket's person; the ticket must belong to an account and still be live. */
export async function personAct(deps: AgentActionDeps, staff: Staff, ticketId: string, action: PersonAction): Promise<{ note: string }> {
  const kind = action.kind === 'reopen_step' && action.step === 'checks' ? 'rerun_checks' : action.kind
  if (!mayAct(staff.role, kind)) throw new AppError('FORBIDDEN')
  if (action.kind === 'reopen_step' && !REOPENABLE.includes(action.step)) throw fieldError('step', 'Pilih langkah pendaftaran yang ada.', 'Choose an existing registration step.')
  const t = await repo.findTicket(deps.db, ticketId)
  if (!t) throw new AppError('TICKET_NOT_FOUND')
  if (!t.account_id) throw fieldError('account', 'Tiket ini tidak terhubung ke akun, jadi tidak ada data akun yang bisa diubah.', 'This ticket is not linked to an account, so there is no account data to change.')
  if (t.state === 'merged' || t.state === 'closed') throw new AppError('TICKET_STATE', { detail: `person action on a ${t.state} ticket` })
  const accountId = t.account_id
  const now = deps.clock.now()
  const audit = (trx: Executor, name: string, details: Record<string, unknown>) =>
    record(trx, { actorId: staff.id, actorRole: staff.role, action: name, subjectType: 'helpdesk_ticket', subjectId: t.id, details: { tracking: t.tracking, accountId, ...details }, requestId: staff.requestId, ip: staff.ip }, deps.clock)
  const note = (trx: Executor, body: string) =>
    repo.insertMessage(trx, { ticket_id: t.id, author_kind: 'agent', author_id: staff.id, partner_code: null, internal: true, via: 'console', body, email_message_id: null, created_at: now })

  switch (action.kind) {
    case 'resend_voucher':
      return transaction(deps.db, async (trx) => {
        const sent = await resendVoucher(deps, trx, accountId, action.purchaseId).catch((err: unknown) => {
          if (err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'PURCHASE_STATE'))
            throw fieldError('purchase', 'Voucher hanya bisa dikirim ulang untuk pembelian orang ini yang sudah dibayar dan belum ditukar.', 'A voucher can be sent again only for a purchase of this person that is paid and not yet redeemed.')
          throw err
        })
        const body = `Voucher dikirim ulang (kode yang sama, lewat ${sent.sentTo.join(' + ') || 'kotak masuk'}). / Voucher sent again (the same code, by ${sent.sentTo.join(' + ') || 'inbox'}).`
        await note(trx, body)
        await audit(trx, 'helpdesk.voucher.resend', { purchaseId: action.purchaseId, sentTo: sent.sentTo })
        return { note: body }
      })
    case 'approve_contact_change': {
      const mine = await reverificationRequestsOf(deps.reverification, accountId)
      const r = mine.find((x) => x.id === action.requestId)
      if (!r) throw fieldError('request', 'Permintaan verifikasi ulang ini bukan milik orang di tiket ini.', 'This re-verification request does not belong to the person on this ticket.')
      // The queue's own decision (its checks, its cooling-off, its messages and audit record).
      const done = await approveReverification(deps.reverification, staff, r.id, action.reason, { ticket: t.tracking })
      const body = `Perubahan kontak disetujui (permintaan verifikasi ulang ${r.id.slice(0, 8)}), berlaku ${formatDateTime('id', done.effectiveAt)}. Alasan: ${action.reason.trim()}`
      await transaction(deps.db, async (trx) => {
        await note(trx, body)
        await audit(trx, 'helpdesk.contact_change.approve', { requestId: r.id, effectiveAt: done.effectiveAt.toISOString() })
      })
      return { note: body }
    }
    case 'reopen_step':
      return transaction(deps.db, async (trx) => {
        const res = await reopenRegistrationStep(deps, trx, accountId, action.step, now, { ticket: t.tracking, staffId: staff.id })
        const w = STEP_WORDS[action.step]
        const body = action.step === 'checks' ? `Pemeriksaan data diri dijalankan ulang. / Identity checks run again.` : `Langkah pendaftaran "${w.id}" dibuka lagi untuk diisi ulang. / Registration step "${w.en}" reopened to be filled in again.`
        const text =
          action.step === 'checks'
            ? 'Petugas bantuan Karya menjalankan ulang pemeriksaan data diri Anda. Anda tidak perlu melakukan apa pun; hasilnya tampil di halaman Profil.\n\nA Karya helpdesk agent ran your identity checks again. You need not do anything; the result appears on your Profile page.'
            : `Petugas bantuan Karya membuka lagi langkah "${w.id}" di profil Anda agar bisa diisi ulang dari awal. Buka Profil, isi langkah itu lagi dengan data sesuai KTP/KK, lalu simpan.\n\nA Karya helpdesk agent reopened the step "${w.en}" of your profile so you can fill it in again from the start. Open your Profile, fill in that step again as on your KTP/family card, and save.`
        await tellInbox(deps, trx, accountId, t.tracking, action.step === 'checks' ? 'Pemeriksaan data dijalankan ulang / Identity checks run again' : 'Langkah pendaftaran dibuka lagi / Registration step reopened', text, action.step === 'checks' ? '/profil' : `/profil/${action.step}`)
        await note(trx, body)
        await audit(trx, action.step === 'checks' ? 'helpdesk.registration.rerun_checks' : 'helpdesk.registration.reopen_step', { step: action.step, wasDone: res.wasDone })
        return { note: body }
      })
  }
}
