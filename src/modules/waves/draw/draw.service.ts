/**
 * runDraw: the eligibility pipeline, the draw and its export, for one closed wave.
 *
 * Everything happens in ONE transaction: the eligibility rules (one SQL UPDATE), the draw
 * (the database orders the eligible applicants by the published rank and streams them to
 * Node through a cursor in batches; Node runs the published one-pass selection and writes
 * the decisions back in batches), the export (a second cursor, by pseudonym, into a gzipped
 * NDJSON file), the revealed seed, status 'drawn' and the wave_draws row. A crash anywhere
 * rolls all of it back, so the wave is still 'closed' and the draw simply runs again, with
 * the same result (the same seed and data give the same winners). Memory in Node is bounded
 * by the batch size plus one counter per KK that won a place.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import type { Clock } from '../../../platform/clock.ts'
import type { IdentityCipher } from '../../../platform/crypto/identity.ts'
import { transaction, type Db, type Trx } from '../../../platform/db/database.ts'
import { AppError } from '../../../platform/errors.ts'
import { DRAW_ALGORITHM, isSeedHex, kkPseudonymPads, seedCommitment, Selector } from './algorithm.ts'
import { drawAreaOf, effectiveQuotas, REMAINDER_AREA } from './quotas.ts'

export { DRAW_ALGORITHM }

export interface DrawDeps {
  db: Db
  clock: Clock
  identity: IdentityCipher
  exportDir: string
  /** Rows per cursor fetch and per write-back statement (default DRAW_BATCH). */
  batchSize?: number
  /** Called with each phase's duration (benchmarks). */
  trace?: (phase: string, ms: number) => void
}

export interface DrawSummary {
  waveId: string
  applicants: number
  eligible: number
  selected: number
  exportPath: string
  exportSha256: string
  alreadyRan: boolean
}

/** Why an application is not in the draw, in the order the rules are checked. */
export const INELIGIBLE_REASONS = ['account_closed', 'blacklisted', 'has_card', 'checks_not_passed', 'other_programme', 'kk_full'] as const
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number]

/** Rows fetched from a cursor at a time (and decisions written back per statement). */
export const DRAW_BATCH = 20_000

/** The header line of an export. */
export interface DrawExportHeader {
  wave: string
  algorithm: string
  commitment: string
  seed: string
  maxPerKk: number
  quotas: Record<string, number>
  applicants: number
  eligible: number
  selected: number
  created_at: string
}

/** The seed as sealed by the wave module: 64 hex characters (or the 32 bytes in base64). */
export function seedHexFromSealed(identity: IdentityCipher, sealed: string): string {
  const plain = identity.decrypt(sealed).trim()
  if (isSeedHex(plain.toLowerCase())) return plain.toLowerCase()
  const bytes = Buffer.from(plain, plain.includes('-') || plain.includes('_') ? 'base64url' : 'base64')
  if (bytes.length === 32) return bytes.toString('hex')
  throw new Error('the sealed seed is not 32 bytes')
}

export function exportFileName(waveCode: string): string {
  return `undian-${waveCode.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson.gz`
}

export async function runDraw(deps: DrawDeps, waveId: string): Promise<DrawSummary> {
  const done = await finishedDraw(deps.db, waveId)
  if (done) return done
  return transaction(deps.db, async (trx) => {
    const wave = await trx.selectFrom('waves').selectAll().where('id', '=', waveId).forUpdate().executeTakeFirst()
    if (!wave) throw new AppError('NOT_FOUND')
    // Someone else finished the draw while we waited for the lock.
    const again = await finishedDraw(trx, waveId)
    if (again) return again
    if (wave.status !== 'closed') throw new AppError('WAVE_DRAW_BEFORE_CLOSE', { detail: `wave ${wave.code} is ${wave.status}` })
    if (!wave.seed_sealed || !wave.commitment) throw new AppError('WAVE_NO_COMMITMENT')
    const seed = seedHexFromSealed(deps.identity, wave.seed_sealed)
    if (seedCommitment(seed) !== wave.commitment) throw new AppError('DRAW_SEED_MISMATCH')

    const startedAt = deps.clock.now()
    const scheme = typeof wave.scheme === 'string' ? JSON.parse(wave.scheme) : wave.scheme
    const maxPerKk = Number(scheme.maxPerKk)
    const excludeOther = Boolean(scheme.excludeOtherProgrammes)
    const quotaRows = await trx.selectFrom('wave_quotas').select(['area_code', 'quota']).where('wave_id', '=', waveId).orderBy('area_code').execute()
    const input = { national: wave.national_quota, areas: quotaRows.map((q) => ({ areaCode: q.area_code, quota: q.quota })) }
    const quotas = effectiveQuotas(input)
    const explicit = new Set(quotaRows.map((q) => q.area_code))
    const pads = kkPseudonymPads(seed)

    // Sorting millions of rows: give this transaction's sorts memory (database side).
    await sql`set local work_mem = '256MB'`.execute(trx)
    // These few big statements gain nothing from compiling their expressions.
    await sql`set local jit = off`.execute(trx)

    let mark = performance.now()
    const phase = (name: string) => {
      const t = performance.now()
      deps.trace?.(name, t - mark)
      mark = t
    }
    // 1. Every application with its eligibility, draw area and draw keys, in one query.
    await stageApplications(trx, waveId, seed, pads, maxPerKk, excludeOther)
    phase('eligibility + draw keys (one query into a temporary table)')

    // 2. The draw: eligible applicants in published order, sorted by the database, streamed.
    const selector = new Selector(quotas, maxPerKk)
    const batch = deps.batchSize ?? DRAW_BATCH
    await sql`create temporary table karya_draw_decisions (id bigint not null, s boolean not null, pos int not null) on commit drop`.execute(trx)
    await sql`
      declare karya_draw_order no scroll cursor for
      select id, pseudonym, province_code, regency_code, area, g, encode(r, 'hex') as rank, k, kp
      from karya_draw_stage where reason is null
      order by g desc, r, pseudonym`.execute(trx)
    for (;;) {
      const { rows } = await sql<{ id: number; pseudonym: string; province_code: string; regency_code: string; area: string; g: boolean; rank: string; k: string; kp: number }>`fetch ${sql.raw(String(batch))} from karya_draw_order`.execute(trx)
      if (rows.length === 0) break
      const ids: number[] = []
      const chosen: boolean[] = []
      const positions: number[] = []
      for (const r of rows) {
        const area = drawAreaOf(r.province_code, r.regency_code, explicit)
        if (area !== r.area) throw new Error(`draw area of ${r.pseudonym}: database ${r.area}, published rule ${area}`)
        const d = selector.next({ pseudonym: r.pseudonym, area, priority: r.g, rank: r.rank, kk: r.k, kkPrior: r.kp })
        ids.push(Number(r.id))
        chosen.push(d.selected)
        positions.push(d.position)
      }
      await sql`insert into karya_draw_decisions (id, s, pos) select * from unnest(${ids}::bigint[], ${chosen}::boolean[], ${positions}::int[])`.execute(trx)
      if (rows.length < batch) break
    }
    await sql`close karya_draw_order`.execute(trx)
    await sql`analyze karya_draw_decisions`.execute(trx)
    phase('draw (sort, stream, select, stage decisions)')

    // 3. One UPDATE writes every outcome (heap-only updates: no indexed column changes), in the
    // table's physical order: a merge join on id walks wave_applications by its primary key.
    // A hash join would update rows in the staged (random) order, so with millions of rows each
    // update would evict and rewrite a page of its own (measured: hundreds of GB written at 10M).
    await sql`set local enable_hashjoin = off`.execute(trx)
    const updated = await sql`
      update wave_applications a set
        outcome = case when t.reason is not null then 'ineligible' when d.s then 'selected' else 'not_selected' end,
        ineligible_reason = t.reason,
        draw_area = case when t.reason is null then t.area end,
        draw_position = d.pos,
        decided_at = ${startedAt}
      from karya_draw_stage t left join karya_draw_decisions d on d.id = t.id
      where a.id = t.id`.execute(trx)
    await sql`set local enable_hashjoin = on`.execute(trx)
    phase('write outcomes (one UPDATE)')

    const staged = await sql<{ applicants: number; eligible: number }>`
      select count(*)::int as applicants, (count(*) filter (where reason is null))::int as eligible from karya_draw_stage`.execute(trx)
    const counts = { applicants: staged.rows[0]!.applicants, eligible: staged.rows[0]!.eligible, selected: selector.selected }
    if (counts.eligible !== selector.seen || Number(updated.numAffectedRows ?? counts.applicants) !== counts.applicants) {
      throw new Error(`draw bookkeeping mismatch: ${counts.eligible}/${selector.seen} eligible, ${String(updated.numAffectedRows)}/${counts.applicants} written`)
    }

    const header: DrawExportHeader = {
      wave: wave.code,
      algorithm: DRAW_ALGORITHM,
      commitment: wave.commitment,
      seed,
      maxPerKk,
      quotas: Object.fromEntries([...quotas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      applicants: counts.applicants,
      eligible: counts.eligible,
      selected: counts.selected,
      created_at: startedAt.toISOString(),
    }
    fs.mkdirSync(deps.exportDir, { recursive: true })
    const exportPath = path.resolve(deps.exportDir, exportFileName(wave.code))
    const exportSha256 = await writeExport(trx, header, exportPath, batch)
    phase('export (second cursor, gzip)')

    await trx.updateTable('waves').set({ status: 'drawn', seed, drawn_at: startedAt, updated_at: startedAt }).where('id', '=', waveId).execute()
    await trx
      .insertInto('wave_draws')
      .values({
        wave_id: waveId,
        algorithm: DRAW_ALGORITHM,
        applicants: counts.applicants,
        eligible: counts.eligible,
        selected: counts.selected,
        export_path: exportPath,
        export_sha256: exportSha256,
        started_at: startedAt,
        finished_at: deps.clock.now(),
      })
      .execute()
    return { waveId, ...counts, exportPath, exportSha256, alreadyRan: false }
  })
}

async function finishedDraw(ex: Db | Trx, waveId: string): Promise<DrawSummary | null> {
  const row = await ex.selectFrom('wave_draws').selectAll().where('wave_id', '=', waveId).where('finished_at', 'is not', null).executeTakeFirst()
  if (!row) return null
  return {
    waveId,
    applicants: row.applicants,
    eligible: row.eligible,
    selected: row.selected,
    exportPath: row.export_path ?? '',
    exportSha256: row.export_sha256 ?? '',
    alreadyRan: true,
  }
}

/**
 * The eligibility pipeline and the draw keys, one query into a temporary table: each rule is
 * a column of the same query, and the first that fails (INELIGIBLE_REASONS order) is the
 * reason. Also the draw area (the most specific area with a quota, as quotas.ts drawAreaOf),
 * the priority flag, the rank (sha256 of seed:pseudonym), the per-wave KK pseudonym and the
 * KK's cards from earlier waves.
 */
async function stageApplications(trx: Trx, waveId: string, seed: string, pads: { inner: Buffer; outer: Buffer }, maxPerKk: number, excludeOther: boolean): Promise<void> {
  await sql`
    create temporary table karya_draw_stage on commit drop as
    select a.id, a.pseudonym, a.province_code, a.regency_code,
      coalesce(qr.area_code, qp.area_code, ${REMAINDER_AREA}::text) as area,
      case
        when acc.status = 'closed' then 'account_closed'
        when bl.nik_hash is not null then 'blacklisted'
        when hc.nik_hash is not null then 'has_card'
        when not coalesce(chk.ok, false) then 'checks_not_passed'
        when ${excludeOther}::boolean and a.other_programme then 'other_programme'
        when coalesce(kc.n, 0) >= ${maxPerKk}::int then 'kk_full'
      end as reason,
      (pe.nik_hash is not null) as g,
      sha256(convert_to(${seed}::text || ':' || a.pseudonym, 'UTF8')) as r,
      substr(encode(sha256(${pads.outer}::bytea || sha256(${pads.inner}::bytea || convert_to(a.kk_hash, 'UTF8'))), 'hex'), 1, 16) as k,
      coalesce(kc.n, 0)::int as kp
    from wave_applications a
    join accounts acc on acc.id = a.account_id
    left join blacklist bl on bl.nik_hash = a.nik_hash
    left join (select distinct nik_hash from cards) hc on hc.nik_hash = a.nik_hash
    left join (select kk_hash, count(*) as n from cards where wave_id <> ${waveId} group by kk_hash) kc on kc.kk_hash = a.kk_hash
    left join (
      -- Registry checks pass when, in the account's newest round, all three kinds passed.
      select account_id,
        max(round) filter (where kind = 'civil_registry' and outcome = 'passed') = max(round)
        and max(round) filter (where kind = 'education' and outcome = 'passed') = max(round)
        and max(round) filter (where kind = 'exclusions' and outcome = 'passed') = max(round) as ok
      from registration_checks
      where account_id in (select account_id from wave_applications where wave_id = ${waveId})
      group by account_id
    ) chk on chk.account_id = a.account_id
    left join wave_priority_entries pe on pe.wave_id = a.wave_id and pe.nik_hash = a.nik_hash
    left join wave_quotas qr on qr.wave_id = a.wave_id and qr.area_code = a.regency_code
    left join wave_quotas qp on qp.wave_id = a.wave_id and qp.area_code = a.province_code
    where a.wave_id = ${waveId}`.execute(trx)
  await sql`analyze karya_draw_stage`.execute(trx)
}

/** Writes the export (header, then every applicant by pseudonym) and returns the file's sha256. */
async function writeExport(trx: Trx, header: DrawExportHeader, file: string, batch: number): Promise<string> {
  const tmp = `${file}.${process.pid}.tmp`
  const gzip = zlib.createGzip({ level: 6 })
  const out = fs.createWriteStream(tmp)
  const hash = crypto.createHash('sha256')
  gzip.on('data', (chunk: Buffer) => hash.update(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
    gzip.on('error', reject)
  })
  gzip.pipe(out)
  const write = async (text: string) => {
    if (!gzip.write(text)) await new Promise<void>((resolve) => gzip.once('drain', resolve))
  }
  try {
    await write(`${JSON.stringify(header)}\n`)
    await sql`
      declare karya_draw_export no scroll cursor for
      select t.pseudonym, t.reason, t.area, t.g, t.k, t.kp, d.s
      from karya_draw_stage t left join karya_draw_decisions d on d.id = t.id
      order by t.pseudonym`.execute(trx)
    let last = ''
    for (;;) {
      const { rows } = await sql<{ pseudonym: string; reason: string | null; area: string; g: boolean; k: string; kp: number; s: boolean | null }>`fetch ${sql.raw(String(batch))} from karya_draw_export`.execute(trx)
      if (rows.length === 0) break
      let chunk = ''
      for (const r of rows) {
        // The verifier relies on this order; refuse to publish anything else.
        if (r.pseudonym <= last) throw new Error(`export out of order at ${r.pseudonym}`)
        last = r.pseudonym
        chunk +=
          r.reason !== null
            ? `${JSON.stringify({ p: r.pseudonym, x: r.reason })}\n`
            : `${JSON.stringify({ p: r.pseudonym, a: r.area, g: r.g ? 1 : 0, k: r.k, kp: r.kp, s: r.s ? 1 : 0 })}\n`
      }
      await write(chunk)
      if (rows.length < batch) break
    }
    await sql`close karya_draw_export`.execute(trx)
    gzip.end()
    await finished
  } catch (err) {
    gzip.destroy()
    out.destroy()
    fs.rmSync(tmp, { force: true })
    throw err
  }
  fs.renameSync(tmp, file)
  return hash.digest('hex')
}
