import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { Radios } from '../../web/choices.tsx'
import { tr, formatDateTime } from '../../platform/i18n/index.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { answer, question, startTest, submitTest, testState, type TestDeps } from './online-test.service.ts'

const T = {
  title: { id: 'Tes daring', en: 'Online test' },
  intro: {
    id: '12 soal: motivasi, berhitung, dan memahami bacaan. Waktu 40 menit dihitung dari waktu Anda mengerjakan; jika sinyal putus, lanjutkan nanti: jawaban dan sisa waktu tetap tersimpan.',
    en: '12 questions: motivation, numbers and reading. The 40 minutes count the time you spend; if the signal drops, carry on later: answers and remaining time are kept.',
  },
  notReady: { id: 'Lengkapi data diri terlebih dahulu, lalu kembali ke sini.', en: 'Complete your details first, then come back here.' },
  start: { id: 'Mulai tes', en: 'Start the test' },
  resume: { id: 'Lanjutkan tes ({answered} dari {total} terjawab, sisa {min} menit)', en: 'Continue the test ({answered} of {total} answered, {min} minutes left)' },
  passed: { id: 'Lulus tes daring: {c} dari {t} soal kemampuan benar ({at}).', en: 'Passed the online test: {c} of {t} ability questions right ({at}).' },
  failed: { id: 'Belum lulus tes daring: {c} dari {t} soal kemampuan benar ({at}). Anda bisa mengulang pada gelombang berikutnya.', en: 'Did not pass the online test: {c} of {t} ability questions right ({at}). You can retake it in the next wave.' },
  question: { id: 'Soal {n} dari {total}', en: 'Question {n} of {total}' },
  remaining: { id: 'Sisa waktu sekitar {min} menit. Jawaban tersimpan setiap kali Anda menekan tombol.', en: 'About {min} minutes left. Answers are saved every time you press a button.' },
  next: { id: 'Simpan dan lanjut', en: 'Save and continue' },
  finish: { id: 'Simpan dan selesai', en: 'Save and finish' },
  previous: { id: 'Soal sebelumnya', en: 'Previous question' },
  submitNow: { id: 'Kirim jawaban sekarang ({answered} dari {total} terjawab)', en: 'Submit now ({answered} of {total} answered)' },
  answer: { id: 'Jawaban', en: 'Answer' },
  timeUp: { id: 'Waktu habis; jawaban yang tersimpan sudah dinilai.', en: 'Time is up; the saved answers have been scored.' },
}

const N = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 100 }) })

export function registerOnlineTestRoutes(app: FastifyInstance, deps: AppDeps): void {
  const tdeps: TestDeps = { db: deps.database.db, clock: deps.clock }
  const devMailbox = deps.config.mail.devMailbox
  const access = { access: ['participant'] as const }

  app.get('/tes', { config: access, schema: { hide: true, querystring: Type.Object({ habis: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const s = await testState(tdeps, req.account!.id)
    const timeUp = (req.query as { habis?: string }).habis
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        {timeUp ? <p class="notice" role="status" safe>{tr(l, T.timeUp)}</p> : ''}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {s.state === 'not_ready' ? (
          <p class="notice">
            <a href="/profil" safe>
              {tr(l, T.notReady)}
            </a>
          </p>
        ) : s.state === 'done' ? (
          <p class={s.passed ? 'status ok' : 'status bad'} safe>
            {tr(l, s.passed ? T.passed : T.failed, { c: s.abilityCorrect, t: s.abilityTotal, at: formatDateTime(l, s.submittedAt) })}
          </p>
        ) : (
          <form method="post" action="/tes/mulai">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" safe>
              {s.state === 'in_progress' ? tr(l, T.resume, { answered: s.answered, total: s.total, min: Math.ceil(s.remainingMs / 60_000) }) : tr(l, T.start)}
            </button>
          </form>
        )}
      </Layout>,
    )
  })

  app.post('/tes/mulai', { config: access, schema: { hide: true } }, async (req, reply) => {
    await startTest(tdeps, req.account!.id)
    return reply.redirect('/tes/soal/1', 303)
  })

  /** One question a page; a refused answer comes back here with its message beside the choices. */
  async function questionPage(req: FastifyRequest, reply: FastifyReply, n: number, fields: FieldError[] = []) {
    const q = await question(tdeps, req.account!.id, n)
    if (q === 'time_up') return reply.redirect('/tes?habis=1', 303)
    if (q === 'none') return reply.redirect('/tes', 303)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.question, { n, total: q.total })}>
        <ErrorSummary locale={l} fields={fields} />
        <p class="muted" safe>
          {tr(l, T.remaining, { min: Math.ceil(q.remainingMs / 60_000) })}
        </p>
        <h1 safe>{tr(l, T.question, { n, total: q.total })}</h1>
        <form method="post" action={`/tes/soal/${n}`} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Radios locale={l} name="choice" legend={q.prompt[l]} value={q.choice === null ? '' : String(q.choice)} errors={fields} options={q.options.map((o, i) => ({ value: String(i), label: o[l] }))} />
          <p>
            <button type="submit" safe>
              {tr(l, n < q.total ? T.next : T.finish)}
            </button>
          </p>
        </form>
        {n > 1 ? (
          <p>
            <a href={`/tes/soal/${n - 1}`} safe>
              {tr(l, T.previous)}
            </a>
          </p>
        ) : (
          ''
        )}
        <form method="post" action="/tes/kirim">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="link" safe>
            {tr(l, T.submitNow, { answered: q.answered, total: q.total })}
          </button>
        </form>
      </Layout>,
    )
  }

  app.get('/tes/soal/:n', { config: access, schema: { hide: true, params: N } }, async (req, reply) =>
    questionPage(req, reply, (req.params as { n: number }).n),
  )

  app.post('/tes/soal/:n', { config: access, schema: { hide: true, params: N, body: Type.Record(Type.String(), Type.String({ maxLength: 100 })) } }, async (req, reply) => {
    const n = (req.params as { n: number }).n
    const raw = (req.body as Record<string, string>).choice
    try {
      const r = await answer(tdeps, req.account!.id, n, raw === undefined || raw === '' ? -1 : Number(raw))
      if (r === 'time_up') return reply.redirect('/tes?habis=1', 303)
      if (r === 'none') return reply.redirect('/tes', 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return questionPage(req, reply, n, [...err.fields])
    }
    const q = await question(tdeps, req.account!.id, n)
    if (typeof q !== 'string' && n < q.total) return reply.redirect(`/tes/soal/${n + 1}`, 303)
    await submitTest(tdeps, req.account!.id)
    return reply.redirect('/tes', 303)
  })

  app.post('/tes/kirim', { config: access, schema: { hide: true } }, async (req, reply) => {
    await submitTest(tdeps, req.account!.id)
    return reply.redirect('/tes', 303)
  })
}

