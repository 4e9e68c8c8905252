/**
 * Authorisation and CSRF for every route. A route must say who may call it; plugin
 * routes that serve public static material (API docs, stylesheets) are the only exception.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { AppError } from '../errors.ts'
import { allows, isPartnerAccess, type Access } from './access.ts'
import { wantsHtml } from './error-handler.ts'

const PLUGIN_PUBLIC_PREFIXES = ['/api/docs', '/static/']

export interface RegisteredRoute {
  method: string
  url: string
  access: Access
  csrf: boolean
}

export interface GuardOptions {
  /**
   * Checks a partner call's signature and sets req.partner; throws an AppError when it
   * fails. Runs after the body is read, since the signature covers the raw body.
   */
  authenticatePartner?(req: FastifyRequest, kind: 'platform' | 'provider' | 'any'): Promise<void>
}

/** Collects every route as it is registered, so tests can walk them all. */
export function registerGuard(app: FastifyInstance, routes: RegisteredRoute[], opts: GuardOptions = {}): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ??= {}) as { access?: Access; csrf?: boolean }
    if (config.access === undefined) {
      if (PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) config.access = 'public'
      else throw new Error(`Route ${String(route.method)} ${route.url} has no config.access: every route must declare who may call it`)
    }
    // A signed partner call carries no browser cookie, so there is no CSRF to check.
    if (isPartnerAccess(config.access)) config.csrf = false
    for (const method of [route.method].flat()) {
      routes.push({ method: String(method), url: route.url, access: config.access, csrf: config.csrf !== false })
    }
  })

  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access
    if (access === undefined || access === 'public' || isPartnerAccess(access)) return
    const account = req.account
    if (!account) {
      if (wantsHtml(req) && req.method === 'GET') {
        return reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303)
      }
      throw new AppError('UNAUTHENTICATED')
    }
    if (account.status === 'frozen') throw new AppError('ACCOUNT_FROZEN')
    if (account.status === 'pending' && !req.routeOptions.config?.allowPending) {
      if (wantsHtml(req) && req.method === 'GET') return reply.redirect('/daftar/verifikasi', 303)
      throw new AppError('ACCOUNT_PENDING')
    }
    if (!allows(access, account.role)) throw new AppError('FORBIDDEN')
  })

  // preValidation: the body is read (the signature covers it) but not yet judged, so an
  // unsigned call is refused as unsigned, not as malformed.
  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config?.access
    if (!isPartnerAccess(access)) return
    if (!opts.authenticatePartner) throw new AppError('PARTNER_SIGNATURE_INVALID', { detail: 'partner authentication is not wired' })
    await opts.authenticatePartner(req, access.partner)
  })

  app.addHook('preHandler', (req, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method)
    if (!unsafe || req.routeOptions.config?.csrf === false) return done()
    app.csrfProtection(req, reply, done)
  })
}
