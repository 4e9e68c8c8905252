/**
 * PMO's incentive page (/pmo/insentif): payouts by state, reconciliation findings and the
 * statements they came from, repayment claims; a PMO admin can run the daily job now,
 * declare a recipient ineligible (a claim to repay within 60 days) and record a repayment.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { formatRupiah } from '../ledger/index.ts'
import { sandboxPaymentsFor } from '../../sandboxes/payments/index.ts'
import { incentivesDeps } from './deps.ts'
import { markRepaid, openClaim } from './claims.service.ts'
import { runDaily } from './incentives.jobs.ts'
import { partnerName } from './incentives.texts.ts'
import { pmoOverview } from './views.ts'

const T = {
  title: { id: 'Insentif dan rekonsiliasi', en: 'Incentives and reconciliation' },
  payouts: { id: 'Pembayaran per status', en: 'Payouts by state' },
  status: { id: 'Status', en: 'State' },
  count: { id: 'Jumlah', en: 'Count' },
  total: { id: 'Nilai', en: 'Amount' },
  run: { id: 'Jalankan pembayaran harian sekarang', en: 'Run the daily payouts now' },
  findings: { id: 'Temuan rekonsiliasi', en: 'Reconciliation findings' },
  noFindings: { id: 'Tidak ada temuan.', en: 'No findings.' },
  partner: { id: 'Mitra', en: 'Partner' },
  day: { id: 'Tanggal', en: 'Day' },
  kind: { id: 'Jenis', en: 'Kind' },
  key: { id: 'Kunci', en: 'Key' },
  details: { id: 'Rincian', en: 'Details' },
  statements: { id: 'Rekening koran harian', en: 'Daily statements' },
  lines: { id: 'Baris', en: 'Lines' },
  claims: { id: 'Tagihan pengembalian', en: 'Repayment claims' },
  ineligible: { id: 'Nyatakan penerima tidak berhak', en: 'Declare a recipient ineligible' },
  accountId: { id: 'ID akun peserta', en: 'Participant account id' },
  reason: { id: 'Alasan', en: 'Reason' },
  declare: { id: 'Buat tagihan pengembalian (60 hari)', en: 'Open a repayment claim (60 days)' },
  repaid: { id: 'Catat sudah dikembalikan', en: 'Record as repaid' },
  due: { id: 'Jatuh tempo', en: 'Due' },
  name: { id: 'Nama', en: 'Name' },
} satisfies Record<string, Text>

const KIND: Record<string, Text> = {
  missing: { id: 'hilang (tidak ada di rekening koran)', en: 'missing (not in the statement)' },
  duplicate: { id: 'ganda', en: 'duplicate' },
  mismatch: { id: 'tidak cocok', en: 'mismatch' },
  unknown: { id: 'tidak dikenal', en: 'unknown to us' },
  confirmed: { id: 'dikonfirmasi oleh rekening koran', en: 'confirmed by the statement' },
}

export function registerIncentivePmoPages(app: FastifyInstance, deps: AppDeps): void {
  const d = incentivesDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const Form = Type.Record(Type.String(), Type.String({ maxLength: 2000 }))

  async function page(req: FastifyRequest, reply: FastifyReply, state: { fields: readonly FieldError[]; message: string | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const o = await pmoOverview(d.db)
    const admin = ctx.account?.role === 'pmo_admin'
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        <h2 safe>{tr(l, T.payouts)}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col" safe>{tr(l, T.status)}</th>
              <th scope="col" safe>{tr(l, T.count)}</th>
              <th scope="col" safe>{tr(l, T.total)}</th>
            </tr>
          </thead>
          <tbody>
            {o.byStatus.map((s) => (
              <tr>
                <td>{s.status}</td>
                <td safe>{String(s.count)}</td>
                <td safe>{formatRupiah(l, s.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <form method="post" action="/pmo/insentif/jalankan">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" safe>{tr(l, T.run)}</button>
          </form>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.findings)}</h2>
        {o.findings.length === 0 ? <p safe>{tr(l, T.noFindings)}</p> : ''}
        {o.findings.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.day)}</th>
                <th scope="col" safe>{tr(l, T.partner)}</th>
                <th scope="col" safe>{tr(l, T.kind)}</th>
                <th scope="col" safe>{tr(l, T.key)}</th>
                <th scope="col" safe>{tr(l, T.details)}</th>
              </tr>
            </thead>
            <tbody>
              {o.findings.map((f) => (
                <tr>
                  <td safe>{f.day}</td>
                  <td safe>{partnerName(f.partner)}</td>
                  <td class={f.kind === 'confirmed' ? 'status ok' : 'status bad'} safe>{tr(l, KIND[f.kind]!)}</td>
                  <td class="code" safe>{f.partnerKey}</td>
                  <td safe>{JSON.stringify(f.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.statements)}</h2>
        <ul>
          {o.statements.map((s) => (
            <li safe>{`${s.day} · ${partnerName(s.partner)} · ${tr(l, T.lines)} ${s.lines} · ${formatRupiah(l, s.total)} · ${formatDateTime(l, s.reconciledAt)}`}</li>
          ))}
        </ul>
        <h2 safe>{tr(l, T.claims)}</h2>
        <ul>
          {o.claims.map((c) => (
            <li>
              <span safe>{`${c.name} · ${formatRupiah(l, c.amount)} · ${c.status} · ${tr(l, T.due)} ${formatDateTime(l, c.dueAt)} · ${c.reason}`}</span>
              {admin && c.status !== 'repaid' ? (
                <form method="post" action={`/pmo/insentif/klaim/${c.id}/lunas`} class="inline">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="secondary" safe>{tr(l, T.repaid)}</button>
                </form>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
        {admin ? (
          <form method="post" action="/pmo/insentif/tidak-berhak" novalidate>
            <h3 safe>{tr(l, T.ineligible)}</h3>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="accountId" label={tr(l, T.accountId)} errors={state.fields} />
            <Field locale={l} name="reason" label={tr(l, T.reason)} errors={state.fields} />
            <p>
              <button type="submit" safe>{tr(l, T.declare)}</button>
            </p>
          </form>
        ) : (
          ''
        )}
      </Layout>,
    )
  }

  const actor = (req: FastifyRequest) => ({ id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip })

  app.get('/pmo/insentif', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => page(req, reply, { fields: [], message: null }))

  app.post('/pmo/insentif/jalankan', { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Form } }, async (req, reply) => {
    const r = await runDaily(d)
    // With the sandbox partners, their callbacks for this run arrive now (a real partner sends its own).
    await sandboxPaymentsFor(d.db, { clock: deps.clock, serverSecret: deps.config.secret }).deliverAll()
    await record(d.db, { actorId: req.account!.id, actorRole: req.account!.role, action: 'incentives.run-daily', details: { scheduled: r.scheduled, ...r.payouts }, requestId: String(req.id), ip: req.ip }, deps.clock)
    return reply.redirect('/pmo/insentif', 303)
  })

  app.post('/pmo/insentif/tidak-berhak', { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    try {
      const id = (b.accountId ?? '').trim()
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'accountId', id: 'Isi ID akun peserta (UUID).', en: 'Enter the participant account id (UUID).' }] })
      const exists = await d.db.selectFrom('accounts').select('id').where('id', '=', id).where('role', '=', 'participant').executeTakeFirst()
      if (!exists) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'accountId', id: 'Tidak ada peserta dengan ID ini.', en: 'No participant has this id.' }] })
      await openClaim(d, actor(req), id, b.reason ?? '')
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'VALIDATION_FAILED' && err.code !== 'REPAYMENT_CLAIM_OPEN')) throw err
      reply.code(err.status)
      return page(req, reply, { fields: [...err.fields], message: errorMessage(err.code, req.locale) })
    }
    return reply.redirect('/pmo/insentif', 303)
  })

  app.post('/pmo/insentif/klaim/:id/lunas', { config: { access: ['pmo_admin'] }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: Form } }, async (req, reply) => {
    await markRepaid(d, actor(req), (req.params as { id: string }).id)
    return reply.redirect('/pmo/insentif', 303)
  })
}
