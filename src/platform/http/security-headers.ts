/**
 * Security headers by Helmet, its middleware built once at start. @fastify/helmet calls
 * `helmet(options)` inside its onRequest hook, so every request parsed the CSP directives and
 * built a dozen closures again (opening night, issue 10: a few per cent of the app's CPU on the
 * sign-up path). This uses the Helmet that @fastify/helmet depends on, with the same options, so
 * the headers are the same ones (security-headers.test.ts compares them).
 */
import { createRequire } from 'node:module'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void) => void
type HelmetOptions = Record<string, unknown>

const requireFromFastifyHelmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))
const helmet = requireFromFastifyHelmet('helmet') as (options: HelmetOptions) => Middleware

/** CSP `default-src 'self'`, no inline scripts, `frame-ancestors 'none'`; HSTS behind https. */
export function securityHeaderOptions(publicUrl: string): HelmetOptions {
  const https = publicUrl.startsWith('https://')
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
    crossOriginEmbedderPolicy: false,
  }
}

export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const headers = helmet(securityHeaderOptions(publicUrl))
  app.addHook('onRequest', (req, reply, done) => headers(req.raw, reply.raw, done))
}
