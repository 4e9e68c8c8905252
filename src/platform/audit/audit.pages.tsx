import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr, formatDateTime } from '../i18n/index.ts'
import { AppError } from '../errors.ts'
import { record, searchAudit } from './audit.service.ts'
import { latestVerification, requestVerification } from './audit.jobs.ts'
import { transaction } from '../db/database.ts'

const T = {
  title: { id: 'Log audit', en: 'Audit log' },
  chain: { id: 'Pemeriksaan rantai', en: 'Chain check' },
  intact: { id: 'Utuh: {n} entri diperiksa, tidak ada yang diubah atau dihapus.', en: 'Intact: {n} entries checked, none changed or removed.' },
  checkedAt: { id: 'Pemeriksaan terakhir: {at}', en: 'Last check: {at}' },
  never: { id: 'Rantai belum pernah diperiksa.', en: 'The chain has not been checked yet.' },
  runCheck: { id: 'Periksa rantai sekarang', en: 'Check the chain now' },
  queued: {
    id: 'Pemeriksaan dijadwalkan dan berjalan di latar belakang. Muat ulang halaman ini sebentar lagi untuk melihat hasilnya.',
    en: 'The check is queued and runs in the background. Reload this page in a moment to see the result.',
  },
  broken: { id: 'RUSAK: {n} masalah ditemukan. Laporkan segera.', en: 'BROKEN: {n} problems found. Report this at once.' },
  head: { id: 'Kepala rantai (catat di luar sistem untuk mendeteksi pemotongan)', en: 'Chain head (record it outside the system to detect truncation)' },
  filter: { id: 'Cari', en: 'Search' },
  text: { id: 'Tindakan atau subjek', en: 'Action or subject' },
  from: { id: 'Dari tanggal', en: 'From date' },
  to: { id: 'Sampai tanggal', en: 'To date' },
  badRange: { id: 'Tanggal akhir harus setelah tanggal awal.', en: 'The end date must be after the start date.' },
  seq: { id: 'No.', en: 'No.' },
  time: { id: 'Waktu', en: 'Time' },
  actor: { id: 'Pelaku', en: 'Actor' },
  action: { id: 'Tindakan', en: 'Action' },
  subject: { id: 'Subjek', en: 'Subject' },
  older: { id: 'Entri lebih lama', en: 'Older entries' },
  none: { id: 'Tidak ada entri yang cocok.', en: 'No matching entries.' },
}

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  checking: Type.Optional(Type.Literal('1')),
})

function parseDay(s: string | undefined, field: string): Date | undefined {
  if (!s) return undefined
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00+07:00`) : new Date(NaN)
  if (Number.isNaN(d.getTime())) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ field, id: 'tanggal harus berbentuk TTTT-BB-HH', en: 'date must be YYYY-MM-DD' }] })
  }
  return d
}

export function registerAuditPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  app.get('/pmo/audit', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const q = req.query as typeof Query.static
    const from = parseDay(q.from, 'from')
    const toDay = parseDay(q.to, 'to')
    const to = toDay ? new Date(toDay.getTime() + 86_400_000) : undefined
    if (from && to && to <= from) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'to', ...T.badRange }] })
    }
    const page = await searchAudit(db, { text: q.q, from, to }, { beforeSeq: q.before ?? null, limit: 50 })
    const chain = await latestVerification(db)
    // Looking at the audit log is itself a staff action.
    await record(db, {
      actorId: req.account!.id,
      actorRole: req.account!.role,
      action: 'audit.view',
      details: { q: q.q ?? null, from: q.from ?? null, to: q.to ?? null },
      requestId: String(req.id),
      ip: req.ip,
    })
    const ctx = pageContext(req, reply, { devMailbox: deps.config.mail.devMailbox })
    const l = ctx.locale
    const keep = new URLSearchParams({ q: q.q ?? '', from: q.from ?? '', to: q.to ?? '' })
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <h2 safe>{tr(l, T.chain)}</h2>
        {q.checking ? (
          <p class="notice" role="status" safe>
            {tr(l, T.queued)}
          </p>
        ) : (
          ''
        )}
        {chain ? (
          <>
            <p>
              <span class={chain.ok ? 'status ok' : 'status bad'} safe>
                {chain.ok ? tr(l, T.intact, { n: chain.checked }) : tr(l, T.broken, { n: chain.problemCount })}
              </span>
            </p>
            <p class="muted" safe>
              {tr(l, T.checkedAt, { at: formatDateTime(l, chain.at) })}
            </p>
            {chain.problems.length > 0 ? (
              <ul>
                {chain.problems.map((p) => (
                  <li safe>{`#${p.seq} ${p.kind}: ${p.detail}`}</li>
                ))}
              </ul>
            ) : (
              ''
            )}
            <p class="muted">
              <span safe>{tr(l, T.head)}</span>: <code safe>{`#${chain.headSeq ?? 0} ${chain.headHash ?? '-'}`}</code>
            </p>
          </>
        ) : (
          <p safe>{tr(l, T.never)}</p>
        )}
        <form method="post" action="/pmo/audit/periksa">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" safe>
            {tr(l, T.runCheck)}
          </button>
        </form>
        <form method="get" action="/pmo/audit">
          <label for="q" safe>{tr(l, T.text)}</label>
          <input id="q" name="q" value={q.q ?? ''} />
          <label for="from" safe>{tr(l, T.from)}</label>
          <input id="from" name="from" type="date" value={q.from ?? ''} />
          <label for="to" safe>{tr(l, T.to)}</label>
          <input id="to" name="to" type="date" value={q.to ?? ''} />
          <p>
            <button type="submit" safe>{tr(l, T.filter)}</button>
          </p>
        </form>
        {page.entries.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.seq)}</th>
                <th scope="col" safe>{tr(l, T.time)}</th>
                <th scope="col" safe>{tr(l, T.actor)}</th>
                <th scope="col" safe>{tr(l, T.action)}</th>
                <th scope="col" safe>{tr(l, T.subject)}</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <tr>
                  <td safe>{String(e.seq)}</td>
                  <td safe>{formatDateTime(l, e.at)}</td>
                  <td safe>{`${e.actorRole ?? '-'} ${e.actorId?.slice(0, 8) ?? ''}`}</td>
                  <td>
                    <code safe>{e.action}</code>
                  </td>
                  <td safe>{[e.subjectType, e.subjectId].filter(Boolean).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.nextBeforeSeq ? (
          <p>
            <a href={`/pmo/audit?${keep.toString()}&before=${page.nextBeforeSeq}`} safe>
              {tr(l, T.older)}
            </a>
          </p>
        ) : (
          ''
        )}
      </Layout>,
    )
  })

  app.post('/pmo/audit/periksa', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const a = req.account!
    await transaction(db, (trx) =>
      requestVerification(deps.jobs, trx, { accountId: a.id, role: a.role, requestId: String(req.id), ip: req.ip }),
    )
    return reply.redirect('/pmo/audit?checking=1', 303)
  })
}
