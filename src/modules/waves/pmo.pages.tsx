/**
 * PMO's wave console: the list, the form (create and edit while a draft), priority lists,
 * the lifecycle buttons (publish the commitment, open, close, run the draw, cancel) and the
 * funnel per region with revoked places and recovered money for the next wave.
 * pmo_admin acts; the auditor reads.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { formatRupiah } from '../ledger/index.ts'
import { asScheme } from './scheme.ts'
import { quotaLines, type WaveForm } from './wave-form.ts'
import { formFromBody, formFromWave, WaveFormFields } from './pmo-form.tsx'
import * as repo from './waves.repository.ts'
import { addPriorityGroup, cancelWave, closeWave, commitWave, createWave, openWave, requestDraw, updateWave, type Actor, type WavesDeps } from './waves.service.ts'
import { SCHEME_LABELS, STATUS } from './waves.texts.ts'
import { FunnelSection } from './funnel.view.tsx'

const T = {
  list: { id: 'Gelombang', en: 'Waves' },
  create: { id: 'Buat gelombang baru', en: 'Create a wave' },
  edit: { id: 'Ubah gelombang', en: 'Edit the wave' },
  none: { id: 'Belum ada gelombang.', en: 'No waves yet.' },
  code: { id: 'Kode', en: 'Code' },
  name: { id: 'Nama', en: 'Name' },
  status: { id: 'Status', en: 'Status' },
  window: { id: 'Pendaftaran (WIB)', en: 'Registration (WIB)' },
  national: { id: 'Kuota nasional', en: 'National quota' },
  save: { id: 'Simpan', en: 'Save' },
  priority: { id: 'Kelompok prioritas', en: 'Priority groups' },
  priorityHint: {
    id: 'Daftar NIK (mis. korban PHK dari Kemnaker), satu per baris atau dipisah koma; kolom pertama berkas CSV juga bisa ditempel. Hanya sidik NIK yang disimpan. Pendaftar dalam kelompok prioritas diundi lebih dulu.',
    en: 'A list of NIKs (e.g. laid-off workers from the Ministry of Manpower), one a line or comma-separated; a CSV\'s first column can be pasted. Only NIK fingerprints are stored. Applicants in a priority group are drawn first.',
  },
  groupCode: { id: 'Kode kelompok', en: 'Group code' },
  niks: { id: 'Daftar NIK', en: 'NIK list' },
  addGroup: { id: 'Tambahkan ke kelompok', en: 'Add to the group' },
  groupCount: { id: '{g}: {n} NIK', en: '{g}: {n} NIKs' },
  noGroups: { id: 'Belum ada kelompok prioritas.', en: 'No priority groups.' },
  actions: { id: 'Langkah', en: 'Actions' },
  commit: { id: 'Umumkan komitmen (konfigurasi dikunci)', en: 'Publish the commitment (settings locked)' },
  open: { id: 'Buka pendaftaran sekarang', en: 'Open registration now' },
  close: { id: 'Tutup pendaftaran sekarang', en: 'Close registration now' },
  draw: { id: 'Jalankan undian dan terbitkan kartu', en: 'Run the draw and issue cards' },
  cancel: { id: 'Batalkan gelombang', en: 'Cancel the wave' },
  reason: { id: 'Alasan pembatalan', en: 'Reason for cancelling' },
  jobsNote: {
    id: 'Setelah komitmen diumumkan, pendaftaran dibuka dan ditutup otomatis pada waktunya; tombol di sini untuk membuka atau menutup lebih awal.',
    en: 'Once the commitment is published, registration opens and closes by itself at its times; these buttons open or close it early.',
  },
  commitment: { id: 'Komitmen', en: 'Commitment' },
  publicPage: { id: 'Halaman publik gelombang', en: 'The wave\'s public page' },
  drawQueued: { id: 'Undian dijadwalkan; hasilnya muncul di sini setelah selesai.', en: 'The draw is queued; its result appears here when done.' },
  scheme: { id: 'Skema', en: 'Scheme' },
} satisfies Record<string, Text>

const ACTIONS = ['komitmen', 'buka', 'tutup', 'undi', 'batal'] as const
type Action = (typeof ACTIONS)[number]
const Body = Type.Record(Type.String(), Type.String({ maxLength: 2_000_000 }))
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

function actor(req: FastifyRequest): Actor {
  return { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }
}

export function registerPmoWavePages(app: FastifyInstance, deps: AppDeps, wavesDeps: WavesDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const read = { access: ['pmo_admin', 'auditor'] as const }
  const act = { access: ['pmo_admin'] as const }

  app.get('/pmo/gelombang', { config: read, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const waves = await repo.listWaves(db)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.list)}>
        <h1 safe>{tr(l, T.list)}</h1>
        {ctx.account?.role === 'pmo_admin' ? (
          <p>
            <a class="button" href="/pmo/gelombang/baru" safe>
              {tr(l, T.create)}
            </a>
          </p>
        ) : (
          ''
        )}
        {waves.length === 0 ? (
          <p safe>{tr(l, T.none)}</p>
        ) : (
          <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, T.list)}>
            <table>
              <thead>
                <tr>
                  <th scope="col" safe>{tr(l, T.code)}</th>
                  <th scope="col" safe>{tr(l, T.name)}</th>
                  <th scope="col" safe>{tr(l, T.window)}</th>
                  <th scope="col" safe>{tr(l, T.national)}</th>
                  <th scope="col" safe>{tr(l, T.status)}</th>
                </tr>
              </thead>
              <tbody>
                {waves.map((w) => (
                  <tr>
                    <td>
                      <a href={`/pmo/gelombang/${w.id}`}>
                        <code safe>{w.code}</code>
                      </a>
                    </td>
                    <td safe>{w.name}</td>
                    <td safe>{`${formatDateTime(l, w.opens_at)} – ${formatDateTime(l, w.closes_at)}`}</td>
                    <td safe>{w.national_quota.toLocaleString('id-ID')}</td>
                    <td safe>{tr(l, STATUS[w.status])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    )
  })

  function formPage(req: FastifyRequest, reply: FastifyReply, opts: { waveId: string | null; v: WaveForm; errors: readonly FieldError[]; message: string | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const title = tr(l, opts.waveId ? T.edit : T.create)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <ErrorSummary locale={l} message={opts.message} fields={opts.errors} />
        <h1 safe>{title}</h1>
        <form method="post" action={opts.waveId ? `/pmo/gelombang/${opts.waveId}/ubah` : '/pmo/gelombang'} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <WaveFormFields l={l} v={opts.v} errors={opts.errors} />
          <p>
            <button type="submit" safe>
              {tr(l, T.save)}
            </button>
          </p>
        </form>
      </Layout>,
    )
  }

  const emptyForm: WaveForm = { code: '', name: '', opensAt: '', closesAt: '', nationalQuota: '', quotas: '', preset: '2023' }

  app.get('/pmo/gelombang/baru', { config: act, schema: { hide: true } }, async (req, reply) => formPage(req, reply, { waveId: null, v: emptyForm, errors: [], message: null }))

  app.post('/pmo/gelombang', { config: act, schema: { hide: true, body: Body } }, async (req, reply) => {
    const v = formFromBody((req.body ?? {}) as Record<string, string>)
    try {
      const id = await createWave(wavesDeps, actor(req), v)
      if (req.headers.accept?.includes('application/json')) return { id }
      return reply.redirect(`/pmo/gelombang/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED' || !req.headers.accept?.includes('text/html')) throw err
      reply.code(400)
      return formPage(req, reply, { waveId: null, v, errors: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })

  app.get('/pmo/gelombang/:id/ubah', { config: act, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    const w = await repo.findWave(db, id)
    if (!w) throw new AppError('NOT_FOUND')
    if (w.status !== 'draft') return reply.redirect(`/pmo/gelombang/${id}`, 303)
    return formPage(req, reply, { waveId: id, v: formFromWave(w, await repo.listQuotas(db, id)), errors: [], message: null })
  })

  app.post('/pmo/gelombang/:id/ubah', { config: act, schema: { hide: true, params: IdParams, body: Body } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    const v = formFromBody((req.body ?? {}) as Record<string, string>)
    try {
      await updateWave(wavesDeps, actor(req), id, v)
      if (req.headers.accept?.includes('application/json')) return { id }
      return reply.redirect(`/pmo/gelombang/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'NOT_FOUND' || !req.headers.accept?.includes('text/html')) throw err
      reply.code(err.status)
      return formPage(req, reply, { waveId: id, v, errors: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })

  async function detailPage(req: FastifyRequest, reply: FastifyReply, id: string, state: { message: string | null; errors: readonly FieldError[]; info: string | null }) {
    const w = await repo.findWave(db, id)
    if (!w) throw new AppError('NOT_FOUND')
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const canAct = ctx.account?.role === 'pmo_admin'
    const [quotas, groups, funnel] = await Promise.all([repo.listQuotas(db, id), repo.priorityGroupCounts(db, id), repo.funnel(db, id)])
    const s = asScheme(w.scheme)
    const button = (action: Action, label: Text) => (
      <form method="post" action={`/pmo/gelombang/${w.id}/${action}`}>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {action === 'batal' ? (
          <>
            <label for="reason" safe>
              {tr(l, T.reason)}
            </label>
            <input id="reason" name="reason" type="text" />
          </>
        ) : (
          ''
        )}
        <button type="submit" safe>
          {tr(l, label)}
        </button>
      </form>
    )
    return sendPage(
      reply,
      <Layout ctx={ctx} title={w.name}>
        <ErrorSummary locale={l} message={state.message} fields={state.errors} />
        <h1 safe>{w.name}</h1>
        {state.info ? (
          <p class="notice" role="status" safe>
            {state.info}
          </p>
        ) : (
          ''
        )}
        <p>
          <code safe>{w.code}</code> · <span class="status" safe>{tr(l, STATUS[w.status])}</span>
        </p>
        <p safe>{`${tr(l, T.window)}: ${formatDateTime(l, w.opens_at)} – ${formatDateTime(l, w.closes_at)}`}</p>
        <p safe>{`${tr(l, T.national)}: ${w.national_quota.toLocaleString('id-ID')}`}</p>
        {quotas.length > 0 ? <pre safe>{quotaLines(quotas)}</pre> : ''}
        <p safe>{`${tr(l, T.scheme)}: ${s.preset} · ${tr(l, SCHEME_LABELS.trainingBalance)} ${formatRupiah(l, s.trainingBalance)} · ${tr(l, SCHEME_LABELS.firstPurchaseDays)} ${s.firstPurchaseDays} · ${tr(l, SCHEME_LABELS.maxPerKk)} ${s.maxPerKk}`}</p>
        {w.commitment ? (
          <p>
            <span safe>{tr(l, T.commitment)}</span>: <code safe>{w.commitment}</code> ·{' '}
            <a href={`/gelombang/${encodeURIComponent(w.code)}`} safe>
              {tr(l, T.publicPage)}
            </a>
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.priority)}</h2>
        {groups.length === 0 ? <p safe>{tr(l, T.noGroups)}</p> : <ul>{groups.map((g) => <li safe>{tr(l, T.groupCount, { g: g.groupCode, n: g.count })}</li>)}</ul>}
        {canAct && w.status === 'draft' ? (
          <form method="post" action={`/pmo/gelombang/${w.id}/prioritas`} novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <p class="hint" safe>
              {tr(l, T.priorityHint)}
            </p>
            <Field locale={l} name="groupCode" label={tr(l, T.groupCode)} value="" errors={state.errors} />
            <label for="niks" safe>
              {tr(l, T.niks)}
            </label>
            <textarea id="niks" name="niks" rows="5"></textarea>
            <p>
              <button type="submit" safe>
                {tr(l, T.addGroup)}
              </button>
            </p>
          </form>
        ) : (
          ''
        )}
        {canAct ? (
          <>
            <h2 safe>{tr(l, T.actions)}</h2>
            <p class="muted" safe>
              {tr(l, T.jobsNote)}
            </p>
            <div class="actions">
              {w.status === 'draft' ? (
                <a class="button" href={`/pmo/gelombang/${w.id}/ubah`} safe>
                  {tr(l, T.edit)}
                </a>
              ) : (
                ''
              )}
              {w.status === 'draft' ? button('komitmen', T.commit) : ''}
              {w.status === 'committed' ? button('buka', T.open) : ''}
              {w.status === 'open' ? button('tutup', T.close) : ''}
              {w.status === 'closed' || w.status === 'drawn' ? button('undi', T.draw) : ''}
            </div>
            {w.status === 'draft' || w.status === 'committed' ? button('batal', T.cancel) : ''}
          </>
        ) : (
          ''
        )}
        <FunnelSection l={l} funnel={funnel} />
      </Layout>,
    )
  }

  app.get('/pmo/gelombang/:id', { config: read, schema: { hide: true, params: IdParams, querystring: Type.Object({ undian: Type.Optional(Type.String({ maxLength: 10 })) }) } }, async (req, reply) => {
    const queued = (req.query as { undian?: string }).undian === 'antre'
    return detailPage(req, reply, (req.params as { id: string }).id, { message: null, errors: [], info: queued ? tr(req.locale, T.drawQueued) : null })
  })

  app.post('/pmo/gelombang/:id/prioritas', { config: act, schema: { hide: true, params: IdParams, body: Body } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    const b = (req.body ?? {}) as Record<string, string>
    try {
      const r = await addPriorityGroup(wavesDeps, actor(req), id, b.groupCode ?? '', b.niks ?? '')
      if (req.headers.accept?.includes('application/json')) return r
      return reply.redirect(`/pmo/gelombang/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'NOT_FOUND' || !req.headers.accept?.includes('text/html')) throw err
      reply.code(err.status)
      return detailPage(req, reply, id, { message: errorMessage(err.code, req.locale), errors: err.fields, info: null })
    }
  })

  app.post(
    '/pmo/gelombang/:id/:action',
    { config: act, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }), action: Type.Union(ACTIONS.map((a) => Type.Literal(a))) }), body: Type.Optional(Body) } },
    async (req, reply) => {
      const { id, action } = req.params as { id: string; action: Action }
      const b = (req.body ?? {}) as Record<string, string>
      const who = actor(req)
      try {
        if (action === 'komitmen') await commitWave(wavesDeps, who, id)
        else if (action === 'buka') await openWave(wavesDeps, who, id)
        else if (action === 'tutup') await closeWave(wavesDeps, who, id)
        else if (action === 'batal') await cancelWave(wavesDeps, who, id, b.reason ?? '')
        else await requestDraw(wavesDeps, who, id)
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'NOT_FOUND' || !req.headers.accept?.includes('text/html')) throw err
        reply.code(err.status)
        return detailPage(req, reply, id, { message: errorMessage(err.code, req.locale), errors: err.fields, info: null })
      }
      if (req.headers.accept?.includes('application/json')) return { ok: true }
      return reply.redirect(`/pmo/gelombang/${id}${action === 'undi' ? '?undian=antre' : ''}`, 303)
    },
  )
}

