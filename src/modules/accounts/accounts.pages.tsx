import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout, homeFor } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage } from '../../platform/errors.ts'
import { startSession, endSession } from '../../platform/http/session.ts'
import { record } from '../../platform/audit/index.ts'
import { authenticate, safeNext } from './accounts.service.ts'

const T = {
  title: { id: 'Masuk ke akun Karya', en: 'Log in to Karya' },
  email: { id: 'Alamat e-mail', en: 'E-mail address' },
  password: { id: 'Kata sandi', en: 'Password' },
  submit: { id: 'Masuk', en: 'Log in' },
  problem: { id: 'Ada masalah', en: 'There is a problem' },
  noAccount: {
    id: 'Belum punya akun? Pendaftaran dibuka saat gelombang baru diumumkan di beranda.',
    en: 'No account yet? Registration opens when a new wave is announced on the home page.',
  },
}

const LoginBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 200 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String()),
})

const STAFF_OR_PARTNER = new Set(['officer', 'agent', 'supervisor', 'pmo_admin', 'auditor', 'platform', 'provider'])

export function registerAccountRoutes(app: FastifyInstance, deps: AppDeps): void {
  const sessionDeps = { db: deps.database.db, clock: deps.clock, config: deps.config }
  const devMailbox = deps.config.mail.devMailbox

  function loginPage(
    ctx: ReturnType<typeof pageContext>,
    values: { email?: string; next?: string | null },
    error: string | null,
  ) {
    const l = ctx.locale
    return (
      <Layout ctx={ctx} title={tr(l, T.title)}>
        {error ? (
          <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="err">
            <h2 id="err" safe>
              {tr(l, T.problem)}
            </h2>
            <p>
              <a href="#email" safe>
                {error}
              </a>
            </p>
          </div>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.title)}</h1>
        <form method="post" action="/masuk" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {values.next ? <input type="hidden" name="next" value={values.next} /> : ''}
          <div class={error ? 'has-error' : ''}>
            <label for="email" safe>
              {tr(l, T.email)}
            </label>
            <input id="email" name="email" type="email" autocomplete="username" required value={values.email ?? ''} />
            <label for="password" safe>
              {tr(l, T.password)}
            </label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <p>
            <button type="submit" safe>
              {tr(l, T.submit)}
            </button>
          </p>
        </form>
        <p class="muted" safe>
          {tr(l, T.noAccount)}
        </p>
      </Layout>
    )
  }

  app.get(
    '/masuk',
    { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      if (req.account) return reply.redirect(homeFor(req.account.role), 303)
      const ctx = pageContext(req, reply, { devMailbox })
      const next = safeNext((req.query as { next?: string }).next)
      return reply.type('text/html; charset=utf-8').send(await loginPage(ctx, { next }, null))
    },
  )

  app.post('/masuk', { config: { access: 'public' }, schema: { hide: true, body: LoginBody } }, async (req, reply) => {
    const body = req.body as typeof LoginBody.static
    const next = safeNext(body.next)
    try {
      const account = await authenticate(deps.database.db, body.email, body.password)
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
      return reply.redirect(next ?? homeFor(account.role), 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['INVALID_CREDENTIALS', 'ACCOUNT_FROZEN'].includes(err.code)) throw err
      // The page is shown again with what was typed (never the password) and the reason.
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      return reply
        .type('text/html; charset=utf-8')
        .send(await loginPage(ctx, { email: body.email, next }, errorMessage(err.code, ctx.locale)))
    }
  })

  app.post('/keluar', { config: { access: 'authenticated' }, schema: { hide: true } }, async (req, reply) => {
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
