import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { tr, formatDateTime } from '../../platform/i18n/index.ts'
import { AppError } from '../../platform/errors.ts'
import { transaction } from '../../platform/db/database.ts'
import { record } from '../../platform/audit/index.ts'
import { checksNeedingAttention, enqueueChecks } from './checks.service.ts'
import { CHECK_NAMES } from './check-reasons.ts'

const T = {
  title: { id: 'Pemeriksaan data yang tertunda', en: 'Identity checks waiting for staff' },
  intro: {
    id: 'Pemeriksaan yang registrinya tidak menjawab setelah semua percobaan ulang. Peserta melihat "sedang diperiksa", bukan penolakan. Jalankan ulang setelah registri pulih.',
    en: 'Checks whose registry did not answer after every retry. The participant sees "being checked", not a refusal. Run them again once the registry is back.',
  },
  none: { id: 'Tidak ada pemeriksaan yang tertunda.', en: 'No checks are waiting.' },
  account: { id: 'Akun', en: 'Account' },
  check: { id: 'Pemeriksaan', en: 'Check' },
  attempts: { id: 'Percobaan', en: 'Attempts' },
  since: { id: 'Sejak', en: 'Since' },
  rerun: { id: 'Jalankan ulang', en: 'Run again' },
  queued: { id: 'Pemeriksaan dijalankan ulang.', en: 'The checks were queued again.' },
}

export function registerCheckAttentionPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const access = { access: ['pmo_admin', 'supervisor'] as const }

  app.get('/pmo/pemeriksaan', { config: access, schema: { hide: true, querystring: Type.Object({ ulang: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const rows = await checksNeedingAttention(db)
    const ctx = pageContext(req, reply, { devMailbox: deps.config.mail.devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        {(req.query as { ulang?: string }).ulang ? <p class="notice" role="status" safe>{tr(l, T.queued)}</p> : ''}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {rows.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.account)}</th>
                <th scope="col" safe>{tr(l, T.check)}</th>
                <th scope="col" safe>{tr(l, T.attempts)}</th>
                <th scope="col" safe>{tr(l, T.since)}</th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <code safe>{r.account_id.slice(0, 8)}</code>
                  </td>
                  <td safe>{tr(l, CHECK_NAMES[r.kind])}</td>
                  <td safe>{String(r.attempt)}</td>
                  <td safe>{formatDateTime(l, r.at)}</td>
                  <td>
                    <form method="post" action={`/pmo/pemeriksaan/${r.account_id}/ulang`}>
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <button type="submit" class="link" safe>
                        {tr(l, T.rerun)}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    )
  })

  app.post(
    '/pmo/pemeriksaan/:accountId/ulang',
    { config: access, schema: { hide: true, params: Type.Object({ accountId: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const { accountId } = req.params as { accountId: string }
      const a = req.account!
      await transaction(db, async (trx) => {
        if (!(await enqueueChecks(trx, deps.jobs, accountId, deps.clock.now()))) throw new AppError('NOT_FOUND')
        await record(trx, { actorId: a.id, actorRole: a.role, action: 'registration.checks_rerun', subjectType: 'account', subjectId: accountId, requestId: String(req.id), ip: req.ip })
      })
      return reply.redirect('/pmo/pemeriksaan?ulang=1', 303)
    },
  )
}
