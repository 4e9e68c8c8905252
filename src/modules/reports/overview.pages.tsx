/**
 * The PMO console's overview (/pmo/ringkasan): filters, the funnel and the time series as
 * SVG, each followed by its table and a CSV export, the areas and the reasons. Officers
 * (and any account with a region) see only their region; auditors read everything and
 * change nothing.
 */
import { Readable } from 'node:stream'
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { record } from '../../platform/audit/index.ts'
import { transaction } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { listProvinces, listRegencies } from '../regions/index.ts'
import { attachmentName, csvLine } from './csv.ts'
import { filtersQuery, parseFilters, scopeToRegion, wibDay, type RawFilters, type ReportFilters } from './filters.ts'
import { areaName, FUNNEL, loadOverview, PAYOUT_METRICS, SERIES } from './overview.service.ts'
import { tableData, type TableName } from './overview.tables.ts'
import { ChartSection, DataTable } from './report-parts.tsx'
import { requestRefresh } from './reports.jobs.ts'
import * as repo from './reports.repository.ts'
import { channelName, metricName } from './reports.texts.ts'
import { barChart, lineChart } from './svg-chart.ts'

export const CONSOLE_READERS = ['pmo_admin', 'auditor', 'officer'] as const
/** Rows per page of the raw-facts export: one page is all the export ever holds. */
export const EXPORT_PAGE = 5_000

const T = {
  title: { id: 'Ringkasan program', en: 'Programme overview' },
  filters: { id: 'Saring', en: 'Filters' },
  from: { id: 'Dari tanggal (TTTT-BB-HH)', en: 'From (YYYY-MM-DD)' },
  to: { id: 'Sampai tanggal (TTTT-BB-HH)', en: 'To (YYYY-MM-DD)' },
  wave: { id: 'Gelombang', en: 'Wave' },
  province: { id: 'Provinsi', en: 'Province' },
  regency: { id: 'Kabupaten/kota', en: 'Regency or city' },
  all: { id: 'Semua', en: 'All' },
  apply: { id: 'Tampilkan', en: 'Show' },
  yourRegion: { id: 'Wilayah Anda: {r}. Akun Anda hanya melihat data wilayah ini.', en: 'Your region: {r}. Your account sees only this region\'s data.' },
  funnel: { id: 'Corong: dari pendaftaran sampai sertifikat', en: 'Funnel: from registration to certificate' },
  funnelSummary: { id: '{a} pendaftar baru, {b} sertifikat terbit dalam rentang ini.', en: '{a} new registrations, {b} certificates issued in this range.' },
  series: { id: 'Dari waktu ke waktu (per {b})', en: 'Over time (per {b})' },
  areas: { id: 'Per wilayah', en: 'By area' },
  reasons: { id: 'Pemeriksaan, tidak memenuhi syarat dan pencabutan, menurut alasan', en: 'Checks, ineligibility and revocations by reason' },
  raw: { id: 'Semua fakta harian dalam filter ini (CSV, bisa jutaan baris)', en: 'Every daily fact in these filters (CSV, may be millions of rows)' },
  updated: { id: 'Data diperbarui: {at} ({mode}, {ms} ms, {rows} baris).', en: 'Data refreshed: {at} ({mode}, {ms} ms, {rows} rows).' },
  never: { id: 'Data ringkasan belum pernah dihitung. Minta pembaruan di bawah, atau tunggu pembaruan malam (01.00 WIB).', en: 'The summary has never been computed. Ask for a refresh below, or wait for the nightly one (01:00 WIB).' },
  refresh: { id: 'Perbarui sekarang (35 hari terakhir)', en: 'Refresh now (last 35 days)' },
  refreshFull: { id: 'Hitung ulang semuanya', en: 'Recompute everything' },
  queued: { id: 'Pembaruan dijadwalkan dan berjalan di latar belakang. Muat ulang halaman ini sebentar lagi.', en: 'The refresh is queued and runs in the background. Reload this page in a moment.' },
  money: { id: 'Keuangan program', en: 'Programme money' },
  incentives: { id: 'Insentif: dijadwalkan, dikirim, diterima, gagal', en: 'Incentives: scheduled, sent, paid, failed' },
  incentivesSummary: { id: 'Rp {paid} dibayar dalam rentang ini; Rp {owed} belum dibayar pada {to}.', en: 'Rp {paid} paid in this range; Rp {owed} outstanding on {to}.' },
  complaints: { id: 'Pengaduan per saluran', en: 'Complaints by channel' },
  complaintsSummary: { id: '{a} pengaduan masuk, {b} ditutup dalam rentang ini.', en: '{a} complaints opened, {b} closed in this range.' },
  staff: { id: 'Staf dan mitra', en: 'Staff and partners' },
  integrity: { id: 'Integritas', en: 'Integrity' },
  day: { id: 'hari', en: 'day' },
  week: { id: 'minggu', en: 'week' },
  month: { id: 'bulan', en: 'month' },
}

const text = Type.Optional(Type.String({ maxLength: 40 }))
const FilterQuery = Type.Object({ dari: text, sampai: text, gelombang: text, provinsi: text, kabupaten: text, diperbarui: Type.Optional(Type.Literal('1')) })

type Resolved = { ok: true; filters: ReportFilters } | { ok: false; errors: FieldError[]; filters: ReportFilters }

/** Parses the filters and applies the viewer's region; another region's data is refused outright. */
export function resolveFilters(req: FastifyRequest, today: string): Resolved {
  const parsed = parseFilters(req.query as RawFilters, today)
  const scoped = scopeToRegion(parsed.filters, req.account!.regionCode)
  if (!scoped.ok) throw new AppError('REPORT_REGION_FORBIDDEN')
  return parsed.ok ? { ok: true, filters: scoped.filters } : { ok: false, errors: parsed.errors, filters: scoped.filters }
}

function FilterForm(props: { l: Locale; f: ReportFilters; raw: RawFilters; errors: readonly FieldError[]; waves: Array<{ id: string; name: string }>; region: string | null }): JSX.Element {
  const { l, f, errors } = props
  const err = (name: string) => errors.find((e) => e.field === name)
  const dateField = (name: 'dari' | 'sampai', label: string, value: string) => (
    <div class={err(name) ? 'has-error' : ''}>
      <label for={name} safe>{label}</label>
      {err(name) ? <span class="field-error" id={`${name}-error`} safe>{err(name)![l]}</span> : ''}
      <input id={name} name={name} type="date" value={value} aria-invalid={err(name) ? 'true' : undefined} aria-describedby={err(name) ? `${name}-error` : undefined} />
    </div>
  )
  return (
    <form method="get" action="/pmo/ringkasan" class="filters">
      <fieldset>
        <legend safe>{tr(l, T.filters)}</legend>
        {dateField('dari', tr(l, T.from), props.raw.dari ?? f.from)}
        {dateField('sampai', tr(l, T.to), props.raw.sampai ?? f.to)}
        <div>
          <label for="gelombang" safe>{tr(l, T.wave)}</label>
          <select id="gelombang" name="gelombang">
            <option value="" safe>{tr(l, T.all)}</option>
            {props.waves.map((w) => (
              <option value={w.id} selected={f.waveId === w.id} safe>{w.name}</option>
            ))}
          </select>
        </div>
        {props.region ? (
          <p class="notice" safe>{tr(l, T.yourRegion, { r: areaName(props.region) })}</p>
        ) : (
          <>
            <div>
              <label for="provinsi" safe>{tr(l, T.province)}</label>
              <select id="provinsi" name="provinsi">
                <option value="" safe>{tr(l, T.all)}</option>
                {listProvinces().map((p) => (
                  <option value={p.code} selected={f.province === p.code} safe>{p.name}</option>
                ))}
              </select>
            </div>
            {f.province ? (
              <div>
                <label for="kabupaten" safe>{tr(l, T.regency)}</label>
                <select id="kabupaten" name="kabupaten">
                  <option value="" safe>{tr(l, T.all)}</option>
                  {listRegencies(f.province).map((r) => (
                    <option value={r.code} selected={f.regency === r.code} safe>{r.name}</option>
                  ))}
                </select>
              </div>
            ) : (
              ''
            )}
          </>
        )}
        <button type="submit" safe>{tr(l, T.apply)}</button>
      </fieldset>
    </form>
  )
}

export function registerOverviewPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const today = () => wibDay(deps.clock.now())

  app.get('/pmo/ringkasan', { config: { access: CONSOLE_READERS }, schema: { hide: true, querystring: FilterQuery } }, async (req, reply) => {
    const resolved = resolveFilters(req, today())
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const a = req.account!
    const [waves, last] = [await repo.waveOptions(db), await repo.latestRefresh(db)]
    const f = resolved.filters
    const o = resolved.ok ? await loadOverview(db, f) : null
    const q = filtersQuery(f)
    if (!resolved.ok) reply.code(400)
    const fmt = (n: number) => n.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB')
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <ErrorSummary locale={l} fields={resolved.ok ? [] : resolved.errors} />
        {(req.query as { diperbarui?: string }).diperbarui ? <p class="notice" role="status" safe>{tr(l, T.queued)}</p> : ''}
        <p class="muted" safe>
          {last
            ? tr(l, T.updated, { at: formatDateTime(l, last.finished_at), mode: last.mode, ms: last.duration_ms, rows: fmt(last.rows_written) })
            : tr(l, T.never)}
        </p>
        <FilterForm l={l} f={f} raw={req.query as RawFilters} errors={resolved.ok ? [] : resolved.errors} waves={waves} region={a.regionCode} />
        {o ? (
          <>
            <ChartSection
              l={l}
              id="corong"
              title={tr(l, T.funnel)}
              safeSvg={barChart(
                { title: tr(l, T.funnel), summary: tr(l, T.funnelSummary, { a: fmt(o.totals.get('registered') ?? 0), b: fmt(o.totals.get('certified') ?? 0) }), formatValue: fmt },
                FUNNEL.map((m) => ({ label: metricName(m, l), value: o.totals.get(m) ?? 0 })),
              )}
              table={tableData('corong', o, l)}
              csvHref={`/pmo/ringkasan/ekspor/corong.csv?${q}`}
            />
            <ChartSection
              l={l}
              id="deret"
              title={tr(l, T.series, { b: tr(l, T[o.bucket]) })}
              safeSvg={lineChart(
                { title: tr(l, T.series, { b: tr(l, T[o.bucket]) }), formatValue: fmt },
                o.buckets,
                SERIES.map((m) => ({ name: metricName(m, l), values: o.series.get(m)! })),
              )}
              table={tableData('deret', o, l)}
              csvHref={`/pmo/ringkasan/ekspor/deret.csv?${q}`}
            />
            <ChartSection
              l={l}
              id="insentif"
              title={tr(l, T.incentives)}
              safeSvg={barChart(
                { title: tr(l, T.incentives), summary: tr(l, T.incentivesSummary, { paid: fmt(o.totals.get('paid_rp') ?? 0), owed: fmt(o.outstanding), to: f.to }), formatValue: fmt },
                PAYOUT_METRICS.map((m) => ({ label: metricName(m, l), value: o.totals.get(m) ?? 0 })),
              )}
              table={tableData('insentif', o, l)}
              csvHref={`/pmo/ringkasan/ekspor/insentif.csv?${q}`}
            />
            <p safe>{tr(l, T.incentivesSummary, { paid: fmt(o.totals.get('paid_rp') ?? 0), owed: fmt(o.outstanding), to: f.to })}</p>
            <ChartSection
              l={l}
              id="pengaduan"
              title={tr(l, T.complaints)}
              safeSvg={barChart(
                { title: tr(l, T.complaints), summary: tr(l, T.complaintsSummary, { a: fmt(o.totals.get('complaint_opened') ?? 0), b: fmt(o.totals.get('complaint_closed') ?? 0) }), formatValue: fmt },
                o.channels.map((c) => ({ label: channelName(c.channel, l), value: c.values.complaint_opened ?? 0 })),
              )}
              table={tableData('pengaduan', o, l)}
              csvHref={`/pmo/ringkasan/ekspor/pengaduan.csv?${q}`}
            />
            <section aria-labelledby="wilayah-title">
              <h2 id="wilayah-title" safe>{tr(l, T.areas)}</h2>
              <DataTable l={l} caption={tr(l, T.areas)} table={tableData('wilayah', o, l)} />
              <p><a href={`/pmo/ringkasan/ekspor/wilayah.csv?${q}`} download="" safe>{tr(l, { id: 'Unduh tabel ini (CSV)', en: 'Download this table (CSV)' })}</a></p>
            </section>
            <section aria-labelledby="alasan-title">
              <h2 id="alasan-title" safe>{tr(l, T.reasons)}</h2>
              <DataTable l={l} caption={tr(l, T.reasons)} table={tableData('alasan', o, l)} />
              <p><a href={`/pmo/ringkasan/ekspor/alasan.csv?${q}`} download="" safe>{tr(l, { id: 'Unduh tabel ini (CSV)', en: 'Download this table (CSV)' })}</a></p>
            </section>
            <p><a href={`/pmo/ringkasan/ekspor/fakta.csv?${q}`} download="" safe>{tr(l, T.raw)}</a></p>
          </>
        ) : (
          ''
        )}
        <p>
          <a href="/pmo/keuangan" safe>{tr(l, T.money)}</a>
          {a.role === 'officer' ? '' : <> · <a href="/pmo/integritas" safe>{tr(l, T.integrity)}</a> · <a href="/pmo/staf" safe>{tr(l, T.staff)}</a></>}
        </p>
        {a.role === 'pmo_admin' ? (
          <form method="post" action="/pmo/ringkasan/segarkan" class="inline">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" name="mode" value="recent" safe>{tr(l, T.refresh)}</button>{' '}
            <button type="submit" name="mode" value="full" class="secondary" safe>{tr(l, T.refreshFull)}</button>
          </form>
        ) : (
          ''
        )}
      </Layout>,
    )
  })

  app.get(
    '/pmo/ringkasan/ekspor/:file',
    { config: { access: CONSOLE_READERS }, schema: { hide: true, querystring: FilterQuery, params: Type.Object({ file: Type.String({ pattern: '^(corong|deret|wilayah|alasan|insentif|pengaduan|fakta)\\.csv$' }) }) } },
    async (req, reply) => {
      const resolved = resolveFilters(req, today())
      if (!resolved.ok) throw new AppError('REPORT_RANGE_INVALID', { fields: resolved.errors })
      const f = resolved.filters
      const name = (req.params as { file: string }).file.replace(/\.csv$/, '')
      const a = req.account!
      await record(db, { actorId: a.id, actorRole: a.role, action: 'reports.exported', subjectType: 'reports', subjectId: name, details: { ...f }, requestId: String(req.id), ip: req.ip }, deps.clock)
      return sendCsv(reply, `karya-${name}-${f.from}-${f.to}.csv`, name === 'fakta' ? factRows(deps, f) : tableRows(deps, f, name as TableName, req.locale))
    },
  )

  app.post(
    '/pmo/ringkasan/segarkan',
    { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Type.Object({ _csrf: Type.String(), mode: Type.Union([Type.Literal('recent'), Type.Literal('full')]) }) } },
    async (req, reply) => {
      const a = req.account!
      const mode = (req.body as { mode: 'recent' | 'full' }).mode
      await transaction(db, (trx) => requestRefresh(deps.jobs, trx, mode, { accountId: a.id, role: a.role, requestId: String(req.id), ip: req.ip }))
      return reply.redirect('/pmo/ringkasan?diperbarui=1', 303)
    },
  )
}

/** Streams lines as the client reads them: Readable.from pulls the generator only on demand. */
export function sendCsv(reply: FastifyReply, fileName: string, lines: AsyncIterable<string>): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', attachmentName(fileName))
    .header('cache-control', 'no-store')
    .send(Readable.from(lines))
}

async function* tableRows(deps: AppDeps, f: ReportFilters, name: TableName, l: Locale): AsyncGenerator<string> {
  // Aggregates: at most days × metrics or areas × metrics rows, already summed in SQL.
  const t = tableData(name, await loadOverview(deps.database.db, f), l)
  yield csvLine(t.head)
  for (const r of t.rows) yield csvLine(r)
}

/** The raw facts, one keyset page at a time: memory stays one page whatever the size. */
export async function* factRows(deps: Pick<AppDeps, 'database'>, f: ReportFilters, pageSize = EXPORT_PAGE): AsyncGenerator<string> {
  yield csvLine(['day', 'metric', 'wave_id', 'province_code', 'regency_code', 'reason', 'value'])
  let after: repo.FactKey | null = null
  for (;;) {
    const page = await repo.factsPage(deps.database.db, f, after, pageSize)
    if (page.length > 0) yield page.map((r) => csvLine([r.day, r.metric, r.wave_id, r.province_code, r.regency_code, r.reason, Number(r.value)])).join('')
    if (page.length < pageSize) return
    after = page[page.length - 1]!
  }
}
