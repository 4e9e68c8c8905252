/**
 * The partner API's door: the raw body kept for the signature, the authenticator the guard
 * calls on every partner route, and the first route a partner calls to test its signing.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { authenticate, type AuthenticatedPartner } from './partners.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body exactly as sent: what a partner's signature covers. */
    rawBody?: string
    /** Hex SHA-256 of a body read as a stream (e.g. CSV), when its text was not kept. */
    rawBodySha256?: string
    /** Set on partner routes once the signature is checked. */
    partner?: AuthenticatedPartner
  }
}

/** JSON is parsed by Fastify's own safe parser; the text is kept for signature checks. */
export function keepRawJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string
    parse(req, body as string, done)
  })
}

export function partnerAuthenticator(deps: AppDeps) {
  const pd = { db: deps.database.db, clock: deps.clock, identity: deps.identity }
  return async (req: FastifyRequest, kind: 'platform' | 'provider' | 'any'): Promise<void> => {
    req.partner = await authenticate(pd, req.headers, { method: req.method, path: req.url, rawBody: req.rawBody ?? '', ...(req.rawBodySha256 ? { bodySha256: req.rawBodySha256 } : {}) }, kind)
  }
}

export const SIGNING_DOC = `Every partner call is signed. **Scheme v1**: send \`X-Karya-Client\` (your client code), \`X-Karya-Timestamp\` (Unix seconds), \`X-Karya-Nonce\` (16–128 characters of \`[A-Za-z0-9._~-]\`, never reused) and \`X-Karya-Signature\` = hex HMAC-SHA256 with your secret over the five lines \`METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(raw body))\`. **Legacy scheme** (when PMO enabled it for you): \`client_code\`, \`timestamp\`, \`signature\` = hex HMAC-SHA1 over \`client_code + timestamp + METHOD + PATH + raw body\`. Calls more than 5 minutes from the server clock, or with a nonce (legacy: a signature) already used, are refused.`

export function registerPartnerApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/api/v1/partner/me',
    {
      config: { access: { partner: 'any' } },
      schema: {
        tags: ['partner'],
        summary: 'Who am I? Tests your request signing.',
        description: SIGNING_DOC,
        response: {
          200: Type.Object({
            code: Type.String({ examples: ['demo-platform'] }),
            kind: Type.Union([Type.Literal('platform'), Type.Literal('provider')]),
            name: Type.String(),
            clientCode: Type.String(),
            scheme: Type.Union([Type.Literal('v1'), Type.Literal('legacy')]),
            serverTime: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (req) => {
      const p = req.partner!
      return { code: p.code, kind: p.kind, name: p.name, clientCode: p.clientCode, scheme: p.scheme, serverTime: deps.clock.now().toISOString() }
    },
  )
}
