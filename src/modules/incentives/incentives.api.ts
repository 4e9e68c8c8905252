/**
 * The payment partners' callback: no session, no CSRF; the route itself checks the
 * partner's signature over the raw body before anything is read from it.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { sandboxPaymentsFor } from '../../sandboxes/payments/index.ts'
import { incentivesDeps } from './deps.ts'
import { handleCallback } from './reconcile.service.ts'

export function registerIncentiveApi(app: FastifyInstance, deps: AppDeps): void {
  const d = incentivesDeps(deps)
  app.post(
    '/api/v1/payments/callback/:partner',
    {
      config: { access: 'public', csrf: false },
      schema: {
        tags: ['partner'],
        summary:
          'A payment partner reports a payout (processing, paid or failed), or a batch of up to 1000 reports as { reports: [...] } (signed: X-Payment-Timestamp, X-Payment-Signature)',
        params: Type.Object({ partner: Type.String({ maxLength: 20 }) }),
        body: Type.Object({}, { additionalProperties: true }),
        response: { 200: Type.Object({ outcome: Type.Optional(Type.String()), outcomes: Type.Optional(Type.Array(Type.String())) }) },
      },
    },
    async (req) => {
      const r = await handleCallback(d, (req.params as { partner: string }).partner, req.headers, req.rawBody ?? '')
      return r.batch ? { outcomes: r.outcomes } : { outcome: r.outcomes[0]! }
    },
  )

  // The sandbox partners call back through the same route, a moment after they are asked, when
  // auto-delivery is on (the demo, the browser journey); tests take the callbacks themselves.
  const sandbox = sandboxPaymentsFor(deps.database.db, { clock: deps.clock, serverSecret: deps.config.secret })
  sandbox.deliverer = async (c) => {
    await app.inject({ method: 'POST', url: `/api/v1/payments/callback/${c.partner}`, headers: { ...c.headers, 'content-type': 'application/json' }, payload: c.rawBody })
  }
  const pump = setInterval(() => {
    if (sandbox.autoDeliver) void sandbox.deliverAll().catch((err: unknown) => app.log.warn({ err }, 'sandbox callback delivery failed'))
  }, 300)
  pump.unref()
  app.addHook('onClose', async () => clearInterval(pump))
}
