import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout, homeFor } from '../../web/layout.tsx'
import { pageContext, type PageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { startSession, endSession } from '../../platform/http/session.ts'
import { transaction } from '../../platform/db/database.ts'
import { record } from '../../platform/audit/index.ts'
import { passwordLogin, safeNext } from './accounts.service.ts'
import { issueCode, resendCode, verifyCode } from './signup.service.ts'
import { maskPhone } from './contact.ts'
import { findVerificationState } from './accounts.repository.ts'

const T = {
  title: { id: 'Masuk ke akun Karya', en: 'Log in to Karya' },
  email: { id: 'Alamat e-mail atau nomor HP', en: 'E-mail address or mobile number' },
  emailHint: { id: 'Didaftarkan petugas tanpa e-mail dan HP? Isi nomor akun di slip Anda (KRY-…).', en: 'Registered by an officer without e-mail or phone? Enter the account reference on your slip (KRY-…).' },
  password: { id: 'Kata sandi', en: 'Password' },
  submit: { id: 'Masuk', en: 'Log in' },
  noAccount: { id: 'Belum punya akun?', en: 'No account yet?' },
  forgot: { id: 'Lupa kata sandi atau tidak bisa membuka e-mail?', en: 'Forgot your password or cannot open your e-mail?' },
  signUp: { id: 'Buat akun', en: 'Create an account' },
  codeTitle: { id: 'Masukkan kode dari SMS', en: 'Enter the code from the SMS' },
  codeSent: { id: 'Kami mengirim kode 6 angka ke {phone}. Kode berlaku 5 menit.', en: 'We sent a 6-digit code to {phone}. It is valid for 5 minutes.' },
  code: { id: 'Kode 6 angka', en: '6-digit code' },
  confirm: { id: 'Lanjut', en: 'Continue' },
  resend: { id: 'Kirim ulang kode', en: 'Send the code again' },
  resent: { id: 'Kode baru sudah dikirim.', en: 'A new code has been sent.' },
  resentEmail: { id: 'Kode sudah dikirim ke e-mail akun Anda. Masukkan di sini.', en: 'A code was sent to your account e-mail. Enter it here.' },
  viaEmail: { id: 'Tidak bisa menerima SMS? Kirim kode ke e-mail', en: 'Cannot receive SMS? Send the code by e-mail' },
}

const LoginBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 200 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String()),
})
const CodeBody = Type.Object({ code: Type.String({ maxLength: 20 }), next: Type.Optional(Type.String({ maxLength: 500 })), _csrf: Type.Optional(Type.String()) })

const STAFF_OR_PARTNER = new Set(['officer', 'agent', 'supervisor', 'pmo_admin', 'auditor', 'platform', 'provider'])

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sessionDeps = { db: deps.database.db, clock: deps.clock, config: deps.config }
  const signupDeps = { db: deps.database.db, mail: deps.mail, clock: deps.clock, config: deps.config }
  const devMailbox = deps.config.mail.devMailbox

  function loginPage(ctx: PageContext, values: { email?: string; next?: string | null }, error: string | null) {
    const l = ctx.locale
    const fields: FieldError[] = error ? [{ field: 'email', id: error, en: error }] : []
    return (
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <form method="post" action="/masuk" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {values.next ? <input type="hidden" name="next" value={values.next} /> : ''}
          <Field locale={l} name="email" label={tr(l, T.email)} hint={tr(l, T.emailHint)} type="text" autocomplete="username" value={values.email} errors={[]} />
          <Field locale={l} name="password" label={tr(l, T.password)} type="password" autocomplete="current-password" errors={[]} />
          <p>
            <button type="submit" safe>
              {tr(l, T.submit)}
            </button>
          </p>
        </form>
        <p>
          <a href="/lupa-sandi" safe>
            {tr(l, T.forgot)}
          </a>
        </p>
        <p>
          <a href="/pulihkan-akun" safe>
            {tr(l, { id: 'Tidak bisa membuka e-mail maupun HP? Pulihkan akun dengan KTP', en: 'Cannot open your e-mail or your phone? Recover your account with your KTP' })}
          </a>
        </p>
        <p>
          <span safe>{tr(l, T.noAccount)}</span>{' '}
          <a href="/daftar" safe>
            {tr(l, T.signUp)}
          </a>
        </p>
      </Layout>
    )
  }

  function codePage(ctx: PageContext, phone: string, next: string | null, fields: FieldError[], message: string | null, notice: string | null) {
    const l = ctx.locale
    return (
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
        <p safe>{tr(l, T.codeSent, { phone: maskPhone(phone) })}</p>
        <form method="post" action="/masuk/kode" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {next ? <input type="hidden" name="next" value={next} /> : ''}
          <Field locale={l} name="code" label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={fields} />
          <p>
            <button type="submit" safe>
              {tr(l, T.confirm)}
            </button>
          </p>
        </form>
        <form method="post" action="/masuk/kode/kirim-ulang">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="link" safe>
            {tr(l, T.resend)}
          </button>
        </form>
        <form method="post" action="/masuk/kode/kirim-ulang?lewat=email">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="link" safe>
            {tr(l, T.viaEmail)}
          </button>
        </form>
      </Layout>
    )
  }

  async function partialPhone(req: FastifyRequest): Promise<string | null> {
    if (!req.partialLogin) return null
    return (await findVerificationState(deps.database.db, req.partialLogin.id))?.phone ?? null
  }

  async function completeLogin(req: FastifyRequest, reply: FastifyReply, account: { id: string; role: string }, next: string | null) {
    await startSession(req, reply, account.id, sessionDeps)
    if (STAFF_OR_PARTNER.has(account.role)) {
      await record(deps.database.db, {
        actorId: account.id,
        actorRole: account.role,
        action: 'auth.login',
        subjectType: 'account',
        subjectId: account.id,
        requestId: String(req.id),
        ip: req.ip,
      })
    }
    return reply.redirect(next ?? homeFor(account.role as never), 303)
  }

  app.get(
    '/masuk',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      if (req.account) return reply.redirect(homeFor(req.account.role), 303)
      const ctx = pageContext(req, reply, { devMailbox })
      return sendPage(reply, await loginPage(ctx, { next: safeNext((req.query as { next?: string }).next) }, null))
    },
  )

  app.post('/masuk', { config: { access: 'public' }, schema: { hide: true, body: LoginBody } }, async (req, reply) => {
    const body = req.body as typeof LoginBody.static
    const next = safeNext(body.next)
    try {
      const account = await passwordLogin(signupDeps, body.email, body.password, req.ip)
      if (account.status === 'pending') {
        await startSession(req, reply, account.id, sessionDeps)
        return reply.redirect('/daftar/verifikasi', 303)
      }
      if (!account.needsCode) return await completeLogin(req, reply, account, next)
      await startSession(req, reply, account.id, sessionDeps, 'password')
      await transaction(deps.database.db, async (trx) => {
        const a = await findVerificationState(trx, account.id)
        await issueCode(trx, signupDeps, { accountId: account.id, name: account.displayName, to: a!.phone! }, 'login')
      }).catch((err: unknown) => {
        // Past the send limit the code page still opens and says until when to wait.
        if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
      })
      return reply.redirect(next ? `/masuk/kode?next=${encodeURIComponent(next)}` : '/masuk/kode', 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['INVALID_CREDENTIALS', 'ACCOUNT_FROZEN', 'ACCOUNT_LOCKED'].includes(err.code)) throw err
      // The page is shown again with what was typed (never the password) and the reason.
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      return sendPage(reply, await loginPage(ctx, { email: body.email, next }, errorMessage(err.code, ctx.locale)))
    }
  })

  app.get(
    '/masuk/kode',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String()), sent: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      const phone = await partialPhone(req)
      if (!phone) return reply.redirect('/masuk', 303)
      const ctx = pageContext(req, reply, { devMailbox })
      const q = req.query as { next?: string; sent?: string }
      const notice = q.sent === 'email' ? tr(ctx.locale, T.resentEmail) : q.sent ? tr(ctx.locale, T.resent) : null
      return sendPage(reply, await codePage(ctx, phone, safeNext(q.next), [], null, notice))
    },
  )

  app.post('/masuk/kode', { config: { access: 'public' }, schema: { hide: true, body: CodeBody } }, async (req, reply) => {
    const body = req.body as typeof CodeBody.static
    const partial = req.partialLogin
    const phone = await partialPhone(req)
    if (!partial || !phone) return reply.redirect('/masuk', 303)
    try {
      await verifyCode(signupDeps, partial.id, 'login', body.code, req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      return sendPage(reply, await codePage(ctx, phone, safeNext(body.next), [...err.fields], errorMessage(err.code, ctx.locale), null))
    }
    return completeLogin(req, reply, partial, safeNext(body.next))
  })

  app.post(
    '/masuk/kode/kirim-ulang',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ lewat: Type.Optional(Type.Literal('email')) }) } },
    async (req, reply) => {
      const partial = req.partialLogin
      const phone = await partialPhone(req)
      if (!partial || !phone) return reply.redirect('/masuk', 303)
      const viaEmail = (req.query as { lewat?: string }).lewat === 'email'
      try {
        await resendCode(signupDeps, partial.id, 'login', { viaEmail })
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
        const ctx = pageContext(req, reply, { devMailbox })
        reply.code(err.status)
        for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
        return sendPage(reply, await codePage(ctx, phone, null, [...err.fields], errorMessage(err.code, ctx.locale), null))
      }
      return reply.redirect(viaEmail ? '/masuk/kode?sent=email' : '/masuk/kode?sent=1', 303)
    },
  )

  app.post('/keluar', { config: { access: 'authenticated', allowPending: true }, schema: { hide: true } }, async (req, reply) => {
    const account = req.account
    if (account && STAFF_OR_PARTNER.has(account.role)) {
      await record(deps.database.db, {
        actorId: account.id,
        actorRole: account.role,
        action: 'auth.logout',
        subjectType: 'account',
        subjectId: account.id,
        requestId: String(req.id),
        ip: req.ip,
      })
    }
    await endSession(req, reply, sessionDeps)
    return reply.redirect('/', 303)
  })
}
