import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Select } from '../../web/choices.tsx'
import { tr, formatDateTime, type Text } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { exportMyData, listCorrectionRequests, requestCorrection, type PrivacyDeps } from './privacy.service.ts'
import { CORRECTABLE } from './privacy.tables.ts'

const T = {
  title: { id: 'Data saya', en: 'My data' },
  intro: {
    id: 'Sesuai UU Pelindungan Data Pribadi, Anda berhak mengetahui data apa saja yang kami simpan dan meminta koreksi bila ada yang salah.',
    en: 'Under the Personal Data Protection Law you may see all the data we hold about you and ask for a correction if something is wrong.',
  },
  download: { id: 'Unduh semua data saya (berkas JSON)', en: 'Download all my data (JSON file)' },
  correctTitle: { id: 'Minta koreksi data', en: 'Ask for a correction' },
  field: { id: 'Data yang salah', en: 'Which data is wrong' },
  value: { id: 'Data yang benar', en: 'The correct data' },
  reason: { id: 'Keterangan (tidak wajib)', en: 'Explanation (optional)' },
  send: { id: 'Kirim permintaan', en: 'Send request' },
  choose: { id: '— pilih —', en: '— choose —' },
  received: { id: 'Permintaan diterima dengan nomor {id}. Kami memeriksa dan menjawab di halaman ini dan di kotak masuk.', en: 'Request received as number {id}. We review it and answer on this page and in your inbox.' },
  mine: { id: 'Permintaan koreksi saya', en: 'My correction requests' },
  none: { id: 'Belum ada permintaan.', en: 'No requests yet.' },
}

const FIELD_LABELS: Record<(typeof CORRECTABLE)[number], Text> = {
  nama: { id: 'Nama', en: 'Name' },
  tanggal_lahir: { id: 'Tanggal lahir', en: 'Date of birth' },
  nik: { id: 'NIK', en: 'NIK' },
  kk: { id: 'Nomor KK', en: 'KK number' },
  alamat: { id: 'Alamat/domisili', en: 'Address' },
  email: { id: 'E-mail', en: 'E-mail' },
  nomor_hp: { id: 'Nomor HP', en: 'Mobile number' },
  lainnya: { id: 'Lainnya', en: 'Other' },
}
const STATUS: Record<string, Text> = {
  received: { id: 'diterima', en: 'received' },
  in_review: { id: 'sedang diperiksa', en: 'in review' },
  corrected: { id: 'sudah dikoreksi', en: 'corrected' },
  refused: { id: 'ditolak', en: 'refused' },
}

export function registerPrivacyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const pdeps: PrivacyDeps = { db: deps.database.db, clock: deps.clock, identity: deps.identity }
  const devMailbox = deps.config.mail.devMailbox

  async function page(req: FastifyRequest, reply: FastifyReply, state: { fields: FieldError[]; message: string | null; notice: string | null; typed: Record<string, string> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const requests = await listCorrectionRequests(pdeps.db, req.account!.id)
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        {state.notice ? (
          <p class="notice" role="status" safe>
            {state.notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <p>
          <a class="button" href="/data-saya/unduh" download="" safe>
            {tr(l, T.download)}
          </a>
        </p>
        <h2 safe>{tr(l, T.correctTitle)}</h2>
        <form method="post" action="/data-saya/koreksi" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Select locale={l} name="field" label={tr(l, T.field)} options={CORRECTABLE.map((c) => ({ value: c, label: tr(l, FIELD_LABELS[c]) }))} value={state.typed.field ?? ''} placeholder={tr(l, T.choose)} errors={state.fields} />
          <Field locale={l} name="requestedValue" label={tr(l, T.value)} value={state.typed.requestedValue ?? ''} errors={state.fields} />
          <Field locale={l} name="reason" label={tr(l, T.reason)} value={state.typed.reason ?? ''} errors={state.fields} />
          <p>
            <button type="submit" safe>
              {tr(l, T.send)}
            </button>
          </p>
        </form>
        <h2 safe>{tr(l, T.mine)}</h2>
        {requests.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <ul>
          {requests.map((r) => (
            <li safe>{`${formatDateTime(l, r.created_at)} · ${tr(l, FIELD_LABELS[r.field])} → "${r.requested_value}" · ${tr(l, STATUS[r.status]!)}${r.answer ? ` · ${r.answer}` : ''}`}</li>
          ))}
        </ul>
      </Layout>,
    )
  }

  app.get('/data-saya', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) =>
    page(req, reply, { fields: [], message: null, notice: null, typed: {} }),
  )

  app.get('/data-saya/unduh', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => {
    const data = await exportMyData(pdeps, req.account!.id)
    const day = deps.clock.now().toISOString().slice(0, 10)
    return reply
      .header('content-disposition', `attachment; filename="karya-data-saya-${day}.json"`)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2))
  })

  app.post(
    '/data-saya/koreksi',
    { config: { access: ['participant'] }, schema: { hide: true, body: Type.Record(Type.String(), Type.String({ maxLength: 2000 })) } },
    async (req, reply) => {
      const b = req.body as Record<string, string>
      const typed = { field: b.field ?? '', requestedValue: b.requestedValue ?? '', reason: b.reason ?? '' }
      try {
        const id = await requestCorrection(pdeps, req.account!.id, typed)
        return page(req, reply, { fields: [], message: null, notice: tr(req.locale, T.received, { id: id.slice(0, 8).toUpperCase() }), typed: {} })
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
        reply.code(err.status)
        return page(req, reply, { fields: [...err.fields], message: errorMessage(err.code, req.locale), notice: null, typed })
      }
    },
  )
}
