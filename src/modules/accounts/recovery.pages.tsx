import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, type PageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { tr, formatDateTime } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { findVerificationState, openContactChange } from './accounts.repository.ts'
import { maskEmail, maskPhone } from './contact.ts'
import {
  cancelContactChange,
  confirmEmailChange,
  confirmPhoneChange,
  requestEmailChange,
  requestPasswordReset,
  requestPhoneChange,
  resetPassword,
  type RecoveryDeps,
} from './recovery.service.ts'

const T = {
  forgotTitle: { id: 'Lupa kata sandi', en: 'Forgot password' },
  forgotIntro: {
    id: 'Tulis e-mail, nomor HP, atau NIK akun Anda. Kami mengirim kode ke e-mail dan nomor HP yang terdaftar.',
    en: 'Enter the e-mail, phone number or NIK of your account. We send a code to the e-mail and phone on file.',
  },
  identifier: { id: 'E-mail, nomor HP, atau NIK', en: 'E-mail, phone number or NIK' },
  send: { id: 'Kirim kode', en: 'Send code' },
  sent: {
    id: 'Jika data itu cocok dengan sebuah akun, kode sudah dikirim ke e-mail dan nomor HP akun tersebut. Jika Anda tidak bisa membuka keduanya, hubungi layanan pengaduan dengan membawa KTP.',
    en: 'If that matches an account, a code was sent to its e-mail and phone. If you can open neither, contact the helpdesk with your ID card.',
  },
  resetTitle: { id: 'Buat kata sandi baru', en: 'Choose a new password' },
  code: { id: 'Kode 6 angka', en: '6-digit code' },
  password: { id: 'Kata sandi baru', en: 'New password' },
  passwordHint: { id: 'Minimal 8 karakter.', en: 'At least 8 characters.' },
  save: { id: 'Simpan kata sandi', en: 'Save password' },
  resetDone: { id: 'Kata sandi sudah diganti. Semua sesi lama sudah dikeluarkan. Silakan masuk.', en: 'Your password was changed and every old session ended. Please log in.' },
  accountTitle: { id: 'Akun saya', en: 'My account' },
  email: { id: 'E-mail', en: 'E-mail' },
  phone: { id: 'Nomor HP', en: 'Phone' },
  pending: { id: 'Penggantian e-mail ke {to} berlaku pada {at}. Pemberitahuan sudah dikirim ke e-mail dan HP lama.', en: 'The change of e-mail to {to} takes effect on {at}. A notice went to the old e-mail and phone.' },
  pendingPhone: { id: 'Penggantian nomor HP ke {to} berlaku pada {at}. Pemberitahuan sudah dikirim ke e-mail dan HP lama.', en: 'The change of phone number to {to} takes effect on {at}. A notice went to the e-mail and the old phone.' },
  lockedOut: { id: 'Tidak bisa membuka e-mail maupun HP lama? Pulihkan akun dengan KTP dan swafoto.', en: 'Cannot open your e-mail or your old phone? Recover your account with your KTP and a selfie.' },
  changePhone: { id: 'Ganti nomor HP', en: 'Change phone number' },
  changePhoneIntro: {
    id: 'HP hilang atau nomor tidak aktif lagi? Masukkan nomor baru dan kata sandi Anda. Kami mengirim kode SMS ke nomor baru; setelah kode benar, penggantian berlaku 72 jam kemudian dan bisa dibatalkan dari e-mail atau HP lama selama itu. Untuk masuk selama itu, pilih "kirim kode ke e-mail" di halaman kode masuk.',
    en: 'Lost your phone or the number no longer works? Enter the new number and your password. We send an SMS code to the new number; once the code is right, the change takes effect 72 hours later and can be cancelled from the e-mail or old phone meanwhile. To log in until then, choose "send the code by e-mail" on the log-in code page.',
  },
  newPhone: { id: 'Nomor HP baru', en: 'New phone number' },
  phoneCodeSent: { id: 'Kode sudah dikirim lewat SMS ke nomor baru. Masukkan di sini.', en: 'A code was sent by SMS to the new number. Enter it here.' },
  confirmPhone: { id: 'Konfirmasi nomor HP baru', en: 'Confirm the new phone number' },
  changeEmail: { id: 'Ganti e-mail', en: 'Change e-mail' },
  changeIntro: {
    id: 'Kehilangan akses ke e-mail lama? Masukkan e-mail baru. Kami mengirim kode ke e-mail baru; setelah kode benar, penggantian berlaku 72 jam kemudian dan bisa dibatalkan dari e-mail atau HP lama selama itu.',
    en: 'Lost access to your old e-mail? Enter the new one. We send a code to it; once the code is right, the change takes effect 72 hours later and can be cancelled from the old e-mail or phone meanwhile.',
  },
  newEmail: { id: 'E-mail baru', en: 'New e-mail' },
  currentPassword: { id: 'Kata sandi sekarang', en: 'Current password' },
  codeSent: { id: 'Kode sudah dikirim ke e-mail baru. Masukkan di sini.', en: 'A code was sent to the new e-mail. Enter it here.' },
  confirm: { id: 'Konfirmasi e-mail baru', en: 'Confirm the new e-mail' },
  cancelTitle: { id: 'Batalkan penggantian e-mail atau nomor HP', en: 'Cancel the change of e-mail or phone' },
  cancelText: {
    id: 'Jika bukan Anda yang meminta penggantian e-mail atau nomor HP akun ini, batalkan sekarang lalu ganti kata sandi Anda.',
    en: 'If you did not ask to change this account e-mail or phone number, cancel now and then change your password.',
  },
  cancelButton: { id: 'Batalkan penggantian', en: 'Cancel the change' },
  cancelled: { id: 'Penggantian dibatalkan. Ganti kata sandi Anda lewat "Lupa kata sandi" bila perlu.', en: 'The change is cancelled. Change your password through "Forgot password" if needed.' },
  tooLate: { id: 'Penggantian sudah berlaku. Hubungi layanan pengaduan untuk memulihkan akun.', en: 'The change already took effect. Contact the helpdesk to recover the account.' },
}

const Any = Type.Record(Type.String(), Type.String({ maxLength: 300 }))
const Token = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) })

export function registerRecoveryRoutes(app: FastifyInstance, deps: AppDeps, opts: { accountIdForNik(nik: string): Promise<string | null> }): void {
  const rdeps: RecoveryDeps = { db: deps.database.db, mail: deps.mail, clock: deps.clock, config: deps.config, jobs: deps.jobs, accountIdForNik: opts.accountIdForNik }
  const devMailbox = deps.config.mail.devMailbox

  function simple(ctx: PageContext, title: string, body: JSX.Element, fields: readonly FieldError[] = [], message: string | null = null, notice: string | null = null) {
    return (
      <Layout ctx={ctx} title={title}>
        <ErrorSummary locale={ctx.locale} message={message} fields={fields} />
        {notice ? (
          <p class="notice" role="status" safe>
            {notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{title}</h1>
        {body}
      </Layout>
    )
  }

  function resetForm(ctx: PageContext, identifier: string, fields: readonly FieldError[], message: string | null, notice: string | null) {
    const l = ctx.locale
    return simple(
      ctx,
      tr(l, T.resetTitle),
      <form method="post" action="/lupa-sandi/atur" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <Field locale={l} name="identifier" label={tr(l, T.identifier)} value={identifier} errors={fields} />
        <Field locale={l} name="code" label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={fields} />
        <Field locale={l} name="password" label={tr(l, T.password)} hint={tr(l, T.passwordHint)} type="password" autocomplete="new-password" errors={fields} />
        <p>
          <button type="submit" safe>
            {tr(l, T.save)}
          </button>
        </p>
      </form>,
      fields,
      message,
      notice,
    )
  }

  app.get('/lupa-sandi', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      simple(
        ctx,
        tr(l, T.forgotTitle),
        <>
          <p safe>{tr(l, T.forgotIntro)}</p>
          <form method="post" action="/lupa-sandi" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="identifier" label={tr(l, T.identifier)} errors={[]} />
            <p>
              <button type="submit" safe>
                {tr(l, T.send)}
              </button>
            </p>
          </form>
          <p>
            <a href="/pulihkan-akun" safe>
              {tr(l, T.lockedOut)}
            </a>
          </p>
        </>,
      ),
    )
  })

  app.post('/lupa-sandi', { config: { access: 'public' }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const identifier = (req.body as Record<string, string>).identifier ?? ''
    try {
      await requestPasswordReset(rdeps, identifier)
    } catch (err) {
      // Past the send limit the answer stays the same as for any other identifier.
      if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
    }
    const ctx = pageContext(req, reply, { devMailbox })
    return sendPage(reply, resetForm(ctx, identifier, [], null, tr(ctx.locale, T.sent)))
  })

  app.get('/lupa-sandi/atur', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, resetForm(pageContext(req, reply, { devMailbox }), '', [], null, null)),
  )

  app.post('/lupa-sandi/atur', { config: { access: 'public' }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const input = { identifier: b.identifier ?? '', code: b.code ?? '', password: b.password ?? '' }
    try {
      await resetPassword(rdeps, input, req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED', 'VALIDATION_FAILED'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      return sendPage(reply, resetForm(ctx, input.identifier, err.fields, errorMessage(err.code, ctx.locale), null))
    }
    const ctx = pageContext(req, reply, { devMailbox })
    return sendPage(reply, simple(ctx, tr(ctx.locale, T.resetTitle), <p><a class="button" href="/masuk" safe>{tr(ctx.locale, T.resetDone)}</a></p>))
  })

  type AccountState = { fields?: FieldError[]; message?: string | null; notice?: string | null; codeStep?: 'email' | 'phone'; form?: 'email' | 'phone'; typed?: string }

  async function accountPage(ctx: PageContext, accountId: string, state: AccountState) {
    const l = ctx.locale
    const a = await findVerificationState(deps.database.db, accountId)
    const change = await openContactChange(deps.database.db, accountId)
    const fields = state.fields ?? []
    const emailFields = state.form === 'phone' || state.codeStep === 'phone' ? [] : fields
    const phoneFields = state.form === 'phone' || state.codeStep === 'phone' ? fields : []
    return simple(
      ctx,
      tr(l, T.accountTitle),
      <>
        <dl>
          <dt safe>{tr(l, T.email)}</dt>
          <dd safe>{String(a?.email ? maskEmail(a.email) : '-')}</dd>
          <dt safe>{tr(l, T.phone)}</dt>
          <dd safe>{String(a?.phone ? maskPhone(a.phone) : '-')}</dd>
        </dl>
        {change ? (
          <p class="notice" safe>
            {change.kind === 'email'
              ? tr(l, T.pending, { to: change.new_value, at: formatDateTime(l, change.effective_at) })
              : tr(l, T.pendingPhone, { to: maskPhone(change.new_value), at: formatDateTime(l, change.effective_at) })}
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.changeEmail)}</h2>
        <p safe>{tr(l, T.changeIntro)}</p>
        {state.codeStep === 'email' ? (
          <form method="post" action="/akun/ganti-email/kode" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="code" label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={emailFields} />
            <p>
              <button type="submit" safe>
                {tr(l, T.confirm)}
              </button>
            </p>
          </form>
        ) : (
          <form method="post" action="/akun/ganti-email" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="email" label={tr(l, T.newEmail)} type="email" value={state.form === 'email' ? (state.typed ?? '') : ''} errors={emailFields} />
            <Field locale={l} name="password" label={tr(l, T.currentPassword)} type="password" autocomplete="current-password" errors={emailFields} />
            <p>
              <button type="submit" safe>
                {tr(l, T.send)}
              </button>
            </p>
          </form>
        )}
        <h2 id="ganti-hp" safe>
          {tr(l, T.changePhone)}
        </h2>
        <p safe>{tr(l, T.changePhoneIntro)}</p>
        {state.codeStep === 'phone' ? (
          <form method="post" action="/akun/ganti-hp/kode" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="phone_code" label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={phoneFields} />
            <p>
              <button type="submit" safe>
                {tr(l, T.confirmPhone)}
              </button>
            </p>
          </form>
        ) : (
          <form method="post" action="/akun/ganti-hp" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="phone" label={tr(l, T.newPhone)} type="tel" autocomplete="tel" value={state.form === 'phone' ? (state.typed ?? '') : ''} errors={phoneFields} />
            <Field locale={l} name="phone_password" label={tr(l, T.currentPassword)} type="password" autocomplete="current-password" errors={phoneFields} />
            <p>
              <button type="submit" safe>
                {tr(l, T.send)}
              </button>
            </p>
          </form>
        )}
      </>,
      fields,
      state.message ?? null,
      state.notice ?? null,
    )
  }

  app.get('/akun', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, await accountPage(pageContext(req, reply, { devMailbox }), req.account!.id, {})),
  )

  app.post('/akun/ganti-email', { config: { access: ['participant'] }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const ctx = pageContext(req, reply, { devMailbox })
    try {
      await requestEmailChange(rdeps, req.account!.id, { email: b.email ?? '', password: b.password ?? '' })
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'EMAIL_TAKEN', 'CODE_LIMIT'].includes(err.code)) throw err
      reply.code(err.status)
      return sendPage(reply, await accountPage(ctx, req.account!.id, { form: 'email', fields: [...err.fields], message: errorMessage(err.code, ctx.locale), typed: b.email ?? '' }))
    }
    return sendPage(reply, await accountPage(ctx, req.account!.id, { codeStep: 'email', notice: tr(ctx.locale, T.codeSent) }))
  })

  app.post('/akun/ganti-email/kode', { config: { access: ['participant'] }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    try {
      await confirmEmailChange(rdeps, req.account!.id, (req.body as Record<string, string>).code ?? '', req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
      reply.code(err.status)
      return sendPage(reply, await accountPage(ctx, req.account!.id, { codeStep: 'email', fields: [...err.fields], message: errorMessage(err.code, ctx.locale) }))
    }
    return reply.redirect('/akun', 303)
  })

  app.post('/akun/ganti-hp', { config: { access: ['participant'] }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const ctx = pageContext(req, reply, { devMailbox })
    try {
      await requestPhoneChange(rdeps, req.account!.id, { phone: b.phone ?? '', password: b.phone_password ?? '' })
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'PHONE_TAKEN', 'CODE_LIMIT'].includes(err.code)) throw err
      reply.code(err.status)
      // The password field of this form is called phone_password, so the summary links to it.
      const fields = err.fields.map((f) => (f.field === 'password' || f.field === 'code' ? { ...f, field: f.field === 'code' ? 'phone' : 'phone_password' } : f))
      return sendPage(reply, await accountPage(ctx, req.account!.id, { form: 'phone', fields, message: errorMessage(err.code, ctx.locale), typed: b.phone ?? '' }))
    }
    return sendPage(reply, await accountPage(ctx, req.account!.id, { codeStep: 'phone', notice: tr(ctx.locale, T.phoneCodeSent) }))
  })

  app.post('/akun/ganti-hp/kode', { config: { access: ['participant'] }, schema: { hide: true, body: Any } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    try {
      await confirmPhoneChange(rdeps, req.account!.id, (req.body as Record<string, string>).phone_code ?? '', req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
      reply.code(err.status)
      const fields = err.fields.map((f) => ({ ...f, field: 'phone_code' }))
      return sendPage(reply, await accountPage(ctx, req.account!.id, { codeStep: 'phone', fields, message: errorMessage(err.code, ctx.locale) }))
    }
    return reply.redirect('/akun', 303)
  })

  app.get('/batal-ganti/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const token = (req.params as { token: string }).token
    return sendPage(
      reply,
      simple(
        ctx,
        tr(l, T.cancelTitle),
        <>
          <p safe>{tr(l, T.cancelText)}</p>
          <form method="post" action={`/batal-ganti/${token}`}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" safe>
              {tr(l, T.cancelButton)}
            </button>
          </form>
        </>,
      ),
    )
  })

  app.post('/batal-ganti/:token', { config: { access: 'public' }, schema: { hide: true, params: Token } }, async (req, reply) => {
    const outcome = await cancelContactChange(rdeps, (req.params as { token: string }).token)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(reply, simple(ctx, tr(l, T.cancelTitle), <p class="notice" role="status" safe>{tr(l, outcome === 'cancelled' ? T.cancelled : T.tooLate)}</p>))
  })
}
