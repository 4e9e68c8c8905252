/**
 * The life of a wave, as PMO runs it: draft (configurable) → committed (the seed's hash
 * published; configuration frozen) → open → closed → drawn; cancelled only before it opens.
 * Each step locks the wave row, checks the step is allowed now, and is audited in the same
 * transaction. Opening and closing also run as jobs at the wave's times.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Trx } from '../../platform/db/database.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { record } from '../../platform/audit/index.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { newSeedHex, seedCommitment } from './draw/algorithm.ts'
import { validateQuotas } from './draw/quotas.ts'
import { knownArea, parseNikList, parseWaveForm, type WaveForm } from './wave-form.ts'
import * as repo from './waves.repository.ts'
import type { WaveStatus } from './waves.tables.ts'

export interface WavesDeps {
  readonly db: Db
  readonly clock: Clock
  readonly identity: IdentityCipher
  readonly jobs: Jobs
  readonly mail: Mail
}

/** Who acts: a PMO user from a request, or the system (a job at the wave's time). */
export interface Actor {
  readonly id: string | null
  readonly role: string
  readonly requestId?: string
  readonly ip?: string
}

export const SYSTEM: Actor = { id: null, role: 'system' }

export const OPEN_JOB = 'waves.open'
export const CLOSE_JOB = 'waves.close'
export const CARRY_OVER_JOB = 'waves.carry-over'
export const DRAW_JOB = 'waves.draw'

export interface WaveJob {
  waveId: string
}

async function audit(trx: Trx, deps: Pick<WavesDeps, 'clock'>, actor: Actor, action: string, waveId: string, details: Record<string, unknown> = {}): Promise<void> {
  await record(
    trx,
    { actorId: actor.id, actorRole: actor.role, action, subjectType: 'wave', subjectId: waveId, details, requestId: actor.requestId ?? null, ip: actor.ip ?? null },
    deps.clock,
  )
}

async function locked(trx: Trx, waveId: string) {
  const w = await repo.lockWave(trx, waveId)
  if (!w) throw new AppError('NOT_FOUND')
  return w
}

function invalid(fields: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', { fields })
}

function refuseUnlessDraft(status: WaveStatus): void {
  if (status === 'draft') return
  throw new AppError(status === 'cancelled' ? 'WAVE_WRONG_STATE' : 'WAVE_FROZEN')
}

export async function createWave(deps: WavesDeps, actor: Actor, form: WaveForm): Promise<string> {
  const parsed = parseWaveForm(form)
  if (!parsed.ok) throw invalid(parsed.fields)
  const w = parsed.wave
  return transaction(deps.db, async (trx) => {
    if (await repo.codeTaken(trx, w.code, null)) throw invalid([{ field: 'code', id: 'Kode gelombang ini sudah dipakai; pilih kode lain.', en: 'This wave code is taken; choose another.' }])
    const id = await repo.insertWave(trx, w, actor.id, deps.clock.now())
    await repo.replaceQuotas(trx, id, w.areas)
    await audit(trx, deps, actor, 'wave.create', id, { code: w.code, nationalQuota: w.nationalQuota, areas: w.areas.length, scheme: w.scheme.preset })
    return id
  })
}

export async function updateWave(deps: WavesDeps, actor: Actor, waveId: string, form: WaveForm): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const current = await locked(trx, waveId)
    refuseUnlessDraft(current.status)
    const parsed = parseWaveForm(form)
    if (!parsed.ok) throw invalid(parsed.fields)
    const w = parsed.wave
    if (await repo.codeTaken(trx, w.code, waveId)) throw invalid([{ field: 'code', id: 'Kode gelombang ini sudah dipakai; pilih kode lain.', en: 'This wave code is taken; choose another.' }])
    await repo.updateWaveConfig(trx, waveId, w, deps.clock.now())
    await repo.replaceQuotas(trx, waveId, w.areas)
    await audit(trx, deps, actor, 'wave.update', waveId, { code: w.code, nationalQuota: w.nationalQuota, areas: w.areas.length, scheme: w.scheme.preset })
  })
}

/** Adds a list of NIKs to a priority group; only their lookup hashes are stored. */
export async function addPriorityGroup(deps: WavesDeps, actor: Actor, waveId: string, groupCode: string, list: string): Promise<{ added: number }> {
  const group = groupCode.trim().toUpperCase()
  const fields: FieldError[] = []
  if (!/^[A-Z0-9_-]{2,32}$/.test(group)) fields.push({ field: 'groupCode', id: 'Kode kelompok: 2–32 huruf, angka, _ atau -, contoh PHK.', en: 'Group code: 2–32 letters, digits, _ or -, e.g. PHK.' })
  const { niks, bad } = parseNikList(list)
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).join(', ')
    fields.push({ field: 'niks', id: `${bad.length} baris bukan NIK 16 angka: ${shown}. Perbaiki lalu unggah lagi.`, en: `${bad.length} lines are not a 16-digit NIK: ${shown}. Correct them and upload again.` })
  } else if (niks.length === 0) fields.push({ field: 'niks', id: 'Tempel atau unggah daftar NIK, satu per baris.', en: 'Paste or upload a list of NIKs, one a line.' })
  return transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    refuseUnlessDraft(w.status)
    if (fields.length > 0) throw invalid(fields)
    await repo.upsertPriorityEntries(trx, waveId, group, niks.map((n) => deps.identity.lookupHash(n)))
    await audit(trx, deps, actor, 'wave.priority_group', waveId, { group, count: niks.length })
    return { added: niks.length }
  })
}

/**
 * Publishes the commitment: a fresh secret seed is sealed in the database and only its hash
 * shown. From here the configuration is frozen; the jobs that open and close the wave at
 * its times are scheduled in the same transaction.
 */
export async function commitWave(deps: WavesDeps, actor: Actor, waveId: string, opts: { scheduleJobs?: boolean } = {}): Promise<string> {
  return transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    refuseUnlessDraft(w.status)
    const now = deps.clock.now()
    if (w.closes_at <= now) throw invalid([{ field: 'closesAt', id: 'Waktu tutup gelombang sudah lewat; ubah jadwalnya dulu.', en: 'The wave\'s closing time has passed; change its dates first.' }])
    const quotas = await repo.listQuotas(trx, waveId)
    const problems = validateQuotas({ national: w.national_quota, areas: quotas.map((q) => ({ areaCode: q.area_code, quota: q.quota })) }, knownArea)
    if (problems.length > 0) throw invalid(problems.map((p) => ({ field: 'quotas', id: p.id, en: p.en })))
    const seed = newSeedHex()
    const commitment = seedCommitment(seed)
    await repo.setWaveStatus(trx, waveId, 'committed', { commitment, seed_sealed: deps.identity.encrypt(seed), committed_at: now }, now)
    if (opts.scheduleJobs !== false) {
      await deps.jobs.enqueue<WaveJob>(trx, OPEN_JOB, { waveId }, { startAfter: w.opens_at })
      await deps.jobs.enqueue<WaveJob>(trx, CLOSE_JOB, { waveId }, { startAfter: w.closes_at })
    }
    await audit(trx, deps, actor, 'wave.commit', waveId, { commitment })
    return commitment
  })
}

/**
 * Opens registration. A PMO user may open early; the system opens at `opens_at` and does
 * nothing when the wave is already open, closed or cancelled (returns false).
 */
export async function openWave(deps: WavesDeps, actor: Actor, waveId: string, opts: { carryOver?: boolean } = {}): Promise<boolean> {
  return transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    const now = deps.clock.now()
    if (actor === SYSTEM && (w.status !== 'committed' || now < w.opens_at || now >= w.closes_at)) return false
    if (w.status === 'draft') throw new AppError('WAVE_NO_COMMITMENT')
    if (w.status !== 'committed' || !w.commitment) throw new AppError('WAVE_WRONG_STATE')
    if (now >= w.closes_at) throw new AppError('WAVE_WRONG_STATE')
    await repo.setWaveStatus(trx, waveId, 'open', { opened_at: now }, now)
    // Carry-over and notify-me messages can be many: a job of their own, after commit.
    if (opts.carryOver !== false) await deps.jobs.enqueue<WaveJob>(trx, CARRY_OVER_JOB, { waveId })
    await audit(trx, deps, actor, 'wave.open', waveId)
    return true
  })
}

export async function closeWave(deps: WavesDeps, actor: Actor, waveId: string): Promise<boolean> {
  return transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    const now = deps.clock.now()
    if (actor === SYSTEM && (w.status !== 'open' || now < w.closes_at)) return false
    if (w.status !== 'open') throw new AppError('WAVE_WRONG_STATE')
    await repo.setWaveStatus(trx, waveId, 'closed', { closed_at: now }, now)
    await audit(trx, deps, actor, 'wave.close', waveId)
    return true
  })
}

export async function cancelWave(deps: WavesDeps, actor: Actor, waveId: string, reason: string): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    if (w.status !== 'draft' && w.status !== 'committed') throw new AppError('WAVE_WRONG_STATE')
    const now = deps.clock.now()
    await repo.setWaveStatus(trx, waveId, 'cancelled', {}, now)
    await audit(trx, deps, actor, 'wave.cancel', waveId, { reason: reason.slice(0, 500) })
  })
}

/**
 * Asks for the draw (and the cards after it) to run as a job. Refused before the wave
 * closes; asking again after it ran is harmless: the draw changes nothing and only cards
 * still missing are issued.
 */
export async function requestDraw(deps: WavesDeps, actor: Actor, waveId: string): Promise<void> {
  await transaction(deps.db, async (trx) => {
    const w = await locked(trx, waveId)
    if (w.status === 'draft' || w.status === 'committed' || w.status === 'open') throw new AppError('WAVE_DRAW_BEFORE_CLOSE')
    if (w.status !== 'closed' && w.status !== 'drawn') throw new AppError('WAVE_WRONG_STATE')
    await deps.jobs.enqueue<WaveJob>(trx, DRAW_JOB, { waveId })
    await audit(trx, deps, actor, 'wave.draw_requested', waveId)
  })
}
