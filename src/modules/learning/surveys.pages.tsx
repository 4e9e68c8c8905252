/**
 * The evaluation surveys on /pelatihan-saya/:id/survei (issue #7): what is still to do after
 * a course (the rating the incentive requires, the surveys), and each survey's form.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { hasRated, ownPurchase } from './surveys.repository.ts'
import { answerSurvey, surveysFor } from './surveys.service.ts'
import { MAX_TEXT, surveyById, type Question, type Survey } from './surveys.ts'

const T = {
  title: { id: 'Setelah pelatihan: ulasan dan survei', en: 'After the course: review and surveys' },
  back: { id: 'Kembali ke Pelatihan saya', en: 'Back to My courses' },
  notYet: { id: 'Survei dibuka setelah pelatihan ini terverifikasi selesai dan sertifikat terbit.', en: 'The surveys open once this course is verified completed and the certificate issued.' },
  rating: { id: 'Ulasan dan bintang untuk pelatihan: wajib sebelum insentif dibayarkan', en: 'Review and stars for the course: required before the incentive is paid' },
  rated: { id: 'sudah diberikan', en: 'given' },
  rateNow: { id: 'Beri ulasan di Pelatihan saya', en: 'Review it on My courses' },
  surveysIntro: { id: 'Survei evaluasi: mendapat insentif survei bila skema program Anda menyediakannya.', en: 'Evaluation surveys: they earn the survey incentive where your programme scheme has one.' },
  fill: { id: 'Isi survei', en: 'Answer the survey' },
  answered: { id: 'sudah diisi {date} — terima kasih', en: 'answered {date} — thank you' },
  scaleHint: { id: '1 = {low}, 5 = {high}', en: '1 = {low}, 5 = {high}' },
  send: { id: 'Kirim jawaban', en: 'Send my answers' },
  final: { id: 'Jawaban tidak bisa diubah setelah dikirim.', en: 'Answers cannot be changed once sent.' },
} satisfies Record<string, Text>

function QuestionField(props: { l: Locale; q: Question; value: string; error: FieldError | undefined }): JSX.Element {
  const { l, q } = props
  const err = props.error ? (
    <span class="field-error" id={`${q.key}-error`} safe>
      {props.error[l]}
    </span>
  ) : (
    ''
  )
  if (q.kind === 'text') {
    return (
      <div class={props.error ? 'has-error' : ''}>
        <label for={q.key} safe>{tr(l, q.text)}</label>
        {err}
        <textarea id={q.key} name={q.key} rows="3" maxlength={String(MAX_TEXT)} aria-invalid={props.error ? 'true' : undefined} safe>
          {props.value}
        </textarea>
      </div>
    )
  }
  const options = q.kind === 'scale' ? [1, 2, 3, 4, 5].map((n) => ({ value: String(n), text: String(n) })) : q.options.map((o) => ({ value: o.value, text: tr(l, o.text) }))
  return (
    <fieldset class={props.error ? 'radios has-error' : 'radios'} aria-describedby={q.kind === 'scale' ? `${q.key}-hint` : undefined}>
      <legend safe>{tr(l, q.text)}</legend>
      {q.kind === 'scale' ? (
        <span class="hint" id={`${q.key}-hint`} safe>
          {tr(l, T.scaleHint, { low: tr(l, q.low), high: tr(l, q.high) })}
        </span>
      ) : (
        ''
      )}
      {err}
      {options.map((o, i) => (
        <label class="radio">
          <input type="radio" id={i === 0 ? q.key : `${q.key}-${o.value}`} name={q.key} value={o.value} checked={props.value === o.value} /> <span safe>{o.text}</span>
        </label>
      ))}
    </fieldset>
  )
}

export function registerSurveyPages(app: FastifyInstance, deps: AppDeps): void {
  const devMailbox = deps.config.mail.devMailbox
  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
  const SurveyParams = Type.Object({ id: Type.String({ format: 'uuid' }), survey: Type.String({ maxLength: 60 }) })

  app.get('/pelatihan-saya/:id/survei', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const id = (req.params as { id: string }).id
    const p = await ownPurchase(deps.database.db, req.account!.id, id)
    if (!p) throw new AppError('NOT_FOUND')
    const [surveys, rated] = await Promise.all([surveysFor(deps.database.db, req.account!.id, id, p.status), hasRated(deps.database.db, id)])
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <p>
          <a href="/pelatihan-saya" safe>{tr(l, T.back)}</a>
        </p>
        <h1 safe>{tr(l, T.title)}</h1>
        <p class="lead" safe>{p.title}</p>
        {p.status !== 'completed' ? (
          <p class="notice" safe>{tr(l, T.notYet)}</p>
        ) : (
          <>
            <h2 safe>{tr(l, T.rating)}</h2>
            <p>
              {rated ? (
                <span class="status ok" safe>{tr(l, T.rated)}</span>
              ) : (
                <a href={`/pelatihan-saya#p-${id}`} safe>{tr(l, T.rateNow)}</a>
              )}
            </p>
            <h2 safe>{tr(l, T.surveysIntro)}</h2>
            <ul>
              {surveys.map((s) => (
                <li>
                  <span safe>{tr(l, s.survey.title)}</span>
                  {': '}
                  {s.answeredAt ? (
                    <span class="status ok" safe>{tr(l, T.answered, { date: formatDateTime(l, s.answeredAt) })}</span>
                  ) : (
                    <a href={`/pelatihan-saya/${id}/survei/${s.survey.id}`} safe>{tr(l, T.fill)}</a>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Layout>,
    )
  })

  async function formPage(req: FastifyRequest, reply: FastifyReply, survey: Survey, id: string, state: { fields: readonly FieldError[]; typed: Record<string, string> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, survey.title)}>
        <p>
          <a href={`/pelatihan-saya/${id}/survei`} safe>{tr(l, T.back)}</a>
        </p>
        <h1 safe>{tr(l, survey.title)}</h1>
        <p safe>{tr(l, survey.intro)}</p>
        <ErrorSummary locale={l} message={state.fields.length > 0 ? errorMessage('VALIDATION_FAILED', l) : null} fields={state.fields} />
        <form method="post" action={`/pelatihan-saya/${id}/survei/${survey.id}`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {survey.questions.map((q) => (
            <QuestionField l={l} q={q} value={state.typed[q.key] ?? ''} error={state.fields.find((f) => f.field === q.key)} />
          ))}
          <p class="hint" safe>{tr(l, T.final)}</p>
          <p>
            <button type="submit" safe>{tr(l, T.send)}</button>
          </p>
        </form>
      </Layout>,
    )
  }

  app.get('/pelatihan-saya/:id/survei/:survey', { config: { access: ['participant'] }, schema: { hide: true, params: SurveyParams } }, async (req, reply) => {
    const { id, survey } = req.params as { id: string; survey: string }
    const s = surveyById(survey)
    const p = await ownPurchase(deps.database.db, req.account!.id, id)
    if (!s || !p) throw new AppError('NOT_FOUND')
    const state = (await surveysFor(deps.database.db, req.account!.id, id, p.status)).find((x) => x.survey.id === s.id)
    // Already answered, not offered for this course, or the course is not completed: back to the list, which says why.
    if (!state || state.answeredAt) return reply.redirect(`/pelatihan-saya/${id}/survei`, 303)
    return formPage(req, reply, s, id, { fields: [], typed: {} })
  })

  app.post('/pelatihan-saya/:id/survei/:survey', { config: { access: ['participant'] }, schema: { hide: true, params: SurveyParams, body: Type.Record(Type.String(), Type.String({ maxLength: 4000 })) } }, async (req, reply) => {
    const { id, survey } = req.params as { id: string; survey: string }
    const b = req.body as Record<string, string>
    try {
      await answerSurvey({ db: deps.database.db, clock: deps.clock }, req.account!.id, id, survey, b)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return formPage(req, reply, surveyById(survey)!, id, { fields: [...err.fields], typed: b })
    }
    return reply.redirect(`/pelatihan-saya/${id}/survei`, 303)
  })
}
