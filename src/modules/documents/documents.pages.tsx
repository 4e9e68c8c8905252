import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { documentsView, ownDocumentImage, storeFormUpload, type DocumentStatus, type DocumentsDeps } from './documents.service.ts'
import { DOCUMENT_KINDS, type DocumentKind } from './documents.tables.ts'
import { acceptMultipart, type MultipartBody } from './multipart.ts'
import { registerTusRoutes, UPLOADS_PATH } from './tus.routes.ts'
import { KIND_HINTS, KIND_LABELS, REJECTION_TEXTS, SELFIE_BLURRY, T } from './document-texts.ts'

const access = { access: ['participant'] as const }
const Result = Type.Object({ hasil: Type.Optional(Type.String({ maxLength: 20 })) })

function StatusLine(props: { locale: Locale; kind: DocumentKind; status: DocumentStatus }): JSX.Element {
  const l = props.locale
  const s = props.status
  if (s.state === 'missing') return <p class="status" safe>{tr(l, T.missing)}</p>
  if (s.state === 'checking') return <p class="status" safe>{tr(l, T.checking)}</p>
  const link = (
    <a href={`/dokumen/${s.id}/gambar`} safe>
      {tr(l, T.view)}
    </a>
  )
  if (s.state === 'accepted') {
    return (
      <p class="status accepted">
        <strong safe>{tr(l, T.accepted)}</strong> <span safe>{`· ${formatDateTime(l, s.at)} ·`}</span> {link}
      </p>
    )
  }
  return (
    <div class="status rejected" role="alert">
      <p>
        <strong safe>{tr(l, T.rejected)}</strong> <span safe>{`· ${formatDateTime(l, s.at)} ·`}</span> {link}
      </p>
      <p safe>{tr(l, props.kind === 'selfie' && s.reason === 'blurry' ? SELFIE_BLURRY : REJECTION_TEXTS[s.reason])}</p>
      <p safe>{tr(l, T.whatToDo)}</p>
    </div>
  )
}

export function registerDocumentRoutes(app: FastifyInstance, deps: AppDeps): void {
  const ddeps: DocumentsDeps = { db: deps.database.db, clock: deps.clock, uploadsDir: deps.config.uploadsDir, maxBytes: deps.config.uploadMaxBytes }
  const devMailbox = deps.config.mail.devMailbox
  registerTusRoutes(app, ddeps, deps.database.locks)

  async function page(req: FastifyRequest, reply: FastifyReply, state: { message: string | null; notice: string | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const view = await documentsView(ddeps, req.account!.id)
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={state.message} fields={[]} />
        {state.notice ? (
          <p class="notice" role="status" safe>
            {state.notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {DOCUMENT_KINDS.map((kind) => (
          <section id={`dokumen-${kind}`}>
            <h2 safe>{tr(l, KIND_LABELS[kind])}</h2>
            <StatusLine locale={l} kind={kind} status={view.status[kind]} />
            <p class="hint" safe>
              {tr(l, KIND_HINTS[kind])}
            </p>
            <form method="post" action="/dokumen" enctype="multipart/form-data" class="upload" data-kind={kind} data-endpoint={`${UPLOADS_PATH}/`} data-csrf={ctx.csrfToken}>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <input type="hidden" name="kind" value={kind} />
              <p>
                <label for={`berkas-${kind}`} safe>
                  {tr(l, T.choose)}
                </label>
                <input type="file" id={`berkas-${kind}`} name="file" accept="image/jpeg,image/png,image/webp" />
              </p>
              <p class="upload-progress" hidden>
                <progress max="100" value="0" aria-label={tr(l, T.progress)}></progress> <span aria-live="polite"></span>
              </p>
              <p>
                <button type="submit" safe>
                  {tr(l, T.send)}
                </button>
              </p>
            </form>
          </section>
        ))}
        <script src="/static/upload.js" defer></script>
      </Layout>,
    )
  }

  app.get('/dokumen', { config: access, schema: { hide: true, querystring: Result } }, async (req, reply) => {
    const { hasil } = req.query as { hasil?: string }
    const notice = hasil === 'diterima' ? tr(req.locale, T.savedAccepted) : hasil === 'ditolak' ? tr(req.locale, T.savedRejected) : null
    return page(req, reply, { message: null, notice })
  })

  app.register(async (scope) => {
    acceptMultipart(scope, deps.config.uploadMaxBytes)
    scope.post('/dokumen', { config: access, schema: { hide: true } }, async (req, reply) => {
      const body = (req.body ?? {}) as MultipartBody
      const kind = body.kind
      const file = body.file
      if (typeof kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
        return page(req, reply.code(400), { message: tr(req.locale, T.badKind), notice: null })
      }
      if (!file || typeof file === 'string') return page(req, reply.code(400), { message: tr(req.locale, T.noFile), notice: null })
      const judged = await storeFormUpload(ddeps, req.account!.id, kind as DocumentKind, file.bytes)
      return reply.redirect(`/dokumen?hasil=${judged.reason ? 'ditolak' : 'diterima'}#dokumen-${kind}`, 303)
    })
  })

  app.get('/dokumen/:id/gambar', { config: access, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    const image = await ownDocumentImage(ddeps, req.account!.id, id)
    return reply
      .type(image.contentType)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .send(image.bytes)
  })
}
