import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, type PageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { startSession } from '../../platform/http/session.ts'
import { signUp, resendCode, verifyCode, verifyEmailLink, reportNotMe } from './signup.service.ts'
import { findVerificationState } from './accounts.repository.ts'
import { maskEmail, maskPhone } from './contact.ts'

const T = {
  title: { id: 'Buat akun Karya', en: 'Create a Karya account' },
  intro: {
    id: 'Anda perlu e-mail dan nomor HP yang aktif. Kami mengirim kode ke keduanya. Setiap pesan juga tersimpan di kotak masuk akun Anda.',
    en: 'You need a working e-mail and mobile number. We send a code to both. Every message is also kept in your account inbox.',
  },
  name: { id: 'Nama lengkap (sesuai KTP)', en: 'Full name (as on your ID card)' },
  email: { id: 'Alamat e-mail', en: 'E-mail address' },
  phone: { id: 'Nomor HP', en: 'Mobile number' },
  phoneHint: { id: 'Contoh: 0812 3456 7890', en: 'For example: 0812 3456 7890' },
  password: { id: 'Kata sandi', en: 'Password' },
  passwordHint: { id: 'Minimal 8 karakter. Kalimat pendek yang mudah Anda ingat juga boleh.', en: 'At least 8 characters. A short sentence you remember works well.' },
  submit: { id: 'Buat akun', en: 'Create account' },
  verifyTitle: { id: 'Verifikasi e-mail dan nomor HP', en: 'Verify your e-mail and phone' },
  emailStep: { id: 'E-mail {to}', en: 'E-mail {to}' },
  phoneStep: { id: 'Nomor HP {to}', en: 'Phone {to}' },
  done: { id: 'Sudah terverifikasi', en: 'Verified' },
  emailHint: { id: 'Ketik kode dari e-mail, atau klik tautan di e-mail itu.', en: 'Type the code from the e-mail, or click the link in it.' },
  phoneHint2: { id: 'Ketik kode dari SMS. Kode berlaku 10 menit.', en: 'Type the code from the SMS. It is valid for 10 minutes.' },
  code: { id: 'Kode 6 angka', en: '6-digit code' },
  check: { id: 'Periksa kode', en: 'Check code' },
  resend: { id: 'Kirim ulang kode', en: 'Send the code again' },
  resent: { id: 'Kode baru sudah dikirim.', en: 'A new code has been sent.' },
  inboxNote: { id: 'Tidak menerima pesan? Semua kode juga ada di kotak masuk akun ini setelah akun aktif, dan Anda bisa mengirim ulang.', en: 'No message? You can send it again; every code is also kept in this account inbox.' },
  linkOk: { id: 'E-mail Anda sudah terverifikasi.', en: 'Your e-mail is verified.' },
  linkOkNext: { id: 'Masuk untuk melanjutkan.', en: 'Log in to continue.' },
  notMeTitle: { id: 'Bukan Anda yang mendaftar?', en: 'Did someone else sign up with your e-mail?' },
  notMeText: {
    id: 'Jika Anda tidak pernah membuat akun Karya, tekan tombol di bawah. Pendaftaran itu dibatalkan, e-mail Anda dibebaskan, dan Manajemen Pelaksana menerima laporan penyalahgunaan.',
    en: 'If you never created a Karya account, press the button below. That sign-up is cancelled, your e-mail is freed and the programme office receives a misuse report.',
  },
  notMeButton: { id: 'Bukan saya, batalkan pendaftaran ini', en: 'This was not me, cancel this sign-up' },
  cancelled: { id: 'Pendaftaran dibatalkan dan dilaporkan. E-mail Anda bebas dipakai. Terima kasih.', en: 'The sign-up is cancelled and reported. Your e-mail is free. Thank you.' },
  reported: {
    id: 'Akun dengan e-mail ini sudah aktif, jadi tidak dibatalkan otomatis. Laporan Anda sudah diterima Manajemen Pelaksana; hubungi layanan pengaduan untuk mengamankan e-mail Anda.',
    en: 'The account with this e-mail is already active, so it was not cancelled automatically. The programme office has your report; contact the helpdesk to secure your e-mail.',
  },
}

const SignupBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 300 }),
  phone: Type.String({ maxLength: 40 }),
  password: Type.String({ maxLength: 200 }),
  _csrf: Type.Optional(Type.String()),
})
const CodeBody = Type.Object({ code: Type.String({ maxLength: 20 }), _csrf: Type.Optional(Type.String()) })
const What = Type.Object({ what: Type.Union([Type.Literal('email'), Type.Literal('telepon')]) })
const Token = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) })

export function registerSignupRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sessionDeps = { db: deps.database.db, clock: deps.clock, config: deps.config }
  const signupDeps = { db: deps.database.db, mail: deps.mail, clock: deps.clock, config: deps.config }
  const devMailbox = deps.config.mail.devMailbox

  function signupPage(ctx: PageContext, values: Partial<typeof SignupBody.static>, fields: readonly FieldError[], message: string | null) {
    const l = ctx.locale
    return (
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={message} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <form method="post" action="/daftar" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field locale={l} name="name" label={tr(l, T.name)} autocomplete="name" value={values.name} errors={fields} />
          <Field locale={l} name="email" label={tr(l, T.email)} type="email" autocomplete="email" value={values.email} errors={fields} />
          <Field locale={l} name="phone" label={tr(l, T.phone)} hint={tr(l, T.phoneHint)} type="tel" autocomplete="tel" inputmode="tel" value={values.phone} errors={fields} />
          <Field locale={l} name="password" label={tr(l, T.password)} hint={tr(l, T.passwordHint)} type="password" autocomplete="new-password" errors={fields} />
          <p>
            <button type="submit" safe>
              {tr(l, T.submit)}
            </button>
          </p>
        </form>
      </Layout>
    )
  }

  async function verifyPage(ctx: PageContext, accountId: string, fields: readonly FieldError[], message: string | null, notice: string | null) {
    const l = ctx.locale
    const a = await findVerificationState(deps.database.db, accountId)
    if (!a) throw new AppError('NOT_FOUND')
    const step = (what: 'email' | 'telepon', label: string, verified: boolean, hint: string) => (
      <section>
        <h2 safe>{label}</h2>
        {verified ? (
          <p>
            <span class="status ok" safe>
              {tr(l, T.done)}
            </span>
          </p>
        ) : (
          <>
            <p class="muted" safe>
              {hint}
            </p>
            <form method="post" action={`/daftar/verifikasi/${what}`} novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <Field locale={l} name={`code-${what}`} label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={fields} />
              <p>
                <button type="submit" safe>
                  {tr(l, T.check)}
                </button>
              </p>
            </form>
            <form method="post" action={`/daftar/kirim-ulang/${what}`}>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <button type="submit" class="link" safe>
                {tr(l, T.resend)}
              </button>
            </form>
          </>
        )}
      </section>
    )
    return (
      <Layout ctx={ctx} title={tr(l, T.verifyTitle)}>
        <ErrorSummary locale={l} message={message} fields={fields} />
        {notice ? (
          <p class="notice" role="status" safe>
            {notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.verifyTitle)}</h1>
        {step('email', tr(l, T.emailStep, { to: maskEmail(a.email ?? '') }), a.email_verified_at !== null, tr(l, T.emailHint))}
        {step('telepon', tr(l, T.phoneStep, { to: maskPhone(a.phone ?? '') }), a.phone_verified_at !== null, tr(l, T.phoneHint2))}
        <p class="muted" safe>
          {tr(l, T.inboxNote)}
        </p>
      </Layout>
    )
  }

  app.get('/daftar', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (req.account) return reply.redirect(req.account.status === 'pending' ? '/daftar/verifikasi' : '/', 303)
    return sendPage(reply, await signupPage(pageContext(req, reply, { devMailbox }), {}, [], null))
  })

  app.post('/daftar', { config: { access: 'public' }, schema: { hide: true, body: SignupBody } }, async (req, reply) => {
    const body = req.body as typeof SignupBody.static
    try {
      const { accountId } = await signUp(signupDeps, body)
      await startSession(req, reply, accountId, sessionDeps)
      return reply.redirect('/daftar/verifikasi', 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'EMAIL_TAKEN', 'PHONE_TAKEN'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      const { password: _never, ...kept } = body
      return sendPage(reply, await signupPage(ctx, kept, err.fields, errorMessage(err.code, ctx.locale)))
    }
  })

  app.get(
    '/daftar/verifikasi',
    { config: { access: ['participant'], allowPending: true }, schema: { hide: true, querystring: Type.Object({ sent: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      if (req.account!.status !== 'pending') return reply.redirect('/beranda', 303)
      const ctx = pageContext(req, reply, { devMailbox })
      const notice = (req.query as { sent?: string }).sent ? tr(ctx.locale, T.resent) : null
      return sendPage(reply, await verifyPage(ctx, req.account!.id, [], null, notice))
    },
  )

  app.post(
    '/daftar/verifikasi/:what',
    { config: { access: ['participant'], allowPending: true }, schema: { hide: true, params: What, body: Type.Record(Type.String(), Type.String({ maxLength: 200 })) } },
    async (req, reply) => {
      const { what } = req.params as typeof What.static
      const code = (req.body as Record<string, string>)[`code-${what}`] ?? ''
      let status
      try {
        status = await verifyCode(signupDeps, req.account!.id, what === 'email' ? 'email_verify' : 'phone_verify', code, req.ip)
      } catch (err) {
        if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
        const ctx = pageContext(req, reply, { devMailbox })
        reply.code(err.status)
        const fields = err.fields.map((f) => ({ ...f, field: `code-${what}` }))
        return sendPage(reply, await verifyPage(ctx, req.account!.id, fields, errorMessage(err.code, ctx.locale), null))
      }
      return reply.redirect(status === 'active' ? '/beranda' : '/daftar/verifikasi', 303)
    },
  )

  app.post(
    '/daftar/kirim-ulang/:what',
    { config: { access: ['participant'], allowPending: true }, schema: { hide: true, params: What } },
    async (req, reply) => {
      const { what } = req.params as typeof What.static
      try {
        await resendCode(signupDeps, req.account!.id, what === 'email' ? 'email_verify' : 'phone_verify')
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
        const ctx = pageContext(req, reply, { devMailbox })
        reply.code(err.status)
        for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
        const fields = err.fields.map((f) => ({ ...f, field: `code-${what}` }))
        return sendPage(reply, await verifyPage(ctx, req.account!.id, fields, errorMessage(err.code, ctx.locale), null))
      }
      return reply.redirect('/daftar/verifikasi?sent=1', 303)
    },
  )

  app.get('/verifikasi-email/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const { active } = await verifyEmailLink(signupDeps, (req.params as typeof Token.static).token)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.linkOk)}>
        <h1 safe>{tr(l, T.linkOk)}</h1>
        <p>
          <a class="button" href={active ? '/masuk' : '/daftar/verifikasi'} safe>
            {active ? tr(l, T.linkOkNext) : tr(l, T.verifyTitle)}
          </a>
        </p>
      </Layout>,
    )
  })

  // A page with a button, not an action on GET: mail scanners open links, people press buttons.
  app.get('/bukan-saya/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const token = (req.params as typeof Token.static).token
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.notMeTitle)}>
        <h1 safe>{tr(l, T.notMeTitle)}</h1>
        <p safe>{tr(l, T.notMeText)}</p>
        <form method="post" action={`/bukan-saya/${token}`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" safe>
            {tr(l, T.notMeButton)}
          </button>
        </form>
      </Layout>,
    )
  })

  app.post('/bukan-saya/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const outcome = await reportNotMe(signupDeps, (req.params as typeof Token.static).token, req.ip)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.notMeTitle)}>
        <h1 safe>{tr(l, T.notMeTitle)}</h1>
        <p class="notice" role="status" safe>
          {tr(l, outcome === 'cancelled' ? T.cancelled : T.reported)}
        </p>
      </Layout>,
    )
  })
}
