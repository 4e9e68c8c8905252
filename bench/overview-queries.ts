// Times each query of loadOverview for the reports bench's five filter sets with EXPLAIN ANALYZE, on a kept database:
//   npx tsx bench/overview-queries.ts karya_bench_reports_… (prints each query's time and the indexes its plan used)
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import pg from 'pg'
import { loadOverview } from '../src/modules/reports/overview.service.ts'
import { parseFilters, wibDay } from '../src/modules/reports/filters.ts'

const u = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
u.pathname = `/${process.argv[2]}`
const url = u.toString()
const captured: CompiledQuery[] = []
const pool = new pg.Pool({ connectionString: url, max: 2 })
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (e.level === 'query') captured.push(e.query) } })
const client = new pg.Client({ connectionString: url }); await client.connect()
const wave = (await client.query(`select id from waves where code = 'BENCH-R'`)).rows[0].id
const today = wibDay(new Date())
const longAgo = new Date(Date.now() - 185 * 86_400_000).toISOString().slice(0, 10)
const sets: Record<string, any> = { national30: {}, national180: { dari: longAgo }, province32: { dari: longAgo, provinsi: '32' }, regency3273: { dari: longAgo, kabupaten: '32.73' }, wave: { dari: longAgo, gelombang: wave } }
// In the order loadOverview issues them.
const names = ['totals', 'series', 'byArea', 'reasons', 'byArea payouts', 'byArea owed', 'totals owed', 'reasons complaints']
for (const [label, raw] of Object.entries(sets)) {
  const p = parseFilters(raw, today); if (!p.ok) throw new Error(label)
  captured.length = 0
  await loadOverview(db as any, p.filters)
  const out: string[] = []
  for (let i = 0; i < captured.length; i++) {
    const q = captured[i]!
    const res = await client.query({ text: `explain (analyze, buffers, format json) ${q.sql}`, values: q.parameters as any[] })
    const plan = res.rows[0]['QUERY PLAN'][0]
    const idx = new Set<string>()
    const walk = (n: any) => { if (n['Index Name']) idx.add(`${n['Node Type'].replace(' Scan', '')}:${n['Index Name']}`); else if (n['Node Type'].includes('Seq')) idx.add('Seq'); (n.Plans ?? []).forEach(walk) }
    walk(plan.Plan)
    out.push(`  ${names[i] ?? i}: ${plan['Execution Time'].toFixed(0)} ms [${[...idx].join(', ')}]`)
  }
  console.log(`${label}:\n${out.join('\n')}`)
}
await client.end(); await db.destroy()
