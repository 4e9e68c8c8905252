import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../../test/db.ts'
import { fixedClock } from '../../../platform/clock.ts'
import { createIdentityCipher } from '../../../platform/crypto/identity.ts'
import { AppError } from '../../../platform/errors.ts'
import { compareDrawOrder, rank, selectWinners } from './algorithm.ts'
import { insertApplicants, insertPriorCard, insertWave } from './draw.fixtures.ts'
import { runDraw, type DrawDeps } from './draw.service.ts'
import { exportLines, verifyExportFile } from './verify.ts'

const identity = createIdentityCipher([{ id: 't1', key: crypto.randomBytes(32) }], crypto.randomBytes(32))
let database: TestDatabase
let deps: DrawDeps
let dir: string
let earlierWave: string

async function outcomes(waveId: string) {
  const rows = await database.db
    .selectFrom('wave_applications as a')
    .leftJoin('wave_outcomes as o', 'o.application_id', 'a.id')
    .select(['a.pseudonym', 'o.outcome', 'o.ineligible_reason', 'o.draw_area', 'o.draw_position'])
    .where('a.wave_id', '=', waveId)
    .orderBy('a.pseudonym')
    .execute()
  return new Map(rows.map((r) => [r.pseudonym, r]))
}

async function readExport(file: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = []
  for await (const line of exportLines(file)) out.push(JSON.parse(line) as Record<string, unknown>)
  return out
}

beforeAll(async () => {
  database = await openTestDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-draw-'))
  deps = { db: database.db, clock: fixedClock(new Date('2026-11-10T03:00:00Z')), identity, exportDir: dir }
  earlierWave = (await insertWave(database.db, identity, { national: 10 })).id
})

afterAll(async () => {
  await database?.dispose()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('runDraw: the eligibility rules', () => {
  let wave: { id: string; code: string; seed: string }
  beforeAll(async () => {
    wave = await insertWave(database.db, identity, { national: 100 })
    await insertApplicants(database.db, wave.id, [
      { pseudonym: 'KOK01' },
      { pseudonym: 'KCLOSED', accountStatus: 'closed' },
      { pseudonym: 'KBLACK', nik: 'black' },
      { pseudonym: 'KCARD', nik: 'carded' },
      { pseudonym: 'KFAILED', checks: 'failed' },
      { pseudonym: 'KQUEUED', checks: 'queued' },
      { pseudonym: 'KNOCHECK', checks: 'none' },
      { pseudonym: 'KNEWROUND', checks: 'old_passed_new_queued' },
      { pseudonym: 'KRECOVERED', checks: 'old_failed_new_passed' },
      { pseudonym: 'KOTHER', otherProgramme: true },
      { pseudonym: 'KKKFULL', kk: 'full' },
      { pseudonym: 'KKKONE', kk: 'one' },
      // Fails several rules: the first in the published order is recorded.
      { pseudonym: 'KMANY', nik: 'black2', checks: 'failed', otherProgramme: true, accountStatus: 'closed' },
    ])
    const blackCard = await insertPriorCard(database.db, earlierWave, 'nik-black', 'kk-elsewhere1', '1000000000000001')
    await database.db.insertInto('blacklist').values({ nik_hash: 'nik-black', reason: 'no_purchase', card_id: blackCard, since: new Date() }).execute()
    await database.db.insertInto('blacklist').values({ nik_hash: 'nik-black2', reason: 'no_purchase', card_id: null, since: new Date() }).execute()
    await insertPriorCard(database.db, earlierWave, 'nik-carded', 'kk-elsewhere2', '1000000000000002')
    await insertPriorCard(database.db, earlierWave, 'nik-f1', 'kk-full', '1000000000000003')
    await insertPriorCard(database.db, earlierWave, 'nik-f2', 'kk-full', '1000000000000004')
    await insertPriorCard(database.db, earlierWave, 'nik-o1', 'kk-one', '1000000000000005')
  })

  it('marks each rule with its reason and draws only the eligible', async () => {
    const summary = await runDraw(deps, wave.id)
    expect(summary).toMatchObject({ applicants: 13, eligible: 3, selected: 3, alreadyRan: false })
    const o = await outcomes(wave.id)
    const reason = (p: string) => o.get(p)?.ineligible_reason ?? o.get(p)?.outcome
    expect(reason('KOK01')).toBe('selected')
    expect(reason('KCLOSED')).toBe('account_closed')
    expect(reason('KBLACK')).toBe('blacklisted')
    expect(reason('KCARD')).toBe('has_card')
    expect(reason('KFAILED')).toBe('checks_not_passed')
    expect(reason('KQUEUED')).toBe('checks_not_passed')
    expect(reason('KNOCHECK')).toBe('checks_not_passed')
    expect(reason('KNEWROUND')).toBe('checks_not_passed')
    expect(reason('KRECOVERED')).toBe('selected')
    expect(reason('KOTHER')).toBe('other_programme')
    expect(reason('KKKFULL')).toBe('kk_full')
    expect(reason('KKKONE')).toBe('selected')
    expect(reason('KMANY')).toBe('account_closed')
    for (const r of o.values()) {
      if (r.outcome === 'ineligible') expect([r.draw_area, r.draw_position]).toEqual([null, null])
      else expect(r.draw_area).toBe('00')
    }
  })

  it('other programmes do not exclude when the scheme allows them (2023)', async () => {
    const w = await insertWave(database.db, identity, { national: 5, scheme: { excludeOtherProgrammes: false } })
    await insertApplicants(database.db, w.id, [{ pseudonym: 'KDTKS', otherProgramme: true }])
    await runDraw(deps, w.id)
    expect((await outcomes(w.id)).get('KDTKS')?.outcome).toBe('selected')
  })

  it('publishes ineligible applicants with their reason only, and eligible ones with the draw fields; never NIK, KK or account ids', async () => {
    const lines = await readExport(path.join(dir, `undian-${wave.code}.ndjson.gz`))
    const header = lines[0]!
    expect(header).toMatchObject({ wave: wave.code, algorithm: 'karya-draw-v2', seed: wave.seed, maxPerKk: 2, quotas: { '00': 100 }, applicants: 13, eligible: 3, selected: 3 })
    // Eligible first (area, then draw order), then the ineligible by pseudonym.
    const eligible = lines.slice(1).filter((l) => !('x' in l))
    const ineligible = lines.slice(1).filter((l) => 'x' in l)
    expect(lines.slice(1)).toEqual([...eligible, ...ineligible])
    expect(eligible.map((l) => l.p)).toEqual(eligible.map((l) => l.p as string).sort((x, y) => (rank(wave.seed, x) < rank(wave.seed, y) ? -1 : 1)))
    expect(ineligible.map((l) => l.p)).toEqual(ineligible.map((l) => l.p as string).sort())
    expect(lines.find((l) => l.p === 'KBLACK')).toEqual({ p: 'KBLACK', x: 'blacklisted' })
    expect(lines.find((l) => l.p === 'KKKONE')).toMatchObject({ p: 'KKKONE', a: '00', g: 0, kp: 1, s: 1 })
    const text = JSON.stringify(lines)
    expect(text).not.toContain('nik-')
    expect(text).not.toContain('kk-')
    const accounts = await database.db.selectFrom('wave_applications').select('account_id').where('wave_id', '=', wave.id).execute()
    for (const a of accounts) expect(text).not.toContain(a.account_id)
  })
})

describe('runDraw: quotas, priority, the KK cap, and the export', () => {
  let wave: { id: string; code: string; seed: string }
  const specs = [
    // Area 13.06 (regency quota 2), the rest of province 13 (quota 3), and the remainder (national 10 - 5 - 0 = 5).
    ...Array.from({ length: 6 }, (_, i) => ({ pseudonym: `KA${i}`, province: '13', regency: '13.06' })),
    ...Array.from({ length: 6 }, (_, i) => ({ pseudonym: `KB${i}`, province: '13', regency: '13.02', priority: i === 5 })),
    // A zero-quota regency.
    ...Array.from({ length: 3 }, (_, i) => ({ pseudonym: `KZ${i}`, province: '32', regency: '32.73' })),
    // The remainder: one KK of 4 members, a KK with a card from an earlier wave.
    ...Array.from({ length: 4 }, (_, i) => ({ pseudonym: `KF${i}`, province: '51', regency: '51.71', kk: 'family' })),
    ...Array.from({ length: 2 }, (_, i) => ({ pseudonym: `KP${i}`, province: '51', regency: '51.02', kk: 'prior' })),
  ]
  beforeAll(async () => {
    wave = await insertWave(database.db, identity, { national: 10, quotas: { '13': 3, '13.06': 2, '32.73': 0 } })
    await insertApplicants(database.db, wave.id, specs)
    await insertPriorCard(database.db, earlierWave, 'nik-prior-holder', 'kk-prior', '1000000000000010')
  })

  it('stays within every area quota, puts priority first, caps each KK across waves, and streams in batches', async () => {
    const summary = await runDraw({ ...deps, batchSize: 3 }, wave.id)
    expect(summary).toMatchObject({ applicants: 21, eligible: 21, alreadyRan: false })
    const o = await outcomes(wave.id)
    const sel = (prefix: string) => [...o.values()].filter((r) => r.pseudonym.startsWith(prefix) && r.outcome === 'selected').length
    expect(sel('KA')).toBe(2)
    expect(sel('KB')).toBe(3)
    expect(o.get('KB5')?.outcome).toBe('selected')
    expect(sel('KZ')).toBe(0)
    expect(sel('KF')).toBe(2)
    expect(sel('KP')).toBe(1)
    expect(summary.selected).toBe(8)
    expect(o.get('KA0')?.draw_area).toBe('13.06')
    expect(o.get('KB0')?.draw_area).toBe('13')
    expect(o.get('KZ0')?.draw_area).toBe('32.73')
    expect(o.get('KF0')?.draw_area).toBe('00')
    // Within area 13.06 the two selected are the two best ranks, at positions 1 and 2.
    const a = specs.filter((s) => s.pseudonym.startsWith('KA')).map((s) => s.pseudonym).sort((x, y) => (rank(wave.seed, x) < rank(wave.seed, y) ? -1 : 1))
    expect(a.map((p) => [o.get(p)?.outcome, o.get(p)?.draw_position])).toEqual([
      ['selected', 1],
      ['selected', 2],
      ['not_selected', 3],
      ['not_selected', 4],
      ['not_selected', 5],
      ['not_selected', 6],
    ])
    // Priority applicant first in its area.
    expect(o.get('KB5')?.draw_position).toBe(1)
  })

  it('reveals the seed, marks the wave drawn and records the draw', async () => {
    const w = await database.db.selectFrom('waves').selectAll().where('id', '=', wave.id).executeTakeFirstOrThrow()
    expect(w.status).toBe('drawn')
    expect(w.seed).toBe(wave.seed)
    const d = await database.db.selectFrom('wave_draws').selectAll().where('wave_id', '=', wave.id).executeTakeFirstOrThrow()
    expect(d).toMatchObject({ algorithm: 'karya-draw-v2', applicants: 21, eligible: 21, selected: 8 })
    expect(d.finished_at).not.toBeNull()
    const bytes = fs.readFileSync(d.export_path!)
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(d.export_sha256)
  })

  it('the export verifies: the pure algorithm recomputes the same winners', async () => {
    const report = await verifyExportFile(path.join(dir, `undian-${wave.code}.ndjson.gz`))
    expect(report.problems).toEqual([])
    expect(report).toMatchObject({ ok: true, commitmentOk: true, applicants: 21, eligible: 21, selected: 8 })
    expect(report.areas).toEqual([
      { area: '00', places: 5, eligible: 6, selected: 3 },
      { area: '13', places: 3, eligible: 6, selected: 3 },
      { area: '13.06', places: 2, eligible: 6, selected: 2 },
      { area: '32.73', places: 0, eligible: 3, selected: 0 },
    ])
  })

  it('running it again changes nothing and says so', async () => {
    const before = await outcomes(wave.id)
    const file = path.join(dir, `undian-${wave.code}.ndjson.gz`)
    const bytes = fs.readFileSync(file)
    const again = await runDraw({ ...deps, clock: fixedClock(new Date('2026-12-01T00:00:00Z')) }, wave.id)
    expect(again).toMatchObject({ alreadyRan: true, applicants: 21, selected: 8 })
    expect(await outcomes(wave.id)).toEqual(before)
    expect(fs.readFileSync(file).equals(bytes)).toBe(true)
  })
})

describe('runDraw: the database computes what the published algorithm computes', () => {
  it('random applicants, KKs spread over areas, priority and earlier cards: same winners and places as the Selector', async () => {
    // A small pseudo-random population (fixed, so a failure can be reproduced): 120 applicants in
    // 4 areas, KKs of up to 5 members living in different areas, some with an earlier card.
    let x = 7
    const next = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648
      return x % n
    }
    const places = [['13', '13.06'], ['13', '13.02'], ['32', '32.73'], ['51', '51.71']] as const
    const specs = Array.from({ length: 120 }, (_, i) => {
      const [province, regency] = places[next(4)]!
      return { pseudonym: `KR${String(i).padStart(3, '0')}`, province, regency, kk: `r${next(30)}`, priority: next(6) === 0 }
    })
    const w = await insertWave(database.db, identity, { national: 40, quotas: { '13': 8, '13.06': 6, '32.73': 10 } })
    await insertApplicants(database.db, w.id, specs)
    for (let k = 0; k < 30; k += 4) await insertPriorCard(database.db, earlierWave, `nik-prior-r${k}`, `kk-r${k}`, `20000000000000${String(k).padStart(2, '0')}`)
    const summary = await runDraw({ ...deps, batchSize: 7 }, w.id)
    const report = await verifyExportFile(summary.exportPath)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)

    // The same draw by the Selector, from the published inputs of each applicant.
    const lines = (await readExport(summary.exportPath)).slice(1).filter((l) => !('x' in l))
    const candidates = lines
      .map((l) => ({ pseudonym: l.p as string, area: l.a as string, priority: l.g === 1, rank: rank(w.seed, l.p as string), kk: l.k as string, kkPrior: l.kp as number }))
      .sort(compareDrawOrder)
    const quotas = new Map([['13', 8], ['13.06', 6], ['32.73', 10], ['00', 16]])
    const expected = new Map([...selectWinners(candidates, quotas, 2)].map((d) => [d.candidate.pseudonym, [d.selected ? 'selected' : 'not_selected', d.position]]))
    const o = await outcomes(w.id)
    for (const [p, [outcome, position]] of expected) expect([p, o.get(p)?.outcome, o.get(p)?.draw_position]).toEqual([p, outcome, position])
    // KKs really do span areas here, and some areas fill up: the case where v1 and v2 could differ.
    const areasOfKk = new Map<string, Set<string>>()
    for (const c of candidates) areasOfKk.set(c.kk, (areasOfKk.get(c.kk) ?? new Set()).add(c.area))
    expect([...areasOfKk.values()].some((a) => a.size > 1)).toBe(true)
    expect(summary.selected).toBeGreaterThan(0)
    expect(report.areas.some((a) => a.selected === a.places && a.eligible > a.places)).toBe(true)
  })
})

describe('runDraw: refusals and crashes', () => {
  it('refuses a wave that has not closed, changing nothing', async () => {
    const w = await insertWave(database.db, identity, { national: 5, status: 'open' })
    await insertApplicants(database.db, w.id, [{ pseudonym: 'KOPEN' }])
    await expect(runDraw(deps, w.id)).rejects.toMatchObject({ code: 'WAVE_DRAW_BEFORE_CLOSE' })
    expect((await outcomes(w.id)).get('KOPEN')?.outcome).toBeNull()
    await expect(runDraw(deps, crypto.randomUUID())).rejects.toBeInstanceOf(AppError)
  })

  it('refuses a sealed seed that does not match the commitment', async () => {
    const w = await insertWave(database.db, identity, { national: 5 })
    await database.db.updateTable('waves').set({ seed_sealed: identity.encrypt('b'.repeat(64)) }).where('id', '=', w.id).execute()
    await expect(runDraw(deps, w.id)).rejects.toMatchObject({ code: 'DRAW_SEED_MISMATCH' })
  })

  it('a crash midway (the export cannot be written) leaves the wave closed and undrawn; the next run draws it the same way', async () => {
    const w = await insertWave(database.db, identity, { national: 3 })
    await insertApplicants(database.db, w.id, Array.from({ length: 8 }, (_, i) => ({ pseudonym: `KC${i}`, checks: i === 0 ? ('failed' as const) : ('passed' as const) })))
    const blocked = path.join(dir, 'not-a-directory')
    fs.writeFileSync(blocked, 'x')
    await expect(runDraw({ ...deps, exportDir: blocked }, w.id)).rejects.toThrow()
    const after = await outcomes(w.id)
    expect([...after.values()].every((r) => r.outcome === null && r.draw_position === null)).toBe(true)
    const wave = await database.db.selectFrom('waves').select(['status', 'seed']).where('id', '=', w.id).executeTakeFirstOrThrow()
    expect(wave).toEqual({ status: 'closed', seed: null })
    expect(await database.db.selectFrom('wave_draws').select('wave_id').where('wave_id', '=', w.id).execute()).toEqual([])

    const done = await runDraw(deps, w.id)
    expect(done).toMatchObject({ alreadyRan: false, applicants: 8, eligible: 7, selected: 3 })
    const expected = Array.from({ length: 7 }, (_, i) => `KC${i + 1}`)
      .sort((x, y) => (rank(w.seed, x) < rank(w.seed, y) ? -1 : 1))
      .slice(0, 3)
      .sort()
    const o = await outcomes(w.id)
    expect([...o.values()].filter((r) => r.outcome === 'selected').map((r) => r.pseudonym)).toEqual(expected)
  })

  it('two draws started together: one draws, the other reports it already ran', async () => {
    const w = await insertWave(database.db, identity, { national: 2 })
    await insertApplicants(database.db, w.id, [{ pseudonym: 'KT1' }, { pseudonym: 'KT2' }, { pseudonym: 'KT3' }])
    const [a, b] = await Promise.all([runDraw(deps, w.id), runDraw(deps, w.id)])
    expect([a.alreadyRan, b.alreadyRan].sort()).toEqual([false, true])
    expect(a.selected).toBe(2)
    expect(b.selected).toBe(2)
  })
})
