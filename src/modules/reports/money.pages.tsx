/**
 * The money page (/pmo/keuangan): balances by kind of ledger account (the programme fund,
 * balances outstanding, forfeited), credited / forfeited / returned by month from the
 * daily facts, and the latest ledger invariant check. Payouts by partner and state
 * belong to the incentives module (#8): a `MoneySection` it appends to MONEY_SECTIONS is
 * drawn here when it has data; until then nothing stands in its place.
 */
import Html from '@kitajs/html'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import type { Executor } from '../../platform/db/database.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { formatRupiah, latestCheck } from '../ledger/index.ts'
import { ChartSection, DataTable } from './report-parts.tsx'
import type { TableData } from './overview.tables.ts'
import * as repo from './reports.repository.ts'
import { metricName } from './reports.texts.ts'
import { MONEY_METRICS } from './overview.service.ts'
import { lineChart } from './svg-chart.ts'

/** A block of the money page contributed by another module; null from `load` = nothing to show. */
export interface MoneySection {
  readonly id: string
  readonly title: Text
  load(ex: Executor, l: Locale): Promise<TableData | null>
}

const T = {
  title: { id: 'Keuangan program', en: 'Programme money' },
  balances: { id: 'Saldo menurut jenis rekening', en: 'Balances by kind of account' },
  kind: { id: 'Jenis rekening', en: 'Kind of account' },
  accounts: { id: 'Rekening', en: 'Accounts' },
  posted: { id: 'Saldo', en: 'Balance' },
  held: { id: 'Ditahan', en: 'Held' },
  byMonth: { id: 'Saldo diberikan, hangus dan dikembalikan, per bulan', en: 'Balance credited, forfeited and returned, by month' },
  month: { id: 'Bulan', en: 'Month' },
  check: { id: 'Pemeriksaan buku besar terakhir', en: 'Latest ledger check' },
  ok: { id: 'Seimbang ({accounts} rekening, {transfers} transaksi), diperiksa {at} oleh {source}.', en: 'Balanced ({accounts} accounts, {transfers} transfers), checked {at} by {source}.' },
  bad: { id: 'TIDAK SEIMBANG: {n} masalah, diperiksa {at}. Buka halaman dana program untuk rinciannya.', en: 'NOT BALANCED: {n} problems, checked {at}. Open the programme fund page for details.' },
  never: { id: 'Buku besar belum pernah diperiksa.', en: 'The ledger has not been checked yet.' },
  fundPage: { id: 'Dana program: pergerakan dan pemeriksaan (npm run ledger:check)', en: 'Programme fund: movements and checks (npm run ledger:check)' },
  none: { id: 'Belum ada rekening di buku besar.', en: 'No ledger accounts yet.' },
}

const ACCOUNT_KINDS: Record<string, Text> = {
  state_budget: { id: 'Anggaran negara (sumber dana)', en: 'State budget (source of funds)' },
  programme_fund: { id: 'Dana program', en: 'Programme fund' },
  participant_training: { id: 'Saldo pelatihan peserta yang belum terpakai', en: 'Participants\' unspent training balances' },
  participant_incentive: { id: 'Insentif peserta yang belum dibayar', en: 'Participants\' unpaid incentives' },
  platform_receivable: { id: 'Tagihan ke platform', en: 'Receivable from platforms' },
  platform_payable: { id: 'Utang ke platform', en: 'Payable to platforms' },
  payout_clearing: { id: 'Pembayaran insentif dalam proses', en: 'Incentive payouts in progress' },
  forfeited: { id: 'Saldo hangus (belum kembali ke dana)', en: 'Forfeited (not yet back in the fund)' },
  settlement: { id: 'Bank penyelesaian', en: 'Settlement bank' },
}

export function registerMoneyPages(app: FastifyInstance, deps: AppDeps, sections: readonly MoneySection[]): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  app.get('/pmo/keuangan', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const rp = (n: number) => formatRupiah(l, n)
    const balances = await repo.balancesByAccountType(db)
    const months = await repo.allTimeByMonth(db, MONEY_METRICS)
    const check = await latestCheck(db)
    const extra: Array<{ s: MoneySection; table: TableData }> = []
    for (const s of sections) {
      const table = await s.load(db, l)
      if (table) extra.push({ s, table })
    }
    const monthKeys = [...new Set(months.map((m) => m.month))]
    const value = (month: string, metric: string) => Number(months.find((m) => m.month === month && m.metric === metric)?.value ?? 0)
    const byMonth: TableData = {
      head: [tr(l, T.month), ...MONEY_METRICS.map((m) => metricName(m, l))],
      rows: monthKeys.map((mo) => [mo, ...MONEY_METRICS.map((m) => value(mo, m))]),
    }
    const balanceTable: TableData = {
      head: [tr(l, T.kind), tr(l, T.accounts), tr(l, T.posted), tr(l, T.held)],
      rows: balances.map((b) => [ACCOUNT_KINDS[b.type] ? tr(l, ACCOUNT_KINDS[b.type]!) : b.type, Number(b.accounts), rp(Number(b.posted)), rp(Number(b.held))]),
    }
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <h2 safe>{tr(l, T.check)}</h2>
        {check ? (
          <p>
            <span class={check.ok ? 'status ok' : 'status bad'} safe>
              {check.ok
                ? tr(l, T.ok, { accounts: check.report.accounts, transfers: check.report.transfers, at: formatDateTime(l, check.at), source: check.source })
                : tr(l, T.bad, { n: check.report.problemCount, at: formatDateTime(l, check.at) })}
            </span>
          </p>
        ) : (
          <p safe>{tr(l, T.never)}</p>
        )}
        <p><a href="/pmo/dana" safe>{tr(l, T.fundPage)}</a></p>
        <h2 safe>{tr(l, T.balances)}</h2>
        {balances.length === 0 ? <p safe>{tr(l, T.none)}</p> : <DataTable l={l} caption={tr(l, T.balances)} table={balanceTable} />}
        <ChartSection
          l={l}
          id="uang-bulanan"
          title={tr(l, T.byMonth)}
          safeSvg={lineChart({ title: tr(l, T.byMonth), formatValue: rp }, monthKeys, MONEY_METRICS.map((m) => ({ name: metricName(m, l), values: monthKeys.map((mo) => value(mo, m)) })))}
          table={byMonth}
        />
        {extra.map(({ s, table }) => (
          <section aria-labelledby={`${s.id}-title`}>
            <h2 id={`${s.id}-title`} safe>{tr(l, s.title)}</h2>
            <DataTable l={l} caption={tr(l, s.title)} table={table} />
          </section>
        ))}
      </Layout>,
    )
  })
}
