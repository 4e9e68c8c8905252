/**
 * runDraw: the eligibility pipeline, the draw and its export, for one closed wave.
 *
 * Everything happens in ONE transaction: the eligibility rules (one SQL statement into a
 * temporary table), the draw (karya-draw-v2 computed set-based by the database as two window
 * rankings, decision 0008), two INSERTs writing every outcome (wave_outcomes, decision 0015), the export (the database formats
 * the lines in area and draw order; Node checks them and gzips them), the revealed seed, status
 * 'drawn' and the wave_draws row. A crash anywhere rolls all of it back, so the wave is still
 * 'closed' and the draw simply runs again, with the same result (the same seed and data give
 * the same winners). Memory in Node is bounded by the cursor's batch size.
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
import { DRAW_ALGORITHM, isSeedHex, kkPseudonymPads, seedCommitment } from './algorithm.ts'
import { effectiveQuotas, REMAINDER_AREA } from './quotas.ts'

export { DRAW_ALGORITHM }

export interface DrawDeps {
  db: Db
  clock: Clock
  identity: IdentityCipher
  exportDir: string
  /** Rows per cursor fetch while writing the export (default DRAW_BATCH). */
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

/** Rows fetched from a cursor at a time. */
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

    // 2. The draw, set-based (karya-draw-v2 as window ranks; algorithm.ts): a KK's first
    // maxPerKk - kp members in draw order take part; an area selects the first `quota` of those
    // taking part. The rows come out in export order (area, then draw order) and are stored so.
    await drawInDatabase(trx, quotas, maxPerKk)
    phase('draw (window ranks into a temporary table)')

    // 3. Every outcome appended to the narrow wave_outcomes (decision 0015; it used to be an
    // UPDATE of every wide wave_applications row): the drawn ones straight from the result
    // table, the ineligible ones from the staged table, so the two are not joined again
    // (measured: the join was a third of this step). Each in application id order, so the
    // primary key is filled page after page instead of by random inserts.
    const drawn = await sql`
      insert into wave_outcomes (application_id, wave_id, outcome, ineligible_reason, draw_area, draw_position, decided_at)
      select id, ${waveId}::uuid, case when s then 'selected' else 'not_selected' end, null, area, pos, ${startedAt}::timestamptz
      from karya_draw_result order by id`.execute(trx)
    const ineligible = await sql`
      insert into wave_outcomes (application_id, wave_id, outcome, ineligible_reason, draw_area, draw_position, decided_at)
      select id, ${waveId}::uuid, 'ineligible', reason, null, null, ${startedAt}::timestamptz
      from karya_draw_stage where reason is not null order by id`.execute(trx)
    const written = drawn.numAffectedRows === undefined || ineligible.numAffectedRows === undefined ? null : Number(drawn.numAffectedRows) + Number(ineligible.numAffectedRows)
    phase('write outcomes (two INSERTs into wave_outcomes)')

    const staged = await sql<{ applicants: number; eligible: number; selected: number }>`
      select (select count(*)::int from karya_draw_stage) as applicants, count(*)::int as eligible, (count(*) filter (where s))::int as selected
      from karya_draw_result`.execute(trx)
    const counts = staged.rows[0]!
    if (written !== null && written !== counts.applicants) {
      throw new Error(`draw bookkeeping mismatch: ${written}/${counts.applicants} written`)
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
    const batch = deps.batchSize ?? DRAW_BATCH
    const exportPath = path.resolve(deps.exportDir, exportFileName(wave.code))
    const exportSha256 = await writeExport(trx, header, exportPath, batch, quotas, maxPerKk)
    phase('export (cursor in stored order, gzip)')

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
  // Whole tables are read here: hash joins over sequential scans. With index scans allowed the
  // planner read the wave's account ids through wave_applications_once, which visits the heap
  // in random order whenever the visibility map is not set (after any update of the table): at
  // 1 million applications that was three quarters of this statement (measured: 1.5 million
  // buffer reads for 1 million rows).
  await sql`set local enable_indexscan = off`.execute(trx)
  await sql`set local enable_indexonlyscan = off`.execute(trx)
  await sql`set local enable_bitmapscan = off`.execute(trx)
  await sql`
    create temporary table karya_draw_stage on commit drop as
    select a.id, a.pseudonym, a.province_code, a.regency_code,
      coalesce(qr.area_code, qp.area_code, ${REMAINDER_AREA}::text) as area,
      case
        when acc.status = 'closed' then 'account_closed'
        when bl.nik_hash is not null then 'blacklisted'
        when hc.nik_hash is not null then 'has_card'
        when acc.id is not null then 'checks_not_passed'
        when ${excludeOther}::boolean and a.other_programme then 'other_programme'
        when coalesce(kc.n, 0) >= ${maxPerKk}::int then 'kk_full'
      end as reason,
      (pe.nik_hash is not null) as g,
      sha256(convert_to(${seed}::text || ':' || a.pseudonym, 'UTF8')) as r,
      substr(encode(sha256(${pads.outer}::bytea || sha256(${pads.inner}::bytea || convert_to(a.kk_hash, 'UTF8'))), 'hex'), 1, 16) as k,
      coalesce(kc.n, 0)::int as kp
    from wave_applications a
    -- Only the accounts that are closed or whose checks have not passed (the flag kept by a
    -- trigger on registration_checks, decision 0015) are looked up: a hash of those few, not of
    -- every account, and no aggregate over every account's check history.
    left join accounts acc on acc.id = a.account_id and (acc.status = 'closed' or not acc.checks_passed)
    left join blacklist bl on bl.nik_hash = a.nik_hash
    left join (select distinct nik_hash from cards) hc on hc.nik_hash = a.nik_hash
    left join (select kk_hash, count(*) as n from cards where wave_id <> ${waveId} group by kk_hash) kc on kc.kk_hash = a.kk_hash
    left join wave_priority_entries pe on pe.wave_id = a.wave_id and pe.nik_hash = a.nik_hash
    left join wave_quotas qr on qr.wave_id = a.wave_id and qr.area_code = a.regency_code
    left join wave_quotas qp on qp.wave_id = a.wave_id and qp.area_code = a.province_code
    where a.wave_id = ${waveId}`.execute(trx)
  await sql`set local enable_indexscan = on`.execute(trx)
  await sql`set local enable_indexonlyscan = on`.execute(trx)
  await sql`set local enable_bitmapscan = on`.execute(trx)
  await sql`analyze karya_draw_stage`.execute(trx)
}

/**
 * The draw as window ranks over the staged eligible applicants (karya-draw-v2): `part` is
 * whether the applicant is among their KK's first maxPerKk - kp members in draw order,
 * `pos` their place in their area's draw order, `s` whether they are among the first `quota`
 * of their area's applicants with `part`. Stored in export order (area, then draw order), so
 * the export reads the table as it lies instead of sorting it again.
 */
async function drawInDatabase(trx: Trx, quotas: ReadonlyMap<string, number>, maxPerKk: number): Promise<void> {
  const places = JSON.stringify(Object.fromEntries(quotas))
  await sql`
    create temporary table karya_draw_result on commit drop as
    select id, pseudonym, area, g, k, kp, part, pos::int as pos,
      part and taking_part <= coalesce((${places}::jsonb ->> area)::int, 0) as s
    from (
      select id, pseudonym, area, g, r, k, kp, part,
        row_number() over w as pos,
        count(*) filter (where part) over w as taking_part
      from (
        select id, pseudonym, area, g, r, k, kp,
          kp + row_number() over (partition by k order by g desc, r, pseudonym collate "C") <= ${maxPerKk}::int as part
        from karya_draw_stage where reason is null
      ) c
      window w as (partition by area collate "C" order by g desc, r, pseudonym collate "C" rows between unbounded preceding and current row)
    ) d
    order by area collate "C", g desc, r, pseudonym collate "C"`.execute(trx)
}

/**
 * Writes the export and returns the file's sha256: the header, the eligible applicants in
 * export order (area, then draw order; the lines are formatted by the database), then the
 * ineligible ones by pseudonym. Checks as it goes that the stored order is the export order
 * (every area's places count up from 1) and that each area selected exactly the first of its
 * applicants taking part, up to its quota: a database that got either wrong publishes nothing.
 */
async function writeExport(trx: Trx, header: DrawExportHeader, file: string, batch: number, quotas: ReadonlyMap<string, number>, maxPerKk: number): Promise<string> {
  const tmp = `${file}.${process.pid}.tmp`
  // Level 1: the export is written once and read rarely; level 6 took several times longer for ~15 % less.
  const gzip = zlib.createGzip({ level: 1 })
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
    // Eligible applicants: the result table as it lies (a temporary table is read in its physical
    // order, and no scan of it is shared or parallel), checked line by line below.
    await sql`
      declare karya_draw_export no scroll cursor for
      select '{"p":' || to_json(pseudonym)::text || ',"a":' || to_json(area)::text || ',"g":' || g::int || ',"k":' || to_json(k)::text
          || ',"kp":' || kp || ',"s":' || s::int || E'}\n' as line,
        area, pos, part, s, kp
      from karya_draw_result`.execute(trx)
    let area = ''
    let pos = 0
    let left = 0
    let selected = 0
    for (;;) {
      const { rows } = await sql<{ line: string; area: string; pos: number; part: boolean; s: boolean; kp: number }>`fetch ${sql.raw(String(batch))} from karya_draw_export`.execute(trx)
      if (rows.length === 0) break
      let chunk = ''
      for (const r of rows) {
        if (r.area !== area) {
          // The verifier relies on this order; refuse to publish anything else.
          if (r.area < area || r.pos !== 1) throw new Error(`export out of order at area ${r.area} place ${r.pos}`)
          area = r.area
          left = quotas.get(area) ?? 0
        } else if (r.pos !== pos + 1) {
          throw new Error(`export out of order in area ${area}: place ${r.pos} after ${pos}`)
        }
        pos = r.pos
        if (r.part && r.kp >= maxPerKk) throw new Error(`draw: a KK already at the cap took part in area ${area}, place ${pos}`)
        if (r.s !== (r.part && left > 0)) throw new Error(`draw: area ${area}, place ${pos} is ${r.s ? '' : 'not '}selected against the published rule`)
        if (r.s) {
          left--
          selected++
        }
        chunk += r.line
      }
      await write(chunk)
      if (rows.length < batch) break
    }
    await sql`close karya_draw_export`.execute(trx)
    if (selected !== header.selected) throw new Error(`draw: ${selected} selected in the export, ${header.selected} counted`)
    await sql`
      declare karya_draw_ineligible no scroll cursor for
      select '{"p":' || to_json(pseudonym)::text || ',"x":' || to_json(reason)::text || E'}\n' as line, pseudonym
      from karya_draw_stage where reason is not null
      order by pseudonym collate "C"`.execute(trx)
    let last = ''
    for (;;) {
      const { rows } = await sql<{ line: string; pseudonym: string }>`fetch ${sql.raw(String(batch))} from karya_draw_ineligible`.execute(trx)
      if (rows.length === 0) break
      let chunk = ''
      for (const r of rows) {
        if (r.pseudonym <= last) throw new Error(`export out of order at ${r.pseudonym}`)
        last = r.pseudonym
        chunk += r.line
      }
      await write(chunk)
      if (rows.length < batch) break
    }
    await sql`close karya_draw_ineligible`.execute(trx)
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
