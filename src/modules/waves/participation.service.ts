/**
 * A participant and the waves: joining an open wave (once the profile is complete and the
 * checks passed; domicile decides the area), "tell me when a wave opens", the carry-over of
 * people not selected into the next wave, and the state the dashboard shows.
 */
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { findAccountById } from '../accounts/index.ts'
import { checkStatus, otherProgrammeMembership, profileView, type CheckStatus } from '../registration/index.ts'
import { newPseudonym } from './card-number.ts'
import * as repo from './waves.repository.ts'
import type { WavesDeps } from './waves.service.ts'

const BATCH = 500

export interface Readiness {
  ready: boolean
  /** What is missing: the profile, or the checks (still running or not passed). */
  missing: 'profile' | 'checks' | null
}

export async function readiness(deps: Pick<WavesDeps, 'db' | 'clock' | 'identity'>, accountId: string): Promise<Readiness & { profile: Awaited<ReturnType<typeof profileView>>; checks: CheckStatus }> {
  const [profile, checks] = await Promise.all([profileView(deps, accountId), checkStatus(deps.db, accountId)])
  const missing = !profile.completedAt ? 'profile' : checks.state !== 'passed' ? 'checks' : null
  return { ready: missing === null, missing, profile, checks }
}

/** Joins the open wave; refused when it is not open, the person is not ready, or already in. */
export async function joinWave(deps: WavesDeps, accountId: string, waveCode: string): Promise<{ pseudonym: string }> {
  const wave = await repo.findWaveByCode(deps.db, waveCode)
  if (!wave) throw new AppError('NOT_FOUND')
  const now = deps.clock.now()
  // Open is PMO's word (it may open early); the closing time holds even before the close job runs.
  if (wave.status !== 'open' || now >= wave.closes_at) throw new AppError('WAVE_NOT_OPEN')
  if (await repo.findApplication(deps.db, wave.id, accountId)) throw new AppError('WAVE_ALREADY_JOINED')
  const r = await readiness(deps, accountId)
  if (!r.ready) throw new AppError('WAVE_NOT_READY')
  const v = r.profile.values
  const pseudonym = newPseudonym()
  const inserted = await repo.insertApplication(deps.db, {
    waveId: wave.id,
    accountId,
    pseudonym,
    nikHash: deps.identity.lookupHash(v.nik!),
    kkHash: deps.identity.lookupHash(v.kk!),
    provinceCode: v.provinceCode!,
    regencyCode: v.regencyCode!,
    otherProgramme: (await otherProgrammeMembership(deps.db, accountId)).member,
    carriedFrom: null,
    joinedAt: now,
  })
  if (!inserted) throw new AppError('WAVE_ALREADY_JOINED')
  return { pseudonym }
}

export async function requestNotify(deps: Pick<WavesDeps, 'db' | 'clock'>, accountId: string): Promise<void> {
  await repo.insertNotifyRequest(deps.db, accountId, deps.clock.now())
}

async function tell(deps: WavesDeps, ex: Executor, accountId: string, subject: string, text: string, sms: string, template = 'waves.opened'): Promise<void> {
  const a = await findAccountById(ex, accountId)
  if (!a) return
  if (a.email) await deps.mail.send(ex, { accountId, to: a.email, template, subject, text, link: '/gelombang' })
  if (a.phone) await deps.mail.send(ex, { accountId: a.email ? null : accountId, to: a.phone, channel: 'sms', template, subject, text: sms })
}

/**
 * After the draw: everyone not selected is told so, with what happens next (entered in the
 * next wave automatically, nothing to fill in again) — by e-mail and inbox, and by SMS, in
 * batches, each person once however often it runs (wave_outcome_notices).
 */
export async function notifyNotSelected(deps: WavesDeps, waveId: string): Promise<{ notified: number }> {
  const wave = await repo.findWave(deps.db, waveId)
  if (!wave || wave.status !== 'drawn') return { notified: 0 }
  let notified = 0
  let after = 0
  for (;;) {
    const { told, lastId } = await transaction(deps.db, async (trx) => {
      const { accountIds, lastId } = await repo.claimNotSelectedNotices(trx, waveId, after, deps.clock.now(), BATCH)
      for (const accountId of accountIds) {
        await tell(
          deps,
          trx,
          accountId,
          `Hasil ${wave.name}: Anda belum terpilih / ${wave.name} result: not selected this time`,
          `Terima kasih sudah ikut ${wave.name}. Kali ini Anda belum terpilih dalam undian. Anda tidak perlu mendaftar ulang: saat gelombang berikutnya dibuka, Anda otomatis diikutkan dengan data yang sama dan kami kabari. ` +
            `Undiannya bisa diperiksa siapa saja di halaman gelombang.\n\n` +
            `Thank you for taking part in ${wave.name}. You were not selected in the draw this time. There is nothing to fill in again: when the next wave opens you are entered automatically with the same details, and we will tell you. ` +
            `Anyone can check the draw on the wave's public page.`,
          `Kartu Prakerja ${wave.code}: Anda belum terpilih. Anda otomatis ikut gelombang berikutnya, tanpa daftar ulang.`,
          'waves.not-selected',
        )
      }
      return { told: accountIds.length, lastId }
    })
    notified += told
    if (lastId === null) break
    after = lastId
  }
  return { notified }
}

/**
 * When a wave opens: everyone whose newest application was not selected and who holds no
 * card is entered into it with what they gave before (nothing to fill in again) and told;
 * then everyone who asked to be told when a wave opens. Safe to run again.
 */
export async function carryOver(deps: WavesDeps, waveId: string): Promise<{ carried: number; notified: number }> {
  const wave = await repo.findWave(deps.db, waveId)
  if (!wave || wave.status !== 'open') return { carried: 0, notified: 0 }
  const closes = formatDateTime('id', wave.closes_at)
  let carried = 0
  for (;;) {
    const n = await transaction(deps.db, async (trx) => {
      const now = deps.clock.now()
      const candidates = await repo.carryOverCandidates(trx, waveId, BATCH)
      const entered = await repo.insertApplications(
        trx,
        candidates.map((c) => ({
          waveId,
          accountId: c.account_id,
          pseudonym: newPseudonym(),
          nikHash: c.nik_hash,
          kkHash: c.kk_hash,
          provinceCode: c.province_code,
          regencyCode: c.regency_code,
          otherProgramme: c.other_programme,
          carriedFrom: c.wave_id,
          joinedAt: now,
        })),
      )
      for (const accountId of entered) {
        await tell(
          deps,
          trx,
          accountId,
          `Anda otomatis diikutkan di ${wave.name} / You have been entered in ${wave.name}`,
          `${wave.name} sudah dibuka. Karena belum terpilih di gelombang sebelumnya, Anda otomatis diikutkan tanpa perlu mendaftar ulang. Pendaftaran ditutup ${closes}.\n\n` +
            `${wave.name} is open. As you were not selected in the previous wave, you have been entered automatically; nothing to fill in again. Registration closes ${formatDateTime('en', wave.closes_at)}.`,
          `Kartu Prakerja: Anda otomatis diikutkan di ${wave.code}. Tidak perlu daftar ulang.`,
        )
      }
      return candidates.length
    })
    carried += n
    if (n < BATCH) break
  }
  let notified = 0
  for (;;) {
    const n = await transaction(deps.db, async (trx) => {
      const accounts = await repo.claimNotifyRequests(trx, deps.clock.now(), BATCH)
      for (const accountId of accounts) {
        await tell(
          deps,
          trx,
          accountId,
          `${wave.name} sudah dibuka / ${wave.name} is open`,
          `${wave.name} sudah dibuka sampai ${closes}. Masuk ke Karya lalu pilih "Ikut gelombang ini".\n\n` +
            `${wave.name} is open until ${formatDateTime('en', wave.closes_at)}. Log in to Karya and choose "Join this wave".`,
          `Kartu Prakerja ${wave.code} dibuka sampai ${closes}. Daftar di Karya.`,
        )
      }
      return accounts.length
    })
    notified += n
    if (n < BATCH) break
  }
  return { carried, notified }
}

type WaveRow = NonNullable<Awaited<ReturnType<typeof repo.findWave>>>
type LatestApplication = NonNullable<Awaited<ReturnType<typeof repo.latestApplication>>>
type CardRow = NonNullable<Awaited<ReturnType<typeof repo.cardOfAccount>>>

/** The states of the real programme's dashboard, from the person's point of view. */
export type WaveState =
  | { kind: 'card'; card: CardRow }
  | { kind: 'waiting'; application: LatestApplication }
  | { kind: 'processing'; application: LatestApplication }
  | { kind: 'selected'; application: LatestApplication }
  | { kind: 'not_selected'; application: LatestApplication; next: WaveRow | null }
  | { kind: 'ineligible'; application: LatestApplication; next: WaveRow | null }
  | { kind: 'join'; wave: WaveRow; readiness: Readiness; previous: LatestApplication | null }
  | { kind: 'none'; next: WaveRow | null; notifyRequested: boolean; previous: LatestApplication | null }

export async function waveState(deps: Pick<WavesDeps, 'db' | 'clock' | 'identity'>, accountId: string): Promise<WaveState> {
  const card = await repo.cardOfAccount(deps.db, accountId)
  if (card) return { kind: 'card', card }
  const latest = (await repo.latestApplication(deps.db, accountId)) ?? null
  if (latest && latest.wave_status === 'open' && latest.outcome === null) return { kind: 'waiting', application: latest }
  if (latest && latest.outcome === 'selected') return { kind: 'selected', application: latest }
  if (latest && latest.outcome === null && (latest.wave_status === 'closed' || latest.wave_status === 'drawn')) return { kind: 'processing', application: latest }
  const open = (await repo.listOpenWaves(deps.db)).find((w) => deps.clock.now() < w.closes_at)
  if (open && !(latest && latest.wave_id === open.id)) {
    const r = await readiness(deps, accountId)
    return { kind: 'join', wave: open, readiness: { ready: r.ready, missing: r.missing }, previous: latest }
  }
  const next = (await repo.nextCommittedWave(deps.db)) ?? null
  if (latest && latest.outcome === 'not_selected') return { kind: 'not_selected', application: latest, next }
  if (latest && latest.outcome === 'ineligible') return { kind: 'ineligible', application: latest, next }
  const asked = await repo.findNotifyRequest(deps.db, accountId)
  return { kind: 'none', next, notifyRequested: asked !== undefined && asked.notified_at === null, previous: latest }
}
