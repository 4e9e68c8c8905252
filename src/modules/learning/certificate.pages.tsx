/**
 * The participant's certificate page (QR code, PDF, what an employer sees) and the public
 * verification page /sertifikat/:number that the QR code points at (issue #7).
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { certificatePdf } from './pdf.ts'
import { qrSvg } from './qr.ts'
import { certificateOfPurchase } from './certificate.repository.ts'
import { checkCertificate, chooseWhatEmployersSee, publicView, verificationUrl } from './certificate.service.ts'
import { hasRated } from './surveys.repository.ts'
import { surveysFor } from './surveys.service.ts'

const T = {
  title: { id: 'Sertifikat Anda', en: 'Your certificate' },
  back: { id: 'Kembali ke Pelatihan saya', en: 'Back to My courses' },
  course: { id: 'Pelatihan', en: 'Course' },
  provider: { id: 'Lembaga pelatihan', en: 'Training provider' },
  number: { id: 'Nomor sertifikat', en: 'Certificate number' },
  grade: { id: 'Nilai', en: 'Grade' },
  completed: { id: 'Selesai', en: 'Completed' },
  issued: { id: 'Tanggal terbit', en: 'Issue date' },
  holder: { id: 'Pemegang', en: 'Holder' },
  qr: { id: 'Kode QR: pindai untuk memeriksa sertifikat ini di {url}', en: 'QR code: scan to check this certificate at {url}' },
  pdf: { id: 'Unduh sertifikat (PDF, dengan kode QR)', en: 'Download the certificate (PDF, with the QR code)' },
  publicPage: { id: 'Lihat halaman verifikasi publik', en: 'See the public verification page' },
  providerCopy: { id: 'Sertifikat dari lembaga pelatihan', en: 'The provider’s certificate' },
  employerTitle: { id: 'Yang dilihat pemberi kerja', en: 'What an employer sees' },
  employerIntro: {
    id: 'Siapa pun yang memindai kode QR atau mengetik nomor sertifikat melihat pelatihan, lembaga, dan tanggal terbit. Anda memilih apa lagi yang ditampilkan; pilihan bisa diubah kapan saja.',
    en: 'Anyone who scans the QR code or types the certificate number sees the course, provider and issue date. You choose what else is shown; you can change it at any time.',
  },
  nameLegend: { id: 'Nama Anda', en: 'Your name' },
  nameFull: { id: 'Nama lengkap ({name})', en: 'Full name ({name})' },
  nameInitials: { id: 'Inisial saja ({initials})', en: 'Initials only ({initials})' },
  gradeLegend: { id: 'Nilai Anda', en: 'Your grade' },
  gradeShow: { id: 'Tampilkan nilai ({grade})', en: 'Show the grade ({grade})' },
  gradeHide: { id: 'Sembunyikan nilai', en: 'Hide the grade' },
  save: { id: 'Simpan pilihan', en: 'Save my choice' },
  now: { id: 'Saat ini pemberi kerja melihat: {holder}; nilai {grade}.', en: 'An employer now sees: {holder}; grade {grade}.' },
  hidden: { id: 'disembunyikan', en: 'hidden' },
  verifyTitle: { id: 'Verifikasi sertifikat', en: 'Verify a certificate' },
  verifyIntro: { id: 'Masukkan nomor sertifikat Karya (misalnya KRY-ABCD-1234-WXYZ) untuk memeriksa keasliannya.', en: 'Enter a Karya certificate number (e.g. KRY-ABCD-1234-WXYZ) to check it is genuine.' },
  check: { id: 'Periksa', en: 'Check' },
  valid: { id: 'Sertifikat sah / valid', en: 'Valid certificate / sertifikat sah' },
  invalid: {
    id: 'Sertifikat tidak valid / not valid: nomor ini tidak terdaftar atau telah diubah. Periksa kembali nomor pada sertifikat, atau minta pemegangnya menunjukkan sertifikat aslinya.',
    en: 'Not valid / tidak valid: this number is not on record or has been altered. Check the number on the certificate again, or ask the holder to show the original.',
  },
  nextTitle: { id: 'Setelah sertifikat', en: 'After the certificate' },
  rateNeeded: { id: 'Beri ulasan pelatihan: wajib sebelum insentif dibayarkan', en: 'Review the course: required before the incentive is paid' },
  rateDone: { id: 'Ulasan pelatihan sudah diberikan (syarat insentif).', en: 'Course review given (required for the incentive).' },
  surveyFill: { id: 'Isi survei: {title}', en: 'Answer the survey: {title}' },
  surveyDone: { id: '{title}: sudah diisi, terima kasih.', en: '{title}: answered, thank you.' },
  shownByConsent: { id: 'Nama dan nilai ditampilkan sesuai persetujuan pemegang sertifikat.', en: 'The name and grade are shown as the holder consented.' },
} satisfies Record<string, Text>

export function registerCertificatePages(app: FastifyInstance, deps: AppDeps): void {
  const devMailbox = deps.config.mail.devMailbox
  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
  const Form = Type.Record(Type.String(), Type.String({ maxLength: 200 }))

  app.get('/pelatihan-saya/:id/sertifikat', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const id = (req.params as { id: string }).id
    const c = await certificateOfPurchase(deps.database.db, req.account!.id, id)
    if (!c) throw new AppError('NOT_FOUND')
    const url = verificationUrl(deps.config.publicUrl, c.number)
    const seen = publicView(c)
    const safeQr = qrSvg(url, tr(l, T.qr, { url }))
    const [rated, surveys] = await Promise.all([hasRated(deps.database.db, id), surveysFor(deps.database.db, req.account!.id, id, 'completed')])
    const radio = (name: string, value: string, checked: boolean, label: string) => (
      <label class="radio">
        <input type="radio" name={name} value={value} checked={checked} /> <span safe>{label}</span>
      </label>
    )
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <p>
          <a href="/pelatihan-saya" safe>{tr(l, T.back)}</a>
        </p>
        <h1 safe>{tr(l, T.title)}</h1>
        <dl>
          <dt safe>{tr(l, T.course)}</dt>
          <dd safe>{c.courseTitle}</dd>
          <dt safe>{tr(l, T.provider)}</dt>
          <dd safe>{c.providerName}</dd>
          <dt safe>{tr(l, T.number)}</dt>
          <dd class="code" safe>{c.number}</dd>
          <dt safe>{tr(l, T.grade)}</dt>
          <dd safe>{String(c.grade)}</dd>
          <dt safe>{tr(l, T.completed)}</dt>
          <dd safe>{formatDateTime(l, c.completedOn)}</dd>
          <dt safe>{tr(l, T.issued)}</dt>
          <dd safe>{formatDateTime(l, c.issuedAt)}</dd>
        </dl>
        <figure class="qr">
          {safeQr}
          <figcaption safe>{tr(l, T.qr, { url })}</figcaption>
        </figure>
        <p>
          <a href={`/pelatihan-saya/${id}/sertifikat.pdf`} safe>{tr(l, T.pdf)}</a>
          {' · '}
          <a href={`/sertifikat/${c.number}`} safe>{tr(l, T.publicPage)}</a>
          {c.providerUrl ? (
            <>
              {' · '}
              <a href={c.providerUrl} rel="noopener noreferrer" safe>{tr(l, T.providerCopy)}</a>
            </>
          ) : (
            ''
          )}
        </p>
        <section class="panel" aria-labelledby="next">
          <h2 id="next" safe>{tr(l, T.nextTitle)}</h2>
          <ul>
            <li>{rated ? <span safe>{tr(l, T.rateDone)}</span> : <a href={`/pelatihan-saya#p-${id}`} safe>{tr(l, T.rateNeeded)}</a>}</li>
            {surveys.map((s) => (
              <li>
                {s.answeredAt ? (
                  <span safe>{tr(l, T.surveyDone, { title: tr(l, s.survey.title) })}</span>
                ) : (
                  <a href={`/pelatihan-saya/${id}/survei/${s.survey.id}`} safe>{tr(l, T.surveyFill, { title: tr(l, s.survey.title) })}</a>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section class="panel" aria-labelledby="employer">
          <h2 id="employer" safe>{tr(l, T.employerTitle)}</h2>
          <p safe>{tr(l, T.employerIntro)}</p>
          <p role="status" safe>{tr(l, T.now, { holder: seen.holder, grade: seen.grade === null ? tr(l, T.hidden) : String(seen.grade) })}</p>
          <form method="post" action={`/pelatihan-saya/${id}/sertifikat`}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <fieldset class="radios">
              <legend safe>{tr(l, T.nameLegend)}</legend>
              {radio('name', 'initials', !c.showFullName, tr(l, T.nameInitials, { initials: publicView({ ...c, showFullName: false }).holder }))}
              {radio('name', 'full', c.showFullName, tr(l, T.nameFull, { name: c.holder }))}
            </fieldset>
            <fieldset class="radios">
              <legend safe>{tr(l, T.gradeLegend)}</legend>
              {radio('grade', 'hide', !c.showGrade, tr(l, T.gradeHide))}
              {radio('grade', 'show', c.showGrade, tr(l, T.gradeShow, { grade: c.grade }))}
            </fieldset>
            <p>
              <button type="submit" safe>{tr(l, T.save)}</button>
            </p>
          </form>
        </section>
      </Layout>,
    )
  })

  app.post('/pelatihan-saya/:id/sertifikat', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams, body: Form } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const b = req.body as Record<string, string>
    const a = req.account!
    // Anything but an explicit "show" keeps the detail hidden.
    await chooseWhatEmployersSee({ db: deps.database.db, clock: deps.clock }, { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }, id, { showFullName: b.name === 'full', showGrade: b.grade === 'show' })
    return reply.redirect(`/pelatihan-saya/${id}/sertifikat`, 303)
  })

  app.get('/pelatihan-saya/:id/sertifikat.pdf', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const c = await certificateOfPurchase(deps.database.db, req.account!.id, (req.params as { id: string }).id)
    if (!c) throw new AppError('NOT_FOUND')
    const pdf = certificatePdf({
      title: 'SERTIFIKAT / CERTIFICATE',
      holder: c.holder,
      course: c.courseTitle,
      provider: c.providerName,
      details: [`Nilai / Grade: ${c.grade}`, `Selesai / Completed: ${formatDateTime('id', c.completedOn)}`, `Terbit / Issued: ${formatDateTime('id', c.issuedAt)}`, `Nomor / Number: ${c.number}`],
      verifyUrl: verificationUrl(deps.config.publicUrl, c.number),
    })
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="sertifikat-${c.number}.pdf"`).send(pdf)
  })

  async function verifyPage(req: FastifyRequest, reply: FastifyReply, typed: string | null) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const cert = typed ? await checkCertificate(deps.database.db, typed) : null
    if (typed && !cert) reply.code(404)
    // A consent withdrawn must show at once, not from a cache.
    reply.header('cache-control', 'no-store')
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.verifyTitle)}>
        <h1 safe>{tr(l, T.verifyTitle)}</h1>
        {typed && !cert ? (
          <div class="status bad" role="alert">
            <p lang="id" safe>{T.invalid.id}</p>
            <p lang="en" safe>{T.invalid.en}</p>
          </div>
        ) : (
          ''
        )}
        {cert ? (
          <section class="panel" aria-labelledby="cert">
            <h2 id="cert" class="status ok" safe>{tr(l, T.valid)}</h2>
            <dl>
              <dt safe>{tr(l, T.number)}</dt>
              <dd class="code" safe>{cert.number}</dd>
              <dt safe>{tr(l, T.course)}</dt>
              <dd safe>{cert.courseTitle}</dd>
              <dt safe>{tr(l, T.provider)}</dt>
              <dd safe>{cert.providerName}</dd>
              <dt safe>{tr(l, T.issued)}</dt>
              <dd safe>{formatDateTime(l, cert.issuedAt)}</dd>
              <dt safe>{tr(l, T.holder)}</dt>
              <dd safe>{cert.holder}</dd>
              {cert.grade !== null ? (
                <>
                  <dt safe>{tr(l, T.grade)}</dt>
                  <dd safe>{String(cert.grade)}</dd>
                </>
              ) : (
                ''
              )}
            </dl>
            <p class="hint" safe>{tr(l, T.shownByConsent)}</p>
          </section>
        ) : (
          ''
        )}
        <form method="get" action="/sertifikat">
          <p safe>{tr(l, T.verifyIntro)}</p>
          <label for="nomor" safe>{tr(l, T.number)}</label>
          <input id="nomor" name="nomor" autocomplete="off" maxlength="40" required value={typed ?? ''} />
          <p>
            <button type="submit" safe>{tr(l, T.check)}</button>
          </p>
        </form>
      </Layout>,
    )
  }

  app.get('/sertifikat', { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ nomor: Type.Optional(Type.String({ maxLength: 40 })) }) } }, async (req, reply) => {
    const nomor = (req.query as { nomor?: string }).nomor?.trim()
    if (nomor) return reply.redirect(`/sertifikat/${encodeURIComponent(nomor)}`, 303)
    return verifyPage(req, reply, null)
  })

  app.get('/sertifikat/:number', { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ number: Type.String({ maxLength: 40 }) }) } }, async (req, reply) =>
    verifyPage(req, reply, (req.params as { number: string }).number),
  )
}
