/**
 * The wave lifecycle as PMO runs it, and every refusal: quotas that do not add up, editing
 * after the commitment, opening without one, a draw before close, joining a closed wave or
 * twice, joining before the checks pass. Every PMO action is audited.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { AppError } from '../../platform/errors.ts'
import { participant, waveForm, wavesFixture, type WavesFixture } from './testing.ts'
import { addPriorityGroup, cancelWave, closeWave, commitWave, createWave, openWave, requestDraw, SYSTEM, updateWave, type Actor } from './waves.service.ts'
import { joinWave } from './participation.service.ts'

let db: TestDatabase
let f: WavesFixture
let pmo: Actor
const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-waves-'))

beforeAll(async () => {
  db = await openTestDatabase()
  f = await wavesFixture(db, exportDir)
  const id = (await db.db.insertInto('accounts').values({ email: 'pmo-test@karya.test', display_name: 'PMO', role: 'pmo_admin' }).returning('id').executeTakeFirstOrThrow()).id
  pmo = { id, role: 'pmo_admin', requestId: 'req-test', ip: '127.0.0.1' }
})
afterAll(async () => {
  await f?.stop()
  await db?.dispose()
  fs.rmSync(exportDir, { recursive: true, force: true })
})

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

async function audited(waveId: string) {
  return db.db.selectFrom('audit_log').select(['action', 'actor_id', 'actor_role']).where('subject_id', '=', waveId).orderBy('seq').execute()
}

describe('creating and editing a wave', () => {
  it('refuses quotas that add up to more than the national quota, naming the sum', async () => {
    const err = await refusal(createWave(f.deps, pmo, waveForm({ nationalQuota: '100', quotas: '13=60\n13.06=50' })))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.fields.map((x) => x.en).join(' ')).toMatch(/add up to 110, more than the national quota \(100\)/)
  })

  it('refuses an unknown area, a repeated area and a line that is not code=quota', async () => {
    const err = await refusal(createWave(f.deps, pmo, waveForm({ quotas: '99.99=5\n13=1\n13=2\nlima' })))
    const en = err.fields.map((x) => x.en).join(' | ')
    expect(en).toMatch(/99\.99 is not known/)
    expect(en).toMatch(/13 has more than one quota/)
    expect(en).toMatch(/Line 4/)
  })

  it('stores a draft with its quotas and the 2023 preset, and audits create and update', async () => {
    const id = await createWave(f.deps, pmo, waveForm({ code: 'G-EDIT', quotas: '13.06=40\n32=30' }))
    const w = await db.db.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(w.status).toBe('draft')
    expect(w.opens_at.toISOString()).toBe('2026-12-01T01:00:00.000Z')
    expect(w.scheme.trainingBalance).toBe(3_500_000)
    expect(w.scheme.preset).toBe('2023')
    await updateWave(f.deps, pmo, id, waveForm({ code: 'G-EDIT', nationalQuota: '200', quotas: '13.06=150' }))
    const q = await db.db.selectFrom('wave_quotas').selectAll().where('wave_id', '=', id).execute()
    expect(q).toEqual([{ wave_id: id, area_code: '13.06', quota: 150 }])
    expect((await audited(id)).map((a) => a.action)).toEqual(['wave.create', 'wave.update'])
  })

  it('refuses a second wave with the same code', async () => {
    await createWave(f.deps, pmo, waveForm({ code: 'G-TWICE' }))
    const err = await refusal(createWave(f.deps, pmo, waveForm({ code: 'g-twice' })))
    expect(err.fields[0]?.field).toBe('code')
  })

  it('keeps only lookup hashes of priority NIKs and refuses lines that are not NIKs', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    const nik = '1306025403959001'
    const bad = await refusal(addPriorityGroup(f.deps, pmo, id, 'PHK', `${nik}\n12345`))
    expect(bad.fields[0]?.en).toMatch(/1 lines are not a 16-digit NIK: 12345/)
    const r = await addPriorityGroup(f.deps, pmo, id, 'phk', `NIK\n${nik}\n1306025403959002, 1306025403959001`)
    expect(r.added).toBe(2)
    const rows = await db.db.selectFrom('wave_priority_entries').selectAll().where('wave_id', '=', id).execute()
    expect(rows).toHaveLength(2)
    expect(rows.every((x) => x.group_code === 'PHK' && !x.nik_hash.includes(nik))).toBe(true)
    expect(rows.map((x) => x.nik_hash)).toContain(f.deps.identity.lookupHash(nik))
    expect((await audited(id)).map((a) => a.action)).toContain('wave.priority_group')
  })
})

describe('the commitment and the lifecycle', () => {
  it('refuses to open a wave whose commitment is not published', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    expect((await refusal(openWave(f.deps, pmo, id))).code).toBe('WAVE_NO_COMMITMENT')
  })

  it('publishes sha256 of a sealed seed, then refuses every edit', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    const commitment = await commitWave(f.deps, pmo, id)
    const w = await db.db.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(w.status).toBe('committed')
    expect(w.seed).toBeNull()
    const seed = f.deps.identity.decrypt(w.seed_sealed!)
    expect(crypto.createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex')).toBe(commitment)
    expect((await refusal(updateWave(f.deps, pmo, id, waveForm({ nationalQuota: '5' })))).code).toBe('WAVE_FROZEN')
    expect((await refusal(addPriorityGroup(f.deps, pmo, id, 'PHK', '1306025403959001'))).code).toBe('WAVE_FROZEN')
    expect((await refusal(commitWave(f.deps, pmo, id))).code).toBe('WAVE_FROZEN')
  })

  it('schedules the open and close jobs at the wave\'s times when committed', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    await commitWave(f.deps, pmo, id)
    const jobs = await db.db
      .selectFrom('pgboss.job' as never)
      .select(['name', 'start_after'] as never[])
      .where('data' as never, '=', JSON.stringify({ waveId: id }) as never)
      .execute() as Array<{ name: string; start_after: Date }>
    const byName = Object.fromEntries(jobs.map((j) => [j.name, new Date(j.start_after).toISOString()]))
    expect(byName['waves.open']).toBe('2026-12-01T01:00:00.000Z')
    expect(byName['waves.close']).toBe('2026-12-08T16:59:00.000Z')
  })

  it('refuses a draw before the wave closes, opens and closes on time by itself, and audits every step', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    expect((await refusal(requestDraw(f.deps, pmo, id))).code).toBe('WAVE_DRAW_BEFORE_CLOSE')
    await commitWave(f.deps, pmo, id)
    // Before its time the system leaves it alone.
    expect(await openWave(f.deps, SYSTEM, id)).toBe(false)
    f.clock.set(new Date('2026-12-01T01:00:00Z'))
    expect(await openWave(f.deps, SYSTEM, id)).toBe(true)
    expect(await openWave(f.deps, SYSTEM, id)).toBe(false)
    expect((await refusal(requestDraw(f.deps, pmo, id))).code).toBe('WAVE_DRAW_BEFORE_CLOSE')
    expect((await refusal(cancelWave(f.deps, pmo, id, 'x'))).code).toBe('WAVE_WRONG_STATE')
    expect(await closeWave(f.deps, SYSTEM, id)).toBe(false)
    f.clock.set(new Date('2026-12-08T17:00:00Z'))
    expect(await closeWave(f.deps, SYSTEM, id)).toBe(true)
    await requestDraw(f.deps, pmo, id)
    const log = await audited(id)
    expect(log.map((a) => a.action)).toEqual(['wave.create', 'wave.commit', 'wave.open', 'wave.close', 'wave.draw_requested'])
    expect(log.filter((a) => a.action === 'wave.open' || a.action === 'wave.close').every((a) => a.actor_role === 'system')).toBe(true)
    expect(log.filter((a) => a.action === 'wave.commit').every((a) => a.actor_id === pmo.id)).toBe(true)
    f.clock.set(new Date('2026-12-01T00:00:00Z'))
  })

  it('cancels a committed wave with its reason audited', async () => {
    const id = await createWave(f.deps, pmo, waveForm())
    await commitWave(f.deps, pmo, id)
    await cancelWave(f.deps, pmo, id, 'anggaran dialihkan')
    const entry = await db.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', id).where('action', '=', 'wave.cancel').executeTakeFirstOrThrow()
    expect(entry.details).toMatchObject({ reason: 'anggaran dialihkan' })
    expect((await refusal(openWave(f.deps, pmo, id))).code).toBe('WAVE_WRONG_STATE')
  })
})

describe('joining', () => {
  it('refuses joining a wave that is not open, joining before the checks pass, and joining twice', async () => {
    const id = await createWave(f.deps, pmo, waveForm({ code: 'G-JOIN' }))
    const ready = await participant(db.db, f.deps.identity)
    const failed = await participant(db.db, f.deps.identity, { checks: 'failed' })
    const incomplete = await participant(db.db, f.deps.identity, { complete: false, checks: 'none' })
    await commitWave(f.deps, pmo, id)
    expect((await refusal(joinWave(f.deps, ready.accountId, 'G-JOIN'))).code).toBe('WAVE_NOT_OPEN')
    await openWave(f.deps, pmo, id)
    expect((await refusal(joinWave(f.deps, failed.accountId, 'G-JOIN'))).code).toBe('WAVE_NOT_READY')
    expect((await refusal(joinWave(f.deps, incomplete.accountId, 'G-JOIN'))).code).toBe('WAVE_NOT_READY')
    const { pseudonym } = await joinWave(f.deps, ready.accountId, 'G-JOIN')
    expect(pseudonym).toMatch(/^K[0-9A-Z]{12}$/)
    expect((await refusal(joinWave(f.deps, ready.accountId, 'G-JOIN'))).code).toBe('WAVE_ALREADY_JOINED')
    const app = await db.db.selectFrom('wave_applications').selectAll().where('wave_id', '=', id).executeTakeFirstOrThrow()
    expect(app).toMatchObject({ account_id: ready.accountId, province_code: '13', regency_code: '13.06', nik_hash: f.deps.identity.lookupHash(ready.nik), kk_hash: f.deps.identity.lookupHash(ready.kk) })
    await closeWave(f.deps, pmo, id)
    const late = await participant(db.db, f.deps.identity)
    expect((await refusal(joinWave(f.deps, late.accountId, 'G-JOIN'))).code).toBe('WAVE_NOT_OPEN')
    expect((await refusal(joinWave(f.deps, late.accountId, 'NO-SUCH-WAVE'))).code).toBe('NOT_FOUND')
  })

  it('records a person found in another programme, for the draw to judge by the scheme', async () => {
    const id = await createWave(f.deps, pmo, waveForm({ code: 'G-DTKS' }))
    await commitWave(f.deps, pmo, id)
    await openWave(f.deps, pmo, id)
    const dtks = await participant(db.db, f.deps.identity, { otherProgramme: true })
    const clean = await participant(db.db, f.deps.identity)
    await joinWave(f.deps, dtks.accountId, 'G-DTKS')
    await joinWave(f.deps, clean.accountId, 'G-DTKS')
    const rows = await db.db.selectFrom('wave_applications').select(['account_id', 'other_programme']).where('wave_id', '=', id).execute()
    expect(rows.find((r) => r.account_id === dtks.accountId)?.other_programme).toBe(true)
    expect(rows.find((r) => r.account_id === clean.accountId)?.other_programme).toBe(false)
  })
})
