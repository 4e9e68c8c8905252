/** The public activation page: someone an officer registered chooses a password and takes over. */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage, type PageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { maskPhone } from '../accounts/contact.ts'
import { activate, requestActivationSms } from './activation.service.ts'
import type { AssistedDeps } from './assisted.service.ts'
import { formatReference } from './slip-codes.ts'
import { T } from './assisted-texts.ts'

const Body = Type.Object({
  identifier: Type.Optional(Type.String({ maxLength: 40 })),
  code: Type.Optional(Type.String({ maxLength: 20 })),
  password: Type.Optional(Type.String({ maxLength: 200 })),
  _csrf: Type.Optional(Type.String()),
})
const Query = Type.Object({ sms: Type.Optional(Type.String({ maxLength: 5 })) })
const HANDLED = ['ACTIVATION_FAILED', 'VALIDATION_FAILED', 'CODE_LIMIT', 'RATE_LIMITED']

function activationPage(ctx: PageContext, typed: { identifier?: string }, fields: readonly FieldError[], message: string | null, notice: string | null): JSX.Element {
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={tr(l, T.activateTitle)}>
      <ErrorSummary locale={l} message={message} fields={fields} />
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      <h1 safe>{tr(l, T.activateTitle)}</h1>
      <p safe>{tr(l, T.activateIntro)}</p>
      <form method="post" action="/aktivasi" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <Field locale={l} name="identifier" label={tr(l, T.identifier)} autocomplete="username" value={typed.identifier ?? ''} errors={fields} />
        <Field locale={l} name="code" label={tr(l, T.activationCode)} autocomplete="one-time-code" errors={fields} />
        <Field locale={l} name="password" label={tr(l, T.password)} hint={tr(l, T.passwordHint)} type="password" autocomplete="new-password" errors={fields} />
        <p>
          <button type="submit" safe>
            {tr(l, T.activate)}
          </button>
        </p>
      </form>
      <h2 safe>{tr(l, T.smsHeading)}</h2>
      <form method="post" action="/aktivasi/sms" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <Field locale={l} name="smsIdentifier" label={tr(l, T.smsPhone)} type="tel" inputmode="tel" autocomplete="tel" value={typed.identifier ?? ''} errors={[]} />
        <p>
          <button type="submit" class="secondary" safe>
            {tr(l, T.smsSend)}
          </button>
        </p>
      </form>
    </Layout>
  )
}

export function registerActivationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const adeps: AssistedDeps = { db: deps.database.db, clock: deps.clock, config: deps.config, mail: deps.mail, jobs: deps.jobs, identity: deps.identity }
  const devMailbox = deps.config.mail.devMailbox

  function refused(req: FastifyRequest, reply: FastifyReply, err: AppError, identifier: string) {
    const ctx = pageContext(req, reply, { devMailbox })
    reply.code(err.status)
    for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
    return sendPage(reply, activationPage(ctx, { identifier }, err.fields, errorMessage(err.code, ctx.locale), null))
  }

  app.get('/aktivasi', { config: { access: 'public' }, schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const notice = (req.query as { sms?: string }).sms ? tr(ctx.locale, T.smsSent) : null
    return sendPage(reply, activationPage(ctx, {}, [], null, notice))
  })

  app.post('/aktivasi/sms', { config: { access: 'public' }, schema: { hide: true, body: Type.Object({ smsIdentifier: Type.Optional(Type.String({ maxLength: 40 })), _csrf: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const identifier = (req.body as { smsIdentifier?: string }).smsIdentifier ?? ''
    try {
      await requestActivationSms(adeps, identifier, req.ip)
    } catch (err) {
      if (!(err instanceof AppError) || !HANDLED.includes(err.code)) throw err
      return refused(req, reply, err, identifier)
    }
    return reply.redirect('/aktivasi?sms=1', 303)
  })

  app.post('/aktivasi', { config: { access: 'public' }, schema: { hide: true, body: Body } }, async (req, reply) => {
    const b = req.body as typeof Body.static
    const identifier = b.identifier ?? ''
    try {
      const done = await activate(adeps, { identifier, code: b.code ?? '', password: b.password ?? '' }, { requestId: String(req.id), ip: req.ip })
      const ctx = pageContext(req, reply, { devMailbox })
      const l = ctx.locale
      const how = done.phone ? tr(l, T.viaPhone, { phone: maskPhone(done.phone) }) : tr(l, T.viaReference, { ref: formatReference(done.reference) })
      return sendPage(
        reply.header('cache-control', 'no-store'),
        <Layout ctx={ctx} title={tr(l, T.activatedTitle)}>
          <h1 safe>{tr(l, T.activatedTitle)}</h1>
          <p safe>{tr(l, T.activatedBody, { how })}</p>
          <p safe>{`${tr(l, T.reference)}: ${formatReference(done.reference)}`}</p>
          <p>
            <a class="button" href="/masuk" safe>
              {tr(l, T.login)}
            </a>
          </p>
        </Layout>,
      )
    } catch (err) {
      if (!(err instanceof AppError) || !HANDLED.includes(err.code)) throw err
      return refused(req, reply, err, identifier)
    }
  })
}
