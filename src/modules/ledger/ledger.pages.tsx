import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { transaction } from '../../platform/db/database.ts'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { formatRupiah } from './amount.ts'
import type { AccountType } from './codes.ts'
import { describeMovement, type Movement } from './history.ts'
import { latestCheck } from './ledger.check.ts'
import { listHistory, participantBalances, singletonBalance } from './ledger.history.ts'
import { requestCheck } from './ledger.jobs.ts'
import type { Balance } from './ledger.service.ts'

const T = {
  history: { id: 'Riwayat saldo', en: 'Balance history' },
  noAccount: {
    id: 'Anda belum punya saldo. Saldo pelatihan muncul di sini setelah Anda terpilih dalam gelombang dan kartu Anda terbit.',
    en: 'You have no balance yet. Your training balance appears here once you are selected in a wave and your card is issued.',
  },
  available: { id: 'Bisa dipakai', en: 'Available' },
  held: { id: 'Sedang ditahan untuk pembelian', en: 'Held for a purchase' },
  posted: { id: 'Saldo', en: 'Balance' },
  heldHint: {
    id: 'Saldo yang ditahan belum terpakai: jika platform tidak mengonfirmasi pembelian, saldo itu kembali dengan sendirinya.',
    en: 'Held money is not spent yet: if the platform does not confirm the purchase, it comes back by itself.',
  },
  when: { id: 'Waktu', en: 'Time' },
  what: { id: 'Keterangan', en: 'What happened' },
  change: { id: 'Perubahan saldo yang bisa dipakai', en: 'Change in available balance' },
  amount: { id: 'Jumlah', en: 'Amount' },
  ref: { id: 'Rujukan', en: 'Reference' },
  none: { id: 'Belum ada pergerakan saldo.', en: 'No movements yet.' },
  older: { id: 'Pergerakan lebih lama', en: 'Older movements' },
  fundTitle: { id: 'Dana program', en: 'Programme fund' },
  fund: { id: 'Dana program', en: 'Programme fund' },
  forfeited: { id: 'Saldo hangus (belum dikembalikan ke dana)', en: 'Forfeited balances (not yet back in the fund)' },
  check: { id: 'Pemeriksaan keseimbangan buku besar', en: 'Ledger invariant check' },
  checkOk: {
    id: 'Seimbang: {accounts} rekening, {transfers} transaksi; debit = kredit, tidak ada saldo peserta di bawah nol, setiap penahanan tercatat sekali.',
    en: 'Balanced: {accounts} accounts, {transfers} transfers; debits = credits, no participant balance below zero, every hold settled once.',
  },
  checkBad: { id: 'TIDAK SEIMBANG: {n} masalah ditemukan. Laporkan segera.', en: 'NOT BALANCED: {n} problems found. Report this at once.' },
  checkAt: { id: 'Pemeriksaan terakhir: {at} (oleh {source})', en: 'Last check: {at} (by {source})' },
  holds: { id: 'Penahanan: {open} terbuka ({overdue} lewat batas), {posted} dibayarkan, {voided} dibatalkan, {expired} kedaluwarsa', en: 'Holds: {open} open ({overdue} past deadline), {posted} posted, {voided} voided, {expired} expired' },
  never: { id: 'Buku besar belum pernah diperiksa.', en: 'The ledger has not been checked yet.' },
  runCheck: { id: 'Periksa sekarang', en: 'Check now' },
  queued: {
    id: 'Pemeriksaan dijadwalkan dan berjalan di latar belakang. Muat ulang halaman ini sebentar lagi untuk melihat hasilnya.',
    en: 'The check is queued and runs in the background. Reload this page in a moment to see the result.',
  },
  movements: { id: 'Pergerakan dana program', en: 'Programme fund movements' },
  noFund: { id: 'Dana program belum dibuka.', en: 'The programme fund has not been opened yet.' },
}

const ACCOUNT_NAMES: Record<AccountType, { id: string; en: string }> = {
  state_budget: { id: 'Anggaran negara', en: 'State budget' },
  programme_fund: { id: 'Dana program', en: 'Programme fund' },
  participant_training: { id: 'Saldo pelatihan', en: 'Training balance' },
  participant_incentive: { id: 'Insentif', en: 'Incentive' },
  platform_receivable: { id: 'Tagihan platform', en: 'Platform receivable' },
  platform_payable: { id: 'Utang ke platform', en: 'Payable to platforms' },
  payout_clearing: { id: 'Pembayaran insentif dalam proses', en: 'Incentive payouts in progress' },
  forfeited: { id: 'Saldo hangus', en: 'Forfeited' },
  settlement: { id: 'Bank penyelesaian', en: 'Settlement bank' },
}

const HistoryQuery = Type.Object({ sebelum: Type.Optional(Type.Integer({ minimum: 1 })), checking: Type.Optional(Type.Literal('1')) })

function signed(l: Locale, n: number): string {
  if (n === 0) return '–'
  return `${n > 0 ? '+' : '−'}${formatRupiah(l, Math.abs(n))}`
}

function BalanceCards(props: { l: Locale; balances: Balance[] }): JSX.Element {
  const { l } = props
  return (
    <dl class="balances">
      {props.balances.map((b) => (
        <>
          <dt safe>{tr(l, ACCOUNT_NAMES[b.type])}</dt>
          <dd>
            <strong safe>{formatRupiah(l, b.available)}</strong> <span class="muted" safe>{tr(l, T.available)}</span>
            {b.held > 0 ? (
              <>
                <br />
                <span safe>{formatRupiah(l, b.held)}</span> <span class="muted" safe>{tr(l, T.held)}</span>
              </>
            ) : (
              ''
            )}
          </dd>
        </>
      ))}
    </dl>
  )
}

function MovementTable(props: { l: Locale; movements: Movement[]; showRef: boolean }): JSX.Element {
  const { l } = props
  const fmt = (n: number) => formatRupiah(l, n)
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col" safe>{tr(l, T.when)}</th>
            <th scope="col" safe>{tr(l, T.what)}</th>
            <th scope="col" safe>{tr(l, T.change)}</th>
            {props.showRef ? <th scope="col" safe>{tr(l, T.ref)}</th> : ''}
          </tr>
        </thead>
        <tbody>
          {props.movements.map((m) => (
            <tr>
              <td safe>{formatDateTime(l, m.at)}</td>
              <td safe>{describeMovement(l, m, fmt)}</td>
              <td class="num" safe>{signed(l, m.availableChange)}</td>
              {props.showRef ? <td safe>{`#${m.transferId} ${m.reference.type} ${m.reference.id}`}</td> : ''}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function registerLedgerPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  app.get('/saldo', { config: { access: ['participant'] }, schema: { hide: true, querystring: HistoryQuery } }, async (req, reply) => {
    const q = req.query as typeof HistoryQuery.static
    const balances = await participantBalances(db, req.account!.id)
    const page = await listHistory(db, balances.map((b) => b.id), { beforeId: q.sebelum ?? null, limit: 30 })
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.history)}>
        <h1 safe>{tr(l, T.history)}</h1>
        {balances.length === 0 ? (
          <p class="notice" safe>{tr(l, T.noAccount)}</p>
        ) : (
          <>
            <BalanceCards l={l} balances={balances} />
            <p class="muted" safe>{tr(l, T.heldHint)}</p>
            {page.movements.length === 0 ? <p safe>{tr(l, T.none)}</p> : <MovementTable l={l} movements={page.movements} showRef={false} />}
            {page.nextBeforeId ? (
              <p>
                <a href={`/saldo?sebelum=${page.nextBeforeId}`} safe>{tr(l, T.older)}</a>
              </p>
            ) : (
              ''
            )}
          </>
        )}
      </Layout>,
    )
  })

  app.get('/pmo/dana', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, querystring: HistoryQuery } }, async (req, reply) => {
    const q = req.query as typeof HistoryQuery.static
    const fund = await singletonBalance(db, 'programme_fund')
    const forfeited = await singletonBalance(db, 'forfeited')
    const page = fund ? await listHistory(db, [fund.id], { beforeId: q.sebelum ?? null, limit: 50 }) : null
    const check = await latestCheck(db)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.fundTitle)}>
        <h1 safe>{tr(l, T.fundTitle)}</h1>
        {fund ? <BalanceCards l={l} balances={[fund, ...(forfeited ? [forfeited] : [])]} /> : <p safe>{tr(l, T.noFund)}</p>}
        <h2 safe>{tr(l, T.check)}</h2>
        {q.checking ? (
          <p class="notice" role="status" safe>
            {tr(l, T.queued)}
          </p>
        ) : (
          ''
        )}
        {check ? (
          <>
            <p>
              <span class={check.ok ? 'status ok' : 'status bad'} safe>
                {check.ok
                  ? tr(l, T.checkOk, { accounts: check.report.accounts, transfers: check.report.transfers })
                  : tr(l, T.checkBad, { n: check.report.problemCount })}
              </span>
            </p>
            <p class="muted" safe>{tr(l, T.checkAt, { at: formatDateTime(l, check.at), source: check.source })}</p>
            <p class="muted" safe>{tr(l, T.holds, { ...check.report.holds })}</p>
            {check.report.problems.length > 0 ? (
              <ul>
                {check.report.problems.map((p) => (
                  <li safe>{`${p.kind}${p.accountId ? ` account ${p.accountId}` : ''}${p.transferId ? ` transfer ${p.transferId}` : ''}: ${p.detail}`}</li>
                ))}
              </ul>
            ) : (
              ''
            )}
          </>
        ) : (
          <p safe>{tr(l, T.never)}</p>
        )}
        <form method="post" action="/pmo/dana/periksa">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" safe>{tr(l, T.runCheck)}</button>
        </form>
        <h2 safe>{tr(l, T.movements)}</h2>
        {page && page.movements.length > 0 ? <MovementTable l={l} movements={page.movements} showRef={true} /> : <p safe>{tr(l, T.none)}</p>}
        {page?.nextBeforeId ? (
          <p>
            <a href={`/pmo/dana?sebelum=${page.nextBeforeId}`} safe>{tr(l, T.older)}</a>
          </p>
        ) : (
          ''
        )}
      </Layout>,
    )
  })

  app.post('/pmo/dana/periksa', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const a = req.account!
    await transaction(db, (trx) => requestCheck(deps.jobs, trx, { accountId: a.id, role: a.role, requestId: String(req.id), ip: req.ip }))
    return reply.redirect('/pmo/dana?checking=1', 303)
  })
}
