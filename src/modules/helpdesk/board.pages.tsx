/** /bantuan/papan: the supervisor's live board (a page that reloads; no script needed). */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { record } from '../../platform/audit/index.ts'
import { tr, type Text } from '../../platform/i18n/index.ts'
import { board, DEFAULT_ASSUMPTIONS, PROGRAMME_MONTHLY_REPORTS } from './board.service.ts'
import { helpdeskDeps } from './deps.ts'
import type { Channel } from './helpdesk.tables.ts'
import { CHANNEL, SLA } from './helpdesk.texts.ts'

const T = {
  title: { id: 'Papan supervisor', en: 'Supervisor board' },
  open: { id: 'Tiket terbuka per kanal dan status SLA', en: 'Open tickets by channel and SLA state' },
  breaches: { id: 'Lewat batas: {n} · eskalasi: {e}', en: 'Breached: {n} · escalated: {e}' },
  csat: { id: 'Kepuasan (CSAT) per kanal', en: 'Satisfaction (CSAT) per channel' },
  times: { id: 'Waktu jawab (menit kerja, median, 28 hari)', en: 'Response times (business minutes, median, 28 days)' },
  agents: { id: 'Agen', en: 'Agents' },
  staffing: { id: 'Kebutuhan agen per shift (Erlang C)', en: 'Agents needed per shift (Erlang C)' },
  staffingNote: { id: 'Asumsi: waktu tangani {aht} detik, {sl}% dijawab dalam {target} detik, ketersediaan agen {av}%.', en: 'Assumptions: {aht} s handling, {sl}% answered within {target} s, agent availability {av}%.' },
  observed: { id: 'Dari kedatangan 28 hari terakhir: {rate}/jam → {on} agen aktif, {sched} dijadwalkan per shift', en: 'From the last 28 days’ arrivals: {rate}/hour → {on} agents on duty, {sched} scheduled per shift' },
  programme: { id: 'Volume program nyata ({monthly} laporan/bulan): {rate}/jam → {on} agen aktif, {sched} dijadwalkan per shift (dibanding ±30 per shift sekarang)', en: 'Real programme volume ({monthly} reports/month): {rate}/hour → {on} agents on duty, {sched} scheduled per shift (against about 30 a shift today)' },
} satisfies Record<string, Text>

const Query = Type.Object({ aht: Type.Optional(Type.Integer({ minimum: 10, maximum: 7200 })), target: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })), sl: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })) })

export function registerBoardPage(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  app.get('/bantuan/papan', { config: { access: ['supervisor'] }, schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const q = req.query as { aht?: number; target?: number; sl?: number }
    const a = { ...DEFAULT_ASSUMPTIONS, ...(q.aht ? { handlingSeconds: q.aht } : {}), ...(q.target ? { targetSeconds: q.target } : {}), ...(q.sl ? { serviceLevel: q.sl / 100 } : {}) }
    const b = await board(hd, a)
    await record(hd.db, { actorId: req.account!.id, actorRole: req.account!.role, action: 'helpdesk.board.view', requestId: String(req.id), ip: req.ip }, hd.clock)
    const ctx = pageContext(req, reply, { devMailbox: deps.config.mail.devMailbox })
    const l = ctx.locale
    const ch = (c: string) => tr(l, CHANNEL[c as Channel] ?? { id: c, en: c })
    const n = (x: number) => x.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 })
    return sendPage(reply.header('cache-control', 'no-store').header('refresh', '60'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <h2 safe>{tr(l, T.open)}</h2>
        <p safe>{tr(l, T.breaches, { n: b.breaches.length, e: b.escalated })}</p>
        <div class="table-wrap"><table><thead><tr><th scope="col" safe>{tr(l, { id: 'Kanal', en: 'Channel' })}</th>{(['ok', 'at_risk', 'breached'] as const).map((s) => <th scope="col" safe>{tr(l, SLA[s])}</th>)}</tr></thead>
          <tbody>{b.byChannel.map((r) => <tr><td safe>{ch(r.channel)}</td><td safe>{String(r.ok)}</td><td safe>{String(r.at_risk)}</td><td safe>{String(r.breached)}</td></tr>)}</tbody></table></div>
        <h2 safe>{tr(l, T.csat)}</h2>
        <ul>{b.csat.map((c) => <li safe>{`${ch(c.channel)}: ${n(c.satisfiedShare * 100)}% (4–5), ${n(c.average)}/5, n=${c.n}`}</li>)}</ul>
        <h2 safe>{tr(l, T.times)}</h2>
        <ul>{b.times.map((x) => <li safe>{`${ch(x.channel)}: ${x.n} · ${x.medianFirstMinutes ?? '—'} / ${x.medianResolveMinutes ?? '—'}`}</li>)}</ul>
        <h2 safe>{tr(l, T.agents)}</h2>
        <ul>{b.agents.map((g) => <li safe>{`${g.name}: ${g.load}/${g.capacity}${g.active ? '' : ' (off)'} · CSAT ${g.csat === null ? '—' : n(g.csat)} (n=${g.rated})`}</li>)}</ul>
        <h2 safe>{tr(l, T.staffing)}</h2>
        <p safe>{tr(l, T.staffingNote, { aht: a.handlingSeconds, sl: Math.round(a.serviceLevel * 100), target: a.targetSeconds, av: Math.round(a.availability * 100) })}</p>
        <ul>
          <li safe>{tr(l, T.observed, { rate: n(b.observed.arrivalsPerHour), on: b.observed.onPhones, sched: b.observed.scheduled })}</li>
          <li safe>{tr(l, T.programme, { monthly: PROGRAMME_MONTHLY_REPORTS.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB'), rate: n(b.programme.arrivalsPerHour), on: b.programme.onPhones, sched: b.programme.scheduled })}</li>
        </ul>
      </Layout>)
  })
}
