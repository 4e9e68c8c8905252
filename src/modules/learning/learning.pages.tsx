/**
 * Completion pages: the participant's certificate, review status and rating (a panel on
 * /pelatihan-saya) and the programme office's review queue. The certificate page and the
 * public check are in certificate.pages.tsx.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { learningDeps } from './learning.api.ts'
import { decideReview, rateCourse, reviewQueue, type MyLearning, type RuleName } from './learning.service.ts'
import { certificateOfPurchase } from './certificate.repository.ts'
import { chooseWhatEmployersSee } from './certificate.service.ts'
import { registerCertificatePages } from './certificate.pages.tsx'
import { registerRulesPages } from './rules.pages.tsx'
import { registerSurveyPages } from './surveys.pages.tsx'

const T = {
  reviewing: { id: 'Laporan kelulusan sedang ditinjau, perkiraan selesai {date}.', en: 'Completion report being reviewed, expected by {date}.' },
  certificate: { id: 'Sertifikat', en: 'Certificate' },
  certNumber: { id: 'Nomor {number} · nilai {grade} · terbit {date}', en: 'Number {number} · grade {grade} · issued {date}' },
  certPage: { id: 'Lihat sertifikat, kode QR dan yang dilihat pemberi kerja', en: 'See the certificate, its QR code and what an employer sees' },
  pdf: { id: 'Unduh sertifikat (PDF)', en: 'Download the certificate (PDF)' },
  consentShown: { id: 'Halaman verifikasi menampilkan nama lengkap Anda.', en: 'The verification page shows your full name.' },
  consentHidden: { id: 'Halaman verifikasi hanya menampilkan inisial nama Anda.', en: 'The verification page shows only your initials.' },
  assignments: { id: 'Tugas', en: 'Assignments' },
  rate: { id: 'Beri ulasan pelatihan (wajib sebelum insentif)', en: 'Review the course (required before the incentive)' },
  stars: { id: 'Bintang', en: 'Stars' },
  review: { id: 'Ulasan Anda', en: 'Your review' },
  send: { id: 'Kirim ulasan', en: 'Send review' },
  rated: { id: 'Ulasan Anda: {stars} dari 5 bintang — {text}', en: 'Your review: {stars} of 5 stars — {text}' },
  ratedForIncentive: { id: 'Syarat ulasan untuk insentif sudah terpenuhi.', en: 'The review the incentive requires is done.' },
  survey: { id: 'Isi survei evaluasi (mendapat insentif survei bila skema Anda menyediakannya)', en: 'Answer the evaluation survey (earns the survey incentive where your scheme has one)' },
  surveysDone: { id: 'Survei yang sudah Anda isi: {n} — lihat semua', en: 'Surveys you answered: {n} — see all' },
  queueTitle: { id: 'Antrean verifikasi penyelesaian', en: 'Completion review queue' },
  rulesLink: { id: 'Aturan verifikasi dan batas waktu tinjauan', en: 'Verification rules and review deadline' },
  queueEmpty: { id: 'Tidak ada laporan yang menunggu tinjauan.', en: 'No report is waiting for review.' },
  queueItem: { id: '{name} · {course} · {provider}', en: '{name} · {course} · {provider}' },
  due: { id: 'Batas waktu (SLA): {date}', en: 'Due (SLA): {date}' },
  broken: { id: 'Aturan yang tidak terpenuhi', en: 'Rules not met' },
  reported: { id: 'Laporan: nilai {grade}, selesai {date}', en: 'Report: grade {grade}, completed {date}' },
  approve: { id: 'Setujui (terbitkan sertifikat)', en: 'Approve (issue the certificate)' },
  reject: { id: 'Tolak', en: 'Reject' },
  reason: { id: 'Alasan keputusan', en: 'Reason for the decision' },
  decide: { id: 'Simpan keputusan', en: 'Record the decision' },
} satisfies Record<string, Text>

const RULES: Record<RuleName, Text> = {
  voucher_redeemed: { id: 'Voucher belum ditukar di lembaga pelatihan', en: 'The voucher was not redeemed at the provider' },
  attendance: { id: 'Tidak ada presensi untuk sesi yang dibeli', en: 'No attendance for the purchased session' },
  assignments_passed: { id: 'Ada tugas yang belum lulus', en: 'An assignment has not passed' },
  after_session_end: { id: 'Tanggal selesai sebelum sesi berakhir', en: 'Completion date before the session ended' },
}

const ASSIGNMENT: Record<string, Text> = {
  not_submitted: { id: 'belum dikumpulkan', en: 'not submitted' },
  pending: { id: 'menunggu penilaian', en: 'pending' },
  success: { id: 'lulus', en: 'passed' },
  failed: { id: 'tidak lulus', en: 'failed' },
}

/** The completion part of one course on /pelatihan-saya. */
export function LearningPanel(props: { locale: Locale; purchaseId: string; status: string; info: MyLearning | undefined; csrf: string; events?: ReadonlyArray<{ kind: string }> }): JSX.Element {
  const l = props.locale
  const m = props.info
  const surveyed = (props.events ?? []).filter((e) => e.kind === 'survey_answered').length
  const surveys =
    props.status === 'completed' ? (
      <p>
        <a href={`/pelatihan-saya/${props.purchaseId}/survei`} safe>{surveyed > 0 ? tr(l, T.surveysDone, { n: surveyed }) : tr(l, T.survey)}</a>
      </p>
    ) : (
      ''
    )
  if (!m) return <>{surveys}</>
  const c = m.certificate
  return (
    <>
      {m.assignments.length > 0 ? (
        <>
          <h3 safe>{tr(l, T.assignments)}</h3>
          <ul>
            {m.assignments.map((a) => (
              <li safe>{`${a.ref}: ${tr(l, ASSIGNMENT[a.status] ?? { id: a.status, en: a.status })}`}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {m.reviewDueAt && !c ? (
        <p class="notice" role="status" safe>
          {tr(l, T.reviewing, { date: formatDateTime(l, m.reviewDueAt) })}
        </p>
      ) : (
        ''
      )}
      {c ? (
        <>
          <h3 safe>{tr(l, T.certificate)}</h3>
          <p>
            <strong class="code" safe>{tr(l, T.certNumber, { number: c.number, grade: c.grade, date: formatDateTime(l, c.issuedAt) })}</strong>
          </p>
          <p>
            <a href={`/pelatihan-saya/${props.purchaseId}/sertifikat`} safe>{tr(l, T.certPage)}</a>
            {' · '}
            <a href={`/pelatihan-saya/${props.purchaseId}/sertifikat.pdf`} safe>{tr(l, T.pdf)}</a>
          </p>
          <p safe>{tr(l, c.showFullName ? T.consentShown : T.consentHidden)}</p>
        </>
      ) : (
        ''
      )}
      {props.status === 'completed' && m.rating ? (
        <p>
          <span safe>{tr(l, T.rated, { stars: m.rating.stars, text: m.rating.review })}</span> <span class="status ok" safe>{tr(l, T.ratedForIncentive)}</span>
        </p>
      ) : (
        ''
      )}
      {props.status === 'completed' && !m.rating ? (
        <form method="post" action={`/pelatihan-saya/${props.purchaseId}/ulasan`}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <fieldset class="radios">
            <legend safe>{tr(l, T.rate)}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label class="radio">
                <input type="radio" name="stars" value={String(n)} required /> <span safe>{`${n} ★`}</span>
              </label>
            ))}
          </fieldset>
          <label for={`review-${props.purchaseId}`} safe>{tr(l, T.review)}</label>
          <textarea id={`review-${props.purchaseId}`} name="review" rows="3" minlength="10" maxlength="2000" required></textarea>
          <p>
            <button type="submit" safe>{tr(l, T.send)}</button>
          </p>
        </form>
      ) : (
        ''
      )}
      {surveys}
    </>
  )
}

export function registerLearningPages(app: FastifyInstance, deps: AppDeps): void {
  const ld = learningDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
  const Form = Type.Record(Type.String(), Type.String({ maxLength: 4000 }))

  app.post('/pelatihan-saya/:id/ulasan', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    await rateCourse(ld, req.account!.id, (req.params as { id: string }).id, Number(b.stars ?? 0), b.review ?? '')
    return reply.redirect('/pelatihan-saya', 303)
  })

  // The name-only switch of the first version; the certificate page now sets name and grade together.
  app.post('/pelatihan-saya/:id/nama', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams, body: Form } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const a = req.account!
    const c = await certificateOfPurchase(deps.database.db, a.id, id)
    if (!c) throw new AppError('NOT_FOUND')
    await chooseWhatEmployersSee(ld, { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }, id, { showFullName: (req.body as Record<string, string>).show === '1', showGrade: c.showGrade })
    return reply.redirect('/pelatihan-saya', 303)
  })

  async function queuePage(req: FastifyRequest, reply: FastifyReply, state: { fields: readonly FieldError[]; message: string | null; id: string | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const items = await reviewQueue(deps.database.db)
    const canDecide = ctx.account?.role === 'pmo_admin'
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.queueTitle)}>
        <h1 safe>{tr(l, T.queueTitle)}</h1>
        <p>
          <a href="/pmo/penyelesaian/aturan" safe>{tr(l, T.rulesLink)}</a>
        </p>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        {items.length === 0 ? <p safe>{tr(l, T.queueEmpty)}</p> : ''}
        {items.map((it) => (
          <section class="panel" aria-labelledby={`r-${it.id}`}>
            <h2 id={`r-${it.id}`} safe>{tr(l, T.queueItem, { name: it.participantName, course: it.courseTitle, provider: it.providerName })}</h2>
            <p class={it.dueAt < deps.clock.now() ? 'status bad' : 'status'} safe>{tr(l, T.due, { date: formatDateTime(l, it.dueAt) })}</p>
            <p safe>{tr(l, T.reported, { grade: String(it.report.grade ?? ''), date: typeof it.report.completedAt === 'string' ? formatDateTime(l, new Date(it.report.completedAt)) : '' })}</p>
            <h3 safe>{tr(l, T.broken)}</h3>
            <ul>
              {it.brokenRules.map((r) => (
                <li safe>{tr(l, RULES[r] ?? { id: r, en: r })}</li>
              ))}
            </ul>
            {canDecide ? (
              <form method="post" action={`/pmo/penyelesaian/${it.id}`}>
                <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                <fieldset class="radios">
                  <legend safe>{tr(l, T.decide)}</legend>
                  <label class="radio">
                    <input type="radio" name="decision" value="approve" required /> <span safe>{tr(l, T.approve)}</span>
                  </label>
                  <label class="radio">
                    <input type="radio" name="decision" value="reject" required /> <span safe>{tr(l, T.reject)}</span>
                  </label>
                </fieldset>
                <Field locale={l} name="reason" label={tr(l, T.reason)} errors={state.id === it.id ? state.fields : []} />
                <p>
                  <button type="submit" safe>{tr(l, T.decide)}</button>
                </p>
              </form>
            ) : (
              ''
            )}
          </section>
        ))}
      </Layout>,
    )
  }

  app.get('/pmo/penyelesaian', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => queuePage(req, reply, { fields: [], message: null, id: null }))

  app.post('/pmo/penyelesaian/:id', { config: { access: ['pmo_admin'] }, schema: { hide: true, params: IdParams, body: Form } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const b = req.body as Record<string, string>
    const a = req.account!
    try {
      if (b.decision !== 'approve' && b.decision !== 'reject') throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'decision', id: 'Pilih setujui atau tolak.', en: 'Choose approve or reject.' }] })
      await decideReview(ld, { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }, id, b.decision, b.reason ?? '')
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return queuePage(req, reply, { fields: [...err.fields], message: errorMessage('VALIDATION_FAILED', req.locale), id })
    }
    return reply.redirect('/pmo/penyelesaian', 303)
  })

  registerCertificatePages(app, deps)
  registerRulesPages(app, deps)
  registerSurveyPages(app, deps)
}
