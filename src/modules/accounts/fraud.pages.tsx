import Html from '@kitajs/html'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr, formatDateTime } from '../../platform/i18n/index.ts'
import { record } from '../../platform/audit/index.ts'
import { listFraudSignals } from './codes.repository.ts'

const T = {
  title: { id: 'Sinyal kecurangan', en: 'Fraud signals' },
  intro: {
    id: 'Laporan "bukan saya" dari pemilik e-mail dan tanda penyalahgunaan lain, terbaru di atas.',
    en: '"This was not me" reports from e-mail owners and other misuse signs, newest first.',
  },
  none: { id: 'Belum ada sinyal.', en: 'No signals yet.' },
  time: { id: 'Waktu', en: 'Time' },
  kind: { id: 'Jenis', en: 'Kind' },
  detail: { id: 'Rincian', en: 'Details' },
  status: { id: 'Status', en: 'Status' },
}

const KINDS: Record<string, { id: string; en: string }> = {
  email_not_me: { id: 'E-mail dipakai orang lain ("bukan saya")', en: 'E-mail used by someone else ("not me")' },
  nik_reused: { id: 'NIK yang sudah terdaftar dipakai mendaftar lagi', en: 'An already registered NIK used in another sign-up' },
  reverification_unmatched: {
    id: 'Permintaan pemulihan akun dengan NIK/KK/tanggal lahir yang tidak cocok dengan akun mana pun',
    en: 'Account recovery request whose NIK/KK/birth date matched no account',
  },
}

export function registerFraudPages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/pmo/sinyal', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const signals = await listFraudSignals(deps.database.db, 200)
    // Signals name people's e-mail addresses: who looked is recorded.
    await record(deps.database.db, {
      actorId: req.account!.id,
      actorRole: req.account!.role,
      action: 'fraud.view',
      requestId: String(req.id),
      ip: req.ip,
    })
    const ctx = pageContext(req, reply, { devMailbox: deps.config.mail.devMailbox })
    const l = ctx.locale
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {signals.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.time)}</th>
                <th scope="col" safe>{tr(l, T.kind)}</th>
                <th scope="col" safe>{tr(l, T.detail)}</th>
                <th scope="col" safe>{tr(l, T.status)}</th>
              </tr>
            </thead>
            <tbody>
              {signals.map((s) => (
                <tr>
                  <td safe>{formatDateTime(l, s.created_at)}</td>
                  <td safe>{KINDS[s.kind] ? tr(l, KINDS[s.kind]!) : s.kind}</td>
                  <td>
                    <code safe>{JSON.stringify(s.details)}</code>
                    {s.ip ? <span class="muted" safe>{` · IP ${s.ip}`}</span> : ''}
                  </td>
                  <td>{s.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    )
  })
}
