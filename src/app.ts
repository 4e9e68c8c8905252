/**
 * buildApp(deps): the whole HTTP surface — plugins, one error handler, every module's
 * routes and pages. Tests call it through app.inject(); main.ts makes it listen.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import csrf from '@fastify/csrf-protection'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Registry } from 'prom-client'
import type { AppDeps } from './app-deps.ts'
import { registerSessions } from './platform/http/session.ts'
import { registerLocale } from './platform/http/locale.ts'
import { registerGuard, type RegisteredRoute } from './platform/http/guard.ts'
import { keepRawJson, partnerAuthenticator, registerPartnerApiRoutes, registerPartnerPages } from './modules/partners/index.ts'
import { registerCatalogueApi, registerCataloguePages, registerCataloguePmoPages } from './modules/catalogue/index.ts'
import { registerPurchaseApi, registerPurchasePages } from './modules/purchases/index.ts'
import { registerLearningApi, registerLearningPages } from './modules/learning/index.ts'
import { registerIncentiveApi, registerIncentivePages, registerIncentivePmoPages } from './modules/incentives/index.ts'
import { registerMarketplaceSandbox } from './sandboxes/marketplace/index.ts'
import { registerErrorHandling } from './platform/http/error-handler.ts'
import { registerMetrics, registerOpsRoutes } from './platform/http/ops.routes.ts'
import { registerSiteRoutes } from './modules/site/site.pages.tsx'
import { registerAccountRoutes } from './modules/accounts/index.ts'
import { registerDashboardRoutes } from './modules/accounts/dashboards.pages.tsx'
import { registerSignupRoutes } from './modules/accounts/signup.pages.tsx'
import { registerFraudPages } from './modules/accounts/fraud.pages.tsx'
import { registerRegistrationRoutes } from './modules/registration/registration.pages.tsx'
import { registerPrivacyRoutes } from './modules/privacy/index.ts'
import { registerRecoveryRoutes } from './modules/accounts/recovery.pages.tsx'
import { accountIdForNik, registerOnlineTestRoutes, registerItemBankPages, registerCheckAttentionPages } from './modules/registration/index.ts'
import { registerMailPages, registerInboxApi } from './platform/mail/mail.pages.tsx'
import { registerAuditPages } from './platform/audit/audit.pages.tsx'
import { registerLedgerRoutes } from './modules/ledger/index.ts'
import { registerDocumentRoutes } from './modules/documents/index.ts'
import { registerWaveRoutes } from './modules/waves/index.ts'
import { registerAssistedRoutes, registerActivationRoutes } from './modules/assisted/index.ts'
import { registerReverificationRoutes, registerHelpdeskRoutes } from './modules/reverification/index.ts'
import { registerReportRoutes } from './modules/reports/index.ts'
import { registerWaitingRoom } from './modules/waiting-room/index.ts'
import { registerHelpdesk } from './modules/helpdesk/index.ts'
import { registerSecurityHeaders } from './platform/http/security-headers.ts'

const STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'web/static')
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

export interface BuiltApp {
  app: FastifyInstance
  routes: RegisteredRoute[]
  registry: Registry
}

export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config } = deps
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
    },
    bodyLimit: config.bodyLimitBytes,
    // A caller's request id is kept when it looks like one, so a partner can quote it back.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID()
    },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>()

  const routes: RegisteredRoute[] = []
  registerErrorHandling(app, { devMailbox: config.mail.devMailbox })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id))
  })

  await app.register(cookie, { secret: config.secret })
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes })
  keepRawJson(app)
  registerSecurityHeaders(app, config.publicUrl)
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'karya_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: config.publicUrl.startsWith('https://') },
  })

  registerSessions(app, { db: deps.database.db, clock: deps.clock, config })
  registerLocale(app)
  // After sessions (the access check reads req.account) and before any route is added.
  registerGuard(app, routes, { authenticatePartner: partnerAuthenticator(deps) })
  // After sessions and locale: logged-in people pass, and the waiting page speaks their language.
  registerWaitingRoom(app, deps)

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Karya API',
        version: '0.1.0',
        description:
          'Karya runs a national pre-employment card programme. Every error answers with `{ error: { code, message, messages: { id, en }, fields, requestId } }`.',
      },
      servers: [{ url: config.publicUrl }],
      tags: [
        { name: 'ops', description: 'Health, readiness and metrics' },
        { name: 'me', description: 'The signed-in person' },
        { name: 'partner', description: 'The partner API for platforms and training providers: every call signed (see GET /api/v1/partner/me)' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', maxAge: '1d', decorateReply: false })

  const registry = registerMetrics(app)
  registerOpsRoutes(app, { db: deps.database.db, dbKind: deps.database.kind, registry, metricsToken: config.metricsToken, production: config.env === 'production' })
  app.get(
    '/api/openapi.json',
    { config: { access: 'public' }, schema: { hide: true } },
    async () => app.swagger(),
  )

  registerSiteRoutes(app, deps)
  registerAccountRoutes(app, deps)
  registerDashboardRoutes(app, deps)
  registerSignupRoutes(app, deps)
  registerFraudPages(app, deps)
  registerRegistrationRoutes(app, deps)
  registerPrivacyRoutes(app, deps)
  registerOnlineTestRoutes(app, deps)
  registerItemBankPages(app, deps)
  registerCheckAttentionPages(app, deps)
  registerRecoveryRoutes(app, deps, { accountIdForNik: (nik) => accountIdForNik(deps.database.db, deps.identity, nik) })
  registerMailPages(app, deps)
  registerInboxApi(app, deps)
  registerAuditPages(app, deps)
  registerLedgerRoutes(app, deps)
  registerDocumentRoutes(app, deps)
  registerWaveRoutes(app, deps)
  registerAssistedRoutes(app, deps)
  registerActivationRoutes(app, deps)
  registerReverificationRoutes(app, deps)
  registerHelpdeskRoutes(app, deps)
  registerHelpdesk(app, deps)

  registerPartnerApiRoutes(app, deps)
  registerPartnerPages(app, deps)
  registerCatalogueApi(app, deps)
  registerCataloguePages(app, deps)
  registerCataloguePmoPages(app, deps)
  registerPurchaseApi(app, deps)
  registerPurchasePages(app, deps)
  registerLearningApi(app, deps)
  registerLearningPages(app, deps)
  registerReportRoutes(app, deps)
  registerIncentiveApi(app, deps)
  registerIncentivePages(app, deps)
  registerIncentivePmoPages(app, deps)
  // The demo platform and provider, outside partners played in-process through the partner API.
  if (config.seedDemo) registerMarketplaceSandbox(app, deps)

  await app.ready()
  return { app, routes, registry }
}
