/** /pulihkan-akun: recovery for someone who lost both the inbox and the phone (no JavaScript needed). */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { acceptMultipart, type MultipartBody } from '../documents/multipart.ts'
import { codeStep, proveContacts, resendCodes, submitRequest, type ReverificationDeps } from './reverification.service.ts'

export const T = {
  title: { id: 'Pulihkan akun', en: 'Recover your account' },
  intro: {
    id: 'Untuk Anda yang tidak bisa membuka e-mail maupun HP yang terdaftar. Tulis data sesuai KTP dan Kartu Keluarga, kontak baru, dan ambil swafoto sekarang. Petugas layanan pengaduan membandingkan swafoto dengan foto KTP dan swafoto yang tersimpan.',
    en: 'For when you can open neither the e-mail nor the phone on file. Enter your details as on your KTP and family card, a new contact, and take a selfie now. A helpdesk agent compares it with the KTP photo and the selfie on file.',
  },
  nik: { id: 'NIK (16 angka di KTP)', en: 'NIK (16 digits on the KTP)' },
  kk: { id: 'Nomor Kartu Keluarga (16 angka)', en: 'Family card (KK) number (16 digits)' },
  dob: { id: 'Tanggal lahir', en: 'Date of birth' },
  dobHint: { id: 'Contoh: 17-08-1995', en: 'For example: 17-08-1995' },
  newEmail: { id: 'E-mail baru', en: 'New e-mail' },
  newPhone: { id: 'Nomor HP baru', en: 'New phone number' },
  contactHint: { id: 'Isi salah satu atau keduanya. Kami mengirim kode ke setiap kontak baru.', en: 'Fill in one or both. We send a code to each new contact.' },
  selfie: { id: 'Swafoto sekarang', en: 'A selfie now' },
  selfieHint: {
    id: 'Wajah menghadap kamera, tanpa masker, kacamata hitam atau topi, di tempat terang. Di HP, tombol ini membuka kamera depan.',
    en: 'Face the camera, without a mask, sunglasses or hat, somewhere bright. On a phone this button opens the front camera.',
  },
  send: { id: 'Kirim permintaan', en: 'Send the request' },
  codeTitle: { id: 'Masukkan kode', en: 'Enter the code' },
  codeIntro: { id: 'Kami mengirim kode 6 angka ke kontak baru Anda. Masukkan di sini dalam 30 menit.', en: 'We sent a 6-digit code to your new contact. Enter it here within 30 minutes.' },
  codeEmail: { id: 'Kode dari e-mail {to}', en: 'Code from the e-mail to {to}' },
  codePhone: { id: 'Kode dari SMS ke {to}', en: 'Code from the SMS to {to}' },
  confirm: { id: 'Konfirmasi', en: 'Confirm' },
  resend: { id: 'Kirim ulang kode', en: 'Send the code again' },
  resent: { id: 'Kode baru sudah dikirim.', en: 'A new code was sent.' },
  doneTitle: { id: 'Permintaan diterima', en: 'Request received' },
  done: {
    id: 'Terima kasih. Jika data yang Anda kirim cocok dengan sebuah akun, petugas layanan pengaduan memeriksanya dan mengabari Anda lewat kontak baru. Jika disetujui, kontak baru berlaku 72 jam kemudian; setelah itu buat kata sandi baru lewat "Lupa kata sandi". Jika dalam 5 hari kerja tidak ada kabar, datangi petugas Karya di kantor daerah Anda dengan membawa KTP asli.',
    en: 'Thank you. If what you sent matches an account, a helpdesk agent checks it and tells you through the new contact. If approved, the new contact takes effect 72 hours later; then choose a new password through "Forgot password". If you hear nothing within 5 working days, visit a Karya officer at your regional office with your original KTP.',
  },
}

/** `capture="user"` opens the front camera on a phone; @kitajs/html's input type does not list it yet. */
const FRONT_CAMERA = { capture: 'user' } as Record<string, string>
const Token = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) })
const CodeBody = Type.Record(Type.String(), Type.String({ maxLength: 300 }))

export function rdepsOf(deps: AppDeps): ReverificationDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config, mail: deps.mail, jobs: deps.jobs, identity: deps.identity }
}

export function registerReverificationRoutes(app: FastifyInstance, deps: AppDeps, rdeps: ReverificationDeps = rdepsOf(deps)): void {
  const devMailbox = deps.config.mail.devMailbox

  function formPage(req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, fields: readonly FieldError[], message: string | null) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const selfieError = fields.find((f) => f.field === 'selfie')
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={message} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <form method="post" action="/pulihkan-akun" enctype="multipart/form-data" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field locale={l} name="nik" label={tr(l, T.nik)} inputmode="numeric" value={values.nik ?? ''} errors={fields} />
          <Field locale={l} name="kk" label={tr(l, T.kk)} inputmode="numeric" value={values.kk ?? ''} errors={fields} />
          <Field locale={l} name="dob" label={tr(l, T.dob)} hint={tr(l, T.dobHint)} autocomplete="bday" value={values.dob ?? ''} errors={fields} />
          <p class="hint" safe>
            {tr(l, T.contactHint)}
          </p>
          <Field locale={l} name="new_email" label={tr(l, T.newEmail)} type="email" autocomplete="email" value={values.new_email ?? ''} errors={fields} />
          <Field locale={l} name="new_phone" label={tr(l, T.newPhone)} type="tel" autocomplete="tel" value={values.new_phone ?? ''} errors={fields} />
          <div class={selfieError ? 'has-error' : ''}>
            <label for="selfie" safe>
              {tr(l, T.selfie)}
            </label>
            <span class="hint" id="selfie-hint" safe>
              {tr(l, T.selfieHint)}
            </span>
            {selfieError ? (
              <span class="field-error" id="selfie-error" safe>
                {selfieError[l]}
              </span>
            ) : (
              ''
            )}
            <input
              type="file"
              id="selfie"
              name="selfie"
              accept="image/*"
              {...FRONT_CAMERA}
              aria-describedby={selfieError ? 'selfie-hint selfie-error' : 'selfie-hint'}
              aria-invalid={selfieError ? 'true' : undefined}
            />
          </div>
          <p>
            <button type="submit" safe>
              {tr(l, T.send)}
            </button>
          </p>
        </form>
      </Layout>,
    )
  }

  async function codePage(req: FastifyRequest, reply: FastifyReply, token: string, fields: readonly FieldError[], message: string | null, notice: string | null) {
    const step = await codeStep(rdeps, token)
    if (step.done) return donePage(req, reply)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.codeTitle)}>
        <ErrorSummary locale={l} message={message} fields={fields} />
        {notice ? (
          <p class="notice" role="status" safe>
            {notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.codeTitle)}</h1>
        <p safe>{tr(l, T.codeIntro)}</p>
        <form method="post" action={`/pulihkan-akun/kode/${token}`} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {step.email ? <Field locale={l} name="code_email" label={tr(l, T.codeEmail, { to: step.email })} inputmode="numeric" autocomplete="one-time-code" errors={fields} /> : ''}
          {step.phone ? <Field locale={l} name="code_phone" label={tr(l, T.codePhone, { to: step.phone })} inputmode="numeric" autocomplete="one-time-code" errors={fields} /> : ''}
          <p>
            <button type="submit" safe>
              {tr(l, T.confirm)}
            </button>
          </p>
        </form>
        <form method="post" action={`/pulihkan-akun/kode/${token}/kirim-ulang`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="link" id="resend" safe>
            {tr(l, T.resend)}
          </button>
        </form>
      </Layout>,
    )
  }

  function donePage(req: FastifyRequest, reply: FastifyReply) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.doneTitle)}>
        <h1 safe>{tr(l, T.doneTitle)}</h1>
        <p class="notice" role="status" safe>
          {tr(l, T.done)}
        </p>
      </Layout>,
    )
  }

  app.get('/pulihkan-akun', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => formPage(req, reply, {}, [], null))

  app.register(async (scope) => {
    acceptMultipart(scope, deps.config.uploadMaxBytes)
    scope.post('/pulihkan-akun', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const body = (req.body ?? {}) as MultipartBody
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 300) : '')
      const values = { nik: text('nik'), kk: text('kk'), dob: text('dob'), new_email: text('new_email'), new_phone: text('new_phone') }
      const file = body.selfie
      try {
        const { token } = await submitRequest(
          rdeps,
          { nik: values.nik, kk: values.kk, dateOfBirth: values.dob, email: values.new_email, phone: values.new_phone, selfie: file && typeof file !== 'string' ? file.bytes : null },
          req.ip,
        )
        return reply.redirect(`/pulihkan-akun/kode/${token}`, 303)
      } catch (err) {
        if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'CODE_LIMIT'].includes(err.code)) throw err
        reply.code(err.status)
        return formPage(req, reply, values, err.fields, errorMessage(err.code, req.locale))
      }
    })
  })

  app.get('/pulihkan-akun/kode/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) =>
    codePage(req, reply, (req.params as { token: string }).token, [], null, null),
  )

  app.post('/pulihkan-akun/kode/:token', { config: { access: 'public' }, schema: { hide: true, params: Token, body: CodeBody } }, async (req, reply) => {
    const token = (req.params as { token: string }).token
    const b = req.body as Record<string, string>
    try {
      await proveContacts(rdeps, token, { email: b.code_email ?? '', phone: b.code_phone ?? '' }, req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
      reply.code(err.status)
      return codePage(req, reply, token, err.fields, errorMessage(err.code, req.locale), null)
    }
    return donePage(req, reply)
  })

  app.post('/pulihkan-akun/kode/:token/kirim-ulang', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const token = (req.params as { token: string }).token
    try {
      await resendCodes(rdeps, token)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'CODE_LIMIT') throw err
      reply.code(err.status)
      return codePage(req, reply, token, err.fields.map((f) => ({ ...f, field: 'resend' })), errorMessage(err.code, req.locale), null)
    }
    return codePage(req, reply, token, [], null, tr(req.locale, T.resent))
  })
}
