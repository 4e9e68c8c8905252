/**
 * bench/draw: eligibility + draw (runDraw, export included) over N synthetic applicants for
 * 1 000 000 places across the 514 regencies, on PostgreSQL; seconds and peak memory, and the
 * ratio to a plain `SELECT … ORDER BY` over the same rows streamed the same way, in the same run.
 *
 *   npm run bench:draw [-- --applicants 10000000 --places 1000000 --verify --keep]
 *   (--places defaults to a tenth of the applicants; --verify re-runs the export through
 *   draw:verify; --keep keeps the database; --reuse <database> measures again on a kept one,
 *   after putting its wave back to 'closed' with a fresh seed; --setup-only generates and keeps
 *   a database without measuring)
 *   BENCH_DATABASE_URL=postgres://… (default postgres://postgres@127.0.0.1:5432/test): a
 *   throw-away database is created next to it and dropped afterwards.
 *
 * The data are generated inside PostgreSQL with generate_series (setup time printed, not
 * counted): accounts, three registry checks each, KKs of about four members, cards from an
 * earlier wave (some KKs full, some applicants already holding one), a blacklist, a priority
 * list, people in other programmes, closed accounts and failed checks.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { systemClock } from '../src/platform/clock.ts'
import { createIdentityCipher } from '../src/platform/crypto/identity.ts'
import { openDatabase, transaction, type Db } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'
import { listProvinces, listRegencies } from '../src/modules/regions/index.ts'
import { newSeedHex, seedCommitment } from '../src/modules/waves/draw/algorithm.ts'
import { DRAW_BATCH, runDraw } from '../src/modules/waves/draw/draw.service.ts'
import { verifyExportFile } from '../src/modules/waves/draw/verify.ts'
import { TEST_SCHEME } from '../src/modules/waves/draw/draw.fixtures.ts'

const { values } = parseArgs({
  options: {
    applicants: { type: 'string', default: '10000000' },
    places: { type: 'string' },
    verify: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'setup-only': { type: 'boolean', default: false },
  },
})
const N = Number(values.applicants)
// One place for every ten applicants unless told: 1 000 000 places for 10 000 000.
const PLACES = values.places === undefined ? Math.round(N / 10) : Number(values.places)
const GOAL_SECONDS = 60
const GOAL_BYTES = 2 * 1024 ** 3

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const dbName = values.reuse ?? `karya_bench_draw_${crypto.randomBytes(4).toString('hex')}`
const keep = values.keep || values.reuse !== undefined || values['setup-only']
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const fmt = (n: number) => n.toLocaleString('en-US')

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: base })
  await c.connect()
  await c.query(q)
  await c.end()
}

/** A setup step: bulk SQL with foreign-key triggers off (the data are consistent by construction). */
async function timed(label: string, fn: (db: Db) => Promise<unknown>, db: Db): Promise<void> {
  const t0 = performance.now()
  await transaction(db, async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    await fn(trx as unknown as Db)
  })
  console.log(`  ${label}: ${secs(performance.now() - t0)}`)
}

/**
 * Bulk loading millions of rows into random-order (uuid, hash) indexes thrashes a small
 * buffer cache; setup drops a table's secondary indexes and unique constraints and builds
 * them again afterwards (same definitions), which is far quicker. Not part of the measurement.
 */
async function withoutSecondaryIndexes(db: Db, table: string, load: () => Promise<void>): Promise<void> {
  const constraints = await sql<{ name: string; def: string }>`
    select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid = ${table}::regclass and contype = 'u'`.execute(db)
  const indexes = await sql<{ name: string; def: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indrelid = ${table}::regclass and not i.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db)
  for (const c of constraints.rows) await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(c.name)}`.execute(db)
  for (const i of indexes.rows) await sql`drop index ${sql.ref(i.name)}`.execute(db)
  await load()
  const t0 = performance.now()
  await sql`set maintenance_work_mem = '1GB'`.execute(db)
  for (const i of indexes.rows) await sql.raw(i.def).execute(db)
  for (const c of constraints.rows) await sql`alter table ${sql.table(table)} add constraint ${sql.ref(c.name)} ${sql.raw(c.def)}`.execute(db)
  console.log(`  indexes of ${table} rebuilt: ${secs(performance.now() - t0)}`)
}

async function setup(db: Db, identity: ReturnType<typeof createIdentityCipher>): Promise<{ waveId: string }> {
  const now = new Date()
  const regencies = listProvinces().flatMap((p) => listRegencies(p.code))
  await sql`create unlogged table bench_regencies (n int primary key, province text not null, regency text not null)`.execute(db)
  await db
    .insertInto('bench_regencies' as never)
    .values(regencies.map((r, n) => ({ n, province: r.provinceCode, regency: r.code })) as never)
    .execute()

  const earlier = await db
    .insertInto('waves')
    .values({
      code: 'BENCH-0',
      name: 'Gelombang sebelumnya',
      status: 'drawn',
      opens_at: new Date(now.getTime() - 90 * 86_400_000),
      closes_at: new Date(now.getTime() - 80 * 86_400_000),
      national_quota: PLACES,
      scheme: JSON.stringify(TEST_SCHEME),
      commitment: seedCommitment(newSeedHex()),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const seed = newSeedHex()
  const wave = await db
    .insertInto('waves')
    .values({
      code: 'BENCH-1',
      name: 'Gelombang bench',
      status: 'closed',
      opens_at: new Date(now.getTime() - 10 * 86_400_000),
      closes_at: new Date(now.getTime() - 86_400_000),
      national_quota: PLACES,
      scheme: JSON.stringify(TEST_SCHEME),
      commitment: seedCommitment(seed),
      seed_sealed: identity.encrypt(seed),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  // Quotas: every regency its own share of the places, except DKI Jakarta's, which share a
  // province quota; what is left over goes to the remainder area (nobody draws there).
  const perRegency = Math.floor((PLACES * 0.98) / regencies.length)
  const jakarta = regencies.filter((r) => r.provinceCode === '31').length
  await db
    .insertInto('wave_quotas')
    .values([
      ...regencies.filter((r) => r.provinceCode !== '31').map((r) => ({ wave_id: wave.id, area_code: r.code, quota: perRegency })),
      { wave_id: wave.id, area_code: '31', quota: perRegency * jakarta },
    ])
    .execute()

  await withoutSecondaryIndexes(db, 'accounts', () =>
    timed(`accounts (${fmt(N)} applicants + card holders)`, (db) =>
      sql`
        insert into accounts (id, display_name, role, status, password_hash, checks_passed)
        select md5('a' || i)::uuid, 'Peserta ' || i, 'participant', case when i % 1000 = 5 then 'closed' else 'active' end, null,
          -- As the registry checks below leave it (their trigger is off during this bulk load):
          -- every 97th applicant fails the education check.
          i % 97 <> 0
        from generate_series(1, ${N}::int) i order by 1`.execute(db),
      db,
    ),
  )
  // Cards from the earlier wave: a member of every 10th KK holds one, every 100th KK has two
  // (it is full), and every 500th applicant holds a card themselves.
  const holders = Math.ceil(N / 40)
  await timed('cards from an earlier wave', async (db) => {
    await sql`
      insert into accounts (id, display_name, role, password_hash)
      select md5(t || j)::uuid, 'Pemegang ' || t || j, 'participant', null
      from generate_series(1, ${holders}::int) j, unnest(array['h', 'g']) t where t = 'h' or j % 10 = 0`.execute(db)
    await sql`
      insert into cards (card_number, account_id, nik_hash, kk_hash, wave_id, status, issued_at, first_purchase_deadline)
      select lpad((case when t = 'h' then j else ${holders}::bigint + j end)::text, 16, '0'), md5(t || j)::uuid, 'nik-' || t || j,
        encode(sha256(convert_to('kk' || (j * 10), 'UTF8')), 'base64'),
        ${earlier.id}, 'active', now() - interval '60 days', now() - interval '30 days'
      from generate_series(1, ${holders}::int) j, unnest(array['h', 'g']) t where t = 'h' or j % 10 = 0`.execute(db)
    await sql`
      insert into cards (card_number, account_id, nik_hash, kk_hash, wave_id, status, issued_at, first_purchase_deadline)
      select lpad((${N}::bigint * 10 + i)::text, 16, '0'), md5('a' || i)::uuid,
        encode(sha256(convert_to('nik' || i, 'UTF8')), 'base64'), encode(sha256(convert_to('kk' || (i / 4), 'UTF8')), 'base64'),
        ${earlier.id}, 'active', now() - interval '60 days', now() - interval '30 days'
      from generate_series(1, ${N}::int) i where i % 500 = 7`.execute(db)
  }, db)
  await withoutSecondaryIndexes(db, 'registration_checks', () =>
    timed('registry checks (3 per account)', (db) =>
      sql`
        insert into registration_checks (account_id, round, kind, attempt, outcome, at)
        select md5('a' || i)::uuid, 1, k, 1, case when i % 97 = 0 and k = 'education' then 'failed' else 'passed' end, now()
        from generate_series(1, ${N}::int) i, unnest(array['civil_registry', 'education', 'exclusions']) k`.execute(db),
      db,
    ),
  )
  await timed('blacklist, priority list', async (db) => {
    await sql`
      insert into blacklist (nik_hash, reason, since)
      select encode(sha256(convert_to('nik' || i, 'UTF8')), 'base64'), 'no_purchase', now()
      from generate_series(1, ${N}::int) i where i % 1000 = 3`.execute(db)
    await sql`
      insert into wave_priority_entries (wave_id, nik_hash, group_code)
      select ${wave.id}, encode(sha256(convert_to('nik' || i, 'UTF8')), 'base64'), 'phk'
      from generate_series(1, ${N}::int) i where i % 20 = 0`.execute(db)
  }, db)
  await withoutSecondaryIndexes(db, 'wave_applications', () =>
    timed(
      `wave_applications (${fmt(N)})`,
      (db) =>
        sql`
          insert into wave_applications (wave_id, account_id, pseudonym, nik_hash, kk_hash, province_code, regency_code, other_programme, joined_at)
          select ${wave.id}, md5('a' || i)::uuid, 'K' || upper(substr(md5('p' || i), 1, 5)) || lpad(i::text, 8, '0'),
            encode(sha256(convert_to('nik' || i, 'UTF8')), 'base64'), encode(sha256(convert_to('kk' || (i / 4), 'UTF8')), 'base64'),
            r.province, r.regency, i % 50 = 11, now() - interval '5 days'
          from generate_series(1, ${N}::int) i
          join bench_regencies r on r.n = (hashtext('r' || (i / 4)) & 2147483647) % 514`.execute(db),
      db,
    ),
  )
  const v0 = performance.now()
  for (const t of ['accounts', 'registration_checks', 'cards', 'blacklist', 'wave_priority_entries', 'wave_applications']) {
    await sql`vacuum analyze ${sql.table(t)}`.execute(db)
  }
  console.log(`  vacuum analyze: ${secs(performance.now() - v0)}`)
  return { waveId: wave.id }
}

/** A kept database's wave back to 'closed', undrawn, with a fresh seed sealed under this run's key. */
async function reset(db: Db, identity: ReturnType<typeof createIdentityCipher>): Promise<{ waveId: string }> {
  const wave = await db.selectFrom('waves').select('id').where('code', '=', 'BENCH-1').executeTakeFirstOrThrow()
  const seed = newSeedHex()
  await db.deleteFrom('wave_draws').where('wave_id', '=', wave.id).execute()
  await db
    .updateTable('waves')
    .set({ status: 'closed', seed: null, drawn_at: null, commitment: seedCommitment(seed), seed_sealed: identity.encrypt(seed) })
    .where('id', '=', wave.id)
    .execute()
  const r = await sql`delete from wave_outcomes where wave_id = ${wave.id}`.execute(db)
  console.log(`  reset ${fmt(Number(r.numAffectedRows ?? 0))} outcomes`)
  const v0 = performance.now()
  // accounts too: a migration's backfill may have rewritten its rows since the last run.
  for (const t of ['wave_applications', 'wave_outcomes', 'accounts']) await sql`vacuum analyze ${sql.table(t)}`.execute(db)
  console.log(`  vacuum analyze: ${secs(performance.now() - v0)}`)
  return { waveId: wave.id }
}

/** The baseline: the same rows, a plain sort, streamed through a cursor in the same batches. */
async function plainSelect(db: Db, waveId: string): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now()
  let rows = 0
  await transaction(db, async (trx) => {
    await sql`set local work_mem = '256MB'`.execute(trx)
    await sql`
      declare bench_plain no scroll cursor for
      select id, pseudonym, province_code, regency_code, kk_hash from wave_applications where wave_id = ${waveId} order by nik_hash`.execute(trx)
    for (;;) {
      const r = await sql<{ id: number }>`fetch ${sql.raw(String(DRAW_BATCH))} from bench_plain`.execute(trx)
      rows += r.rows.length
      if (r.rows.length < DRAW_BATCH) break
    }
    await sql`close bench_plain`.execute(trx)
  })
  return { ms: performance.now() - t0, rows }
}

/** Peak RSS of this database's server processes (VmHWM; includes the shared buffers they touched). */
async function databaseBackendsPeak(db: Db): Promise<number | null> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)
  let peak = 0
  for (const { pid } of rows) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peak = Math.max(peak, Number(m[1]) * 1024)
    } catch {
      return null
    }
  }
  return peak
}

/**
 * CPU seconds used so far by this process and by this database's server processes (utime +
 * stime from /proc): on a shared machine the wall time moves with the other load, the CPU a
 * step needs much less, so the phases are also given in CPU seconds.
 */
const lastCpu = new Map<number, number>()
function cpuSeconds(pids: readonly number[]): { node: number; db: number | null } {
  const u = process.cpuUsage()
  let db: number | null = 0
  const tick = 100 // USER_HZ on Linux
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      lastCpu.set(pid, (Number(fields[11]) + Number(fields[12])) / tick)
    } catch {
      // A pooled connection that has ended: its last reading stands.
    }
    if (!lastCpu.has(pid)) db = null
    else if (db !== null) db += lastCpu.get(pid)!
  }
  return { node: (u.user + u.system) / 1e6, db }
}

async function backendPids(db: Db): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)
  return rows.map((r) => r.pid)
}

async function tempBytes(db: Db): Promise<number> {
  const { rows } = await sql<{ b: number }>`select temp_bytes::bigint as b from pg_stat_database where datname = current_database()`.execute(db)
  return Number(rows[0]?.b ?? 0)
}

async function main(): Promise<void> {
  console.log(`draw bench: ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${fmt(N)} applicants, ${fmt(PLACES)} places, 514 regencies`)
  if (!values.reuse) await admin(`create database ${dbName}`)
  const u = new URL(base)
  u.pathname = `/${dbName}`
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: 4 })
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-bench-draw-'))
  try {
    const { rows: v } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)
    console.log(`PostgreSQL ${v[0]!.v}, ${values.reuse ? 'kept' : 'throw-away'} database ${dbName}`)
    // A kept database (--reuse) gets the migrations added since it was set up; their time
    // (backfills included) is printed and not counted.
    const m0 = performance.now()
    const applied = await migrateToLatest(database.db)
    if (applied.length > 0 && values.reuse) console.log(`migrations applied to the kept database (not counted): ${applied.map((m) => m.migrationName).join(', ')} in ${secs(performance.now() - m0)}`)
    const identity = createIdentityCipher([{ id: 'bench', key: crypto.randomBytes(32) }], crypto.randomBytes(32))
    console.log('setup (not counted):')
    const t0 = performance.now()
    const { waveId } = values.reuse ? await reset(database.db, identity) : await setup(database.db, identity)
    console.log(`  total setup: ${secs(performance.now() - t0)}`)
    if (values['setup-only']) return

    await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(database.db)))
    const plainPids = await backendPids(database.db)
    const plainCpu0 = cpuSeconds(plainPids)
    const plain = await plainSelect(database.db, waveId)
    const plainCpu1 = cpuSeconds(plainPids)
    const rssAfterPlain = process.resourceUsage().maxRSS * 1024
    console.log(`plain SELECT … ORDER BY nik_hash over the wave's ${fmt(plain.rows)} applications, streamed in batches of ${fmt(DRAW_BATCH)}: ${secs(plain.ms)}, CPU ${(plainCpu1.node - plainCpu0.node).toFixed(1)} s Node + ${plainCpu0.db === null || plainCpu1.db === null ? '?' : (plainCpu1.db - plainCpu0.db).toFixed(1)} s database (Node peak RSS so far ${mib(rssAfterPlain)})`)

    const tempBefore = await tempBytes(database.db)
    // Open every pooled connection first, so the draw's backend is among the ones counted.
    await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(database.db)))
    const pids = await backendPids(database.db)
    const cpu0 = cpuSeconds(pids)
    let cpuMark = cpu0
    const cpuText = (a: { node: number; db: number | null }, b: { node: number; db: number | null }) =>
      `CPU ${(b.node - a.node).toFixed(1)} s Node + ${a.db === null || b.db === null ? '?' : (b.db - a.db).toFixed(1)} s database`
    const d0 = performance.now()
    const phases: string[] = []
    const trace = (p: string, ms: number) => {
      const now = cpuSeconds(pids)
      phases.push(`${p} ${secs(ms)} (${cpuText(cpuMark, now)})`)
      cpuMark = now
    }
    const summary = await runDraw({ db: database.db, clock: systemClock, identity, exportDir, trace }, waveId)
    const drawMs = performance.now() - d0
    const cpu1 = cpuSeconds(pids)
    const rss = process.resourceUsage().maxRSS * 1024
    const tempUsed = (await tempBytes(database.db)) - tempBefore
    const backends = await databaseBackendsPeak(database.db)
    const reasons = await sql<{ reason: string; n: number }>`
      select coalesce(ineligible_reason, outcome) as reason, count(*)::int as n from wave_outcomes where wave_id = ${waveId} group by 1 order by 2 desc`.execute(database.db)
    const exportBytes = fs.statSync(summary.exportPath).size

    console.log(`runDraw (eligibility + draw + writes + export), one transaction: ${secs(drawMs)}`)
    console.log(`  ${cpuText(cpu0, cpu1)} in all`)
    console.log(`  phases: ${phases.join('; ')}`)
    console.log(`  applicants ${fmt(summary.applicants)}, eligible ${fmt(summary.eligible)}, selected ${fmt(summary.selected)}`)
    console.log(`  outcomes: ${reasons.rows.map((r) => `${r.reason} ${fmt(r.n)}`).join(', ')}`)
    console.log(`  export ${path.basename(summary.exportPath)}: ${mib(exportBytes)} gzipped, sha256 ${summary.exportSha256.slice(0, 16)}…`)
    console.log(`  ratio draw / plain select: ${(drawMs / plain.ms).toFixed(2)} (wall), ${cpu0.db === null || cpu1.db === null || plainCpu0.db === null || plainCpu1.db === null ? '?' : ((cpu1.node - cpu0.node + cpu1.db - cpu0.db) / (plainCpu1.node - plainCpu0.node + plainCpu1.db - plainCpu0.db)).toFixed(2)} (CPU)`)
    console.log(`  Node peak RSS (process.resourceUsage().maxRSS, whole run): ${mib(rss)}`)
    console.log(`  database side: work_mem 256MB for the draw's sorts; temp files written during the draw ${mib(tempUsed)}; peak RSS of a server process ${backends === null ? 'not readable here' : mib(backends)} (includes shared buffers touched)`)
    console.log(`Goal: under ${GOAL_SECONDS} s and under 2 GiB: ${drawMs / 1000 < GOAL_SECONDS ? 'time MET' : 'time MISSED'} (${secs(drawMs)}), ${rss < GOAL_BYTES ? 'memory MET' : 'memory MISSED'} (${mib(rss)} in Node)`)

    if (values.verify) {
      const v0 = performance.now()
      const report = await verifyExportFile(summary.exportPath)
      console.log(`draw:verify on the export: ${report.ok ? 'MATCH' : `MISMATCH (${report.problemCount} problems)`} in ${secs(performance.now() - v0)}, Node peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`)
    }
  } finally {
    await database.close()
    fs.rmSync(exportDir, { recursive: true, force: true })
    if (!keep) await admin(`drop database if exists ${dbName} with (force)`)
    else console.log(`kept database ${dbName}`)
  }
}

await main()
