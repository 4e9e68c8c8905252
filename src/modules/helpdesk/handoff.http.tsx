/**
 * The partner side of a hand-off: the partner console page /mitra/pengaduan and the signed
 * partner API. Partners see only the question handed to them, never the person's data.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { helpdeskDeps } from './deps.ts'
import { answerHandoff, partnerHandoffs } from './handoff.service.ts'
import { CATEGORY } from './helpdesk.texts.ts'

const T = {
  title: { id: 'Pengaduan yang diteruskan ke Anda', en: 'Complaints handed to you' },
  intro: { id: 'Program tetap menjadi penanggung jawab pengaduan; jawab pertanyaannya sebelum batas waktu. Jawaban Anda dibaca petugas Karya dan peserta.', en: 'The programme keeps ownership of each complaint; answer the question before it is due. Your answer is read by the Karya agent and the participant.' },
  none: { id: 'Tidak ada pertanyaan yang menunggu.', en: 'No questions waiting.' },
  due: { id: 'Batas jawaban: {due}', en: 'Answer due: {due}' },
  answer: { id: 'Jawaban Anda', en: 'Your answer' },
  send: { id: 'Kirim jawaban', en: 'Send the answer' },
  sent: { id: 'Jawaban untuk {tracking} terkirim.', en: 'The answer for {tracking} was sent.' },
} satisfies Record<string, Text>

const HandoffId = Type.Object({ id: Type.String({ format: 'uuid' }) })

export function registerHandoffRoutes(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const consoleAccess = { access: ['platform', 'provider'] as const }

  async function page(req: FastifyRequest, reply: FastifyReply, s: { fields?: readonly FieldError[]; message?: string | null; notice?: string | null }) {
    const code = req.account!.partnerCode
    const rows = code ? await partnerHandoffs(hd, code) : []
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fields = s.fields ?? []
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        {s.notice ? <p class="notice" role="status" safe>{s.notice}</p> : ''}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {rows.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        {rows.map((h) => (
          <section aria-labelledby={`h-${h.id}`}>
            <h2 id={`h-${h.id}`} safe>{`${h.tracking} · ${tr(l, CATEGORY[h.category])}`}</h2>
            <p safe>{tr(l, T.due, { due: formatDateTime(l, h.due_at) })}</p>
            <p style="white-space:pre-wrap" safe>{h.question}</p>
            <form method="post" action={`/mitra/pengaduan/${h.id}`} novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <label for={`answer-${h.id}`} safe>{tr(l, T.answer)}</label>
              {fields.filter((f) => f.field === `answer-${h.id}`).map((f) => <span class="field-error" safe>{f[l]}</span>)}
              <textarea id={`answer-${h.id}`} name="answer" rows="4"></textarea>
              <p class="actions"><button type="submit" safe>{tr(l, T.send)}</button></p>
            </form>
          </section>
        ))}
      </Layout>)
  }

  app.get('/mitra/pengaduan', { config: consoleAccess, schema: { hide: true } }, async (req, reply) => page(req, reply, {}))

  app.post('/mitra/pengaduan/:id', { config: consoleAccess, schema: { hide: true, params: HandoffId, body: Type.Object({ answer: Type.Optional(Type.String({ maxLength: 200_000 })) }) } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const code = req.account!.partnerCode
    if (!code) throw new AppError('FORBIDDEN')
    try {
      const r = await answerHandoff(hd, { partnerCode: code, by: req.account!.id, via: 'console', requestId: String(req.id), ip: req.ip }, id, (req.body as { answer?: string }).answer ?? '')
      return page(req, reply, { notice: tr(req.locale, T.sent, { tracking: r.tracking }) })
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(err.status)
      return page(req, reply, { fields: err.fields.map((f) => ({ ...f, field: `answer-${id}` })), message: errorMessage(err.code, req.locale) })
    }
  })

  const partner = { access: { partner: 'any' as const } }
  const Handoff = Type.Object({ id: Type.String(), tracking: Type.String(), category: Type.String(), question: Type.String(), dueAt: Type.String({ format: 'date-time' }), createdAt: Type.String({ format: 'date-time' }) })

  app.get('/api/v1/partner/helpdesk/handoffs', {
    config: partner,
    schema: { tags: ['partner'], summary: 'Complaints handed to you that wait for your answer (platform or provider)', response: { 200: Type.Object({ handoffs: Type.Array(Handoff) }) } },
  }, async (req) => ({
    handoffs: (await partnerHandoffs(hd, req.partner!.code)).map((h) => ({ id: h.id, tracking: h.tracking, category: h.category, question: h.question, dueAt: h.due_at.toISOString(), createdAt: h.created_at.toISOString() })),
  }))

  app.post('/api/v1/partner/helpdesk/handoffs/:id/answer', {
    config: partner,
    schema: {
      tags: ['partner'],
      summary: 'Answer a complaint handed to you',
      description: 'The answer (1–5 000 characters) goes to the Karya agent who owns the complaint and is shown to the participant. Each hand-off is answered once; a second answer is refused (409). A hand-off of another partner answers 404.',
      params: HandoffId,
      body: Type.Object({ answer: Type.String({ maxLength: 200_000 }) }),
      response: { 200: Type.Object({ tracking: Type.String(), answeredAt: Type.String({ format: 'date-time' }) }) },
    },
  }, async (req) => {
    const r = await answerHandoff(hd, { partnerCode: req.partner!.code, by: req.partner!.clientCode, via: 'api', requestId: String(req.id), ip: req.ip }, (req.params as { id: string }).id, (req.body as { answer: string }).answer)
    return { tracking: r.tracking, answeredAt: r.answeredAt.toISOString() }
  })
}
