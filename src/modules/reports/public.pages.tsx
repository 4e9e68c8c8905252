/**
 * The public transparency pages, no login: /status (is registration open, the next wave's
 * dates, "notify me" through the waves module, every wave's commitment and seed with its
 * own page, export and verify command) and /statistik (participants, waves, completion
 * and incentive rates by province, complaints and answer times by channel, from the daily
 * facts with the date of their last refresh). Light: no
 * script, one stylesheet, SVG drawn on the server.
 */
import Html from '@kitajs/html'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { formatDateTime, tr } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { areaName, average, CHANNELS, COMPLAINT_METRICS, rate } from './overview.service.ts'
import type { TableData } from './overview.tables.ts'
import { ChartSection, DataTable } from './report-parts.tsx'
import * as repo from './reports.repository.ts'
import { channelName, metricName } from './reports.texts.ts'
import { barChart, lineChart } from './svg-chart.ts'

const STAT_METRICS = ['registered', 'applied', 'selected', 'bought', 'completed', 'certified'] as const
const INCENTIVE_STATS = ['payout_scheduled', 'payout_paid', 'paid_rp'] as const

const T = {
  status: { id: 'Status program', en: 'Programme status' },
  open: { id: 'Pendaftaran gelombang {name} DIBUKA sampai {to}.', en: 'Registration for {name} is OPEN until {to}.' },
  closed: { id: 'Pendaftaran gelombang sedang DITUTUP.', en: 'Wave registration is CLOSED.' },
  next: { id: 'Gelombang berikutnya: {name}, dibuka {from} sampai {to}.', en: 'Next wave: {name}, open from {from} to {to}.' },
  noNext: { id: 'Jadwal gelombang berikutnya belum diumumkan.', en: 'The next wave has not been announced yet.' },
  notify: { id: 'Kabari saya saat gelombang dibuka', en: 'Tell me when a wave opens' },
  notifyLogin: { id: 'Masuk atau daftar untuk dikabari lewat e-mail, SMS dan kotak masuk saat gelombang dibuka.', en: 'Log in or sign up to be told by e-mail, SMS and inbox when a wave opens.' },
  login: { id: 'Masuk', en: 'Log in' },
  signup: { id: 'Daftar', en: 'Sign up' },
  waves: { id: 'Undian setiap gelombang', en: 'Each wave\'s draw' },
  wavesHint: {
    id: 'Sebelum pendaftaran dibuka kami mengumumkan komitmen (SHA-256 dari benih rahasia). Setelah undian, benih dan berkas hasil diumumkan, dan siapa pun bisa menghitung ulang pemenangnya.',
    en: 'Before registration opens we publish a commitment (the SHA-256 of a secret seed). After the draw the seed and the result file are published, and anyone can recompute the winners.',
  },
  wave: { id: 'Gelombang', en: 'Wave' },
  commitment: { id: 'Komitmen', en: 'Commitment' },
  seed: { id: 'Benih', en: 'Seed' },
  check: { id: 'Periksa', en: 'Verify' },
  notDrawn: { id: 'belum diundi', en: 'not drawn yet' },
  details: { id: 'Rincian, kuota dan cara memeriksa', en: 'Details, quotas and how to verify' },
  export: { id: 'Berkas hasil', en: 'Result file' },
  certificate: { id: 'Periksa keaslian sertifikat pelatihan', en: 'Check a training certificate' },
  statsLink: { id: 'Statistik program', en: 'Programme statistics' },
  stats: { id: 'Statistik program', en: 'Programme statistics' },
  updated: { id: 'Diperbarui setiap hari. Pembaruan terakhir: {at}.', en: 'Updated daily. Last refresh: {at}.' },
  notYet: { id: 'Statistik belum dihitung. Data muncul setelah pembaruan harian pertama.', en: 'The statistics have not been computed yet. They appear after the first daily refresh.' },
  totals: { id: 'Sejak awal program', en: 'Since the programme began' },
  measure: { id: 'Ukuran', en: 'Measure' },
  count: { id: 'Jumlah', en: 'Count' },
  byProvince: { id: 'Penerima dan tingkat penyelesaian per provinsi', en: 'Recipients and completion rate by province' },
  province: { id: 'Provinsi', en: 'Province' },
  completion: { id: 'Tingkat penyelesaian (%)', en: 'Completion rate (%)' },
  selectedChart: { id: 'Penerima kartu per provinsi', en: 'Card recipients by province' },
  byMonth: { id: 'Per bulan', en: 'By month' },
  month: { id: 'Bulan', en: 'Month' },
  wavesHeld: { id: 'Gelombang yang sudah diundi', en: 'Waves drawn' },
  incentives: { id: 'Insentif per provinsi', en: 'Incentives by province' },
  incentiveRate: { id: 'Insentif dibayar dari yang dijadwalkan (%)', en: 'Incentives paid of scheduled (%)' },
  complaints: { id: 'Pengaduan dan waktu jawab per saluran', en: 'Complaints and answer times by channel' },
  channel: { id: 'Saluran', en: 'Channel' },
  firstResponse: { id: 'Rata-rata sampai jawaban pertama (jam)', en: 'Average time to first answer (hours)' },
  resolution: { id: 'Rata-rata sampai selesai (jam)', en: 'Average time to resolution (hours)' },
}

export function registerPublicReportPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  app.get('/status', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const now = deps.clock.now()
    const waves = await repo.publicWaves(db)
    const open = waves.find((w) => w.status === 'open' && new Date(w.closes_at) > now)
    const next = waves.filter((w) => w.status === 'committed' && new Date(w.opens_at) > now).sort((a, b) => +new Date(a.opens_at) - +new Date(b.opens_at))[0]
    const isParticipant = ctx.account?.role === 'participant'
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.status)}>
        <h1 safe>{tr(l, T.status)}</h1>
        <p class="notice" role="status">
          <strong safe>{open ? tr(l, T.open, { name: open.name, to: formatDateTime(l, new Date(open.closes_at)) }) : tr(l, T.closed)}</strong>
        </p>
        <p safe>{next ? tr(l, T.next, { name: next.name, from: formatDateTime(l, new Date(next.opens_at)), to: formatDateTime(l, new Date(next.closes_at)) }) : tr(l, T.noNext)}</p>
        {isParticipant ? (
          <form method="post" action="/gelombang/kabari">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" safe>{tr(l, T.notify)}</button>
          </form>
        ) : ctx.account ? (
          ''
        ) : (
          <p>
            <span safe>{tr(l, T.notifyLogin)}</span> <a href="/masuk" safe>{tr(l, T.login)}</a> · <a href="/daftar" safe>{tr(l, T.signup)}</a>
          </p>
        )}
        <h2 safe>{tr(l, T.waves)}</h2>
        <p safe>{tr(l, T.wavesHint)}</p>
        {waves.map((w) => {
          const href = `/gelombang/${encodeURIComponent(w.code)}`
          // The file name the draw gives its export (waves/draw/draw.service.ts), so the command works as shown.
          const file = `undian-${w.code.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson.gz`
          return (
            <section class="wave-draw" aria-labelledby={`w-${w.code}`}>
              <h3 id={`w-${w.code}`} safe>{w.name}</h3>
              <dl style="word-break:break-all">
                <dt safe>{tr(l, T.commitment)}</dt>
                <dd><code safe>{w.commitment ?? '–'}</code></dd>
                <dt safe>{tr(l, T.seed)}</dt>
                <dd>{w.status === 'drawn' && w.seed ? <code safe>{w.seed}</code> : <span safe>{tr(l, T.notDrawn)}</span>}</dd>
                {w.status === 'drawn' && w.export_sha256 ? (
                  <>
                    <dt safe>{tr(l, T.export)}</dt>
                    <dd>
                      <a href={`${href}/ekspor`} download={file} safe>{file}</a> <span class="muted">SHA-256</span> <code safe>{w.export_sha256}</code>
                    </dd>
                    <dt safe>{tr(l, T.check)}</dt>
                    <dd><pre safe>{`npm run draw:verify -- ${file}`}</pre></dd>
                  </>
                ) : (
                  ''
                )}
              </dl>
              <p><a href={href} safe>{tr(l, T.details)}</a></p>
            </section>
          )
        })}
        <p><a href="/sertifikat" safe>{tr(l, T.certificate)}</a></p>
        <p><a href="/statistik" safe>{tr(l, T.statsLink)}</a></p>
      </Layout>,
    )
  })

  app.get('/statistik', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fmt = (n: number) => n.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB')
    const last = await repo.latestRefresh(db)
    const [provinceRows, monthRows, waves] = [await repo.allTimeByProvince(db, STAT_METRICS), await repo.allTimeByMonth(db, STAT_METRICS), await repo.publicWaves(db)]
    const totals = new Map<string, number>()
    const provinces = new Map<string, Record<string, number>>()
    for (const r of provinceRows) {
      totals.set(r.metric, (totals.get(r.metric) ?? 0) + Number(r.value))
      const p = provinces.get(r.province_code) ?? {}
      p[r.metric] = Number(r.value)
      provinces.set(r.province_code, p)
    }
    const totalsTable: TableData = {
      head: [tr(l, T.measure), tr(l, T.count)],
      rows: [...STAT_METRICS.map((m) => [metricName(m, l), totals.get(m) ?? 0] as const), [tr(l, T.wavesHeld), waves.filter((w) => w.status === 'drawn').length] as const],
    }
    const named = [...provinces].filter(([code]) => code !== '').map(([code, v]) => ({ code, name: areaName(code), v }))
    const provinceTable: TableData = {
      head: [tr(l, T.province), ...STAT_METRICS.map((m) => metricName(m, l)), tr(l, T.completion)],
      rows: named.map((p) => [p.name, ...STAT_METRICS.map((m) => p.v[m] ?? 0), rate(p.v.completed, p.v.bought)]),
    }
    const payoutRows = await repo.allTimeByProvince(db, INCENTIVE_STATS)
    const payouts = new Map<string, Record<string, number>>()
    for (const r of payoutRows) payouts.set(r.province_code, { ...(payouts.get(r.province_code) ?? {}), [r.metric]: Number(r.value) })
    const payoutNamed = [...payouts].filter(([code]) => code !== '').map(([code, v]) => ({ name: areaName(code), v, rate: rate(v.payout_paid, v.payout_scheduled) }))
    const incentiveTable: TableData = {
      head: [tr(l, T.province), ...INCENTIVE_STATS.map((m) => metricName(m, l)), tr(l, T.incentiveRate)],
      rows: payoutNamed.map((p) => [p.name, ...INCENTIVE_STATS.map((m) => p.v[m] ?? 0), p.rate]),
    }
    const channels = new Map<string, Record<string, number>>(CHANNELS.map((c) => [c, {}]))
    for (const r of await repo.allTimeByReason(db, COMPLAINT_METRICS)) channels.set(r.reason, { ...(channels.get(r.reason) ?? {}), [r.metric]: Number(r.value) })
    const channelTable: TableData = {
      head: [tr(l, T.channel), metricName('complaint_opened', l), metricName('complaint_closed', l), tr(l, T.firstResponse), tr(l, T.resolution)],
      rows: [...channels].map(([c, v]) => [channelName(c, l), v.complaint_opened ?? 0, v.complaint_closed ?? 0, average(v.first_response_min, v.first_response_n, 60), average(v.resolution_min, v.resolution_n, 60)]),
    }
    const months = [...new Set(monthRows.map((r) => r.month))]
    const monthValue = (mo: string, m: string) => Number(monthRows.find((r) => r.month === mo && r.metric === m)?.value ?? 0)
    const monthTable: TableData = { head: [tr(l, T.month), ...STAT_METRICS.map((m) => metricName(m, l))], rows: months.map((mo) => [mo, ...STAT_METRICS.map((m) => monthValue(mo, m))]) }
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.stats)}>
        <h1 safe>{tr(l, T.stats)}</h1>
        <p class="muted" safe>{last ? tr(l, T.updated, { at: formatDateTime(l, last.finished_at) }) : tr(l, T.notYet)}</p>
        <h2 safe>{tr(l, T.totals)}</h2>
        <DataTable l={l} caption={tr(l, T.totals)} table={totalsTable} />
        <ChartSection
          l={l}
          id="provinsi"
          title={tr(l, T.byProvince)}
          safeSvg={barChart({ title: tr(l, T.selectedChart), formatValue: fmt }, named.map((p) => ({ label: p.name, value: p.v.selected ?? 0 })))}
          table={provinceTable}
        />
        <ChartSection
          l={l}
          id="bulanan"
          title={tr(l, T.byMonth)}
          safeSvg={lineChart({ title: tr(l, T.byMonth), formatValue: fmt }, months, (['registered', 'selected', 'completed'] as const).map((m) => ({ name: metricName(m, l), values: months.map((mo) => monthValue(mo, m)) })))}
          table={monthTable}
        />
        <ChartSection
          l={l}
          id="insentif"
          title={tr(l, T.incentives)}
          safeSvg={barChart({ title: tr(l, T.incentiveRate), formatValue: (n) => `${n.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB')} %` }, payoutNamed.map((p) => ({ label: p.name, value: p.rate ?? 0 })))}
          table={incentiveTable}
        />
        <ChartSection
          l={l}
          id="pengaduan"
          title={tr(l, T.complaints)}
          safeSvg={barChart({ title: tr(l, T.complaints), formatValue: fmt }, [...channels].map(([c, v]) => ({ label: channelName(c, l), value: v.complaint_opened ?? 0 })))}
          table={channelTable}
        />
        <p><a href="/status" safe>{tr(l, T.status)}</a> · <a href="/sertifikat" safe>{tr(l, T.certificate)}</a></p>
      </Layout>,
    )
  })
}
