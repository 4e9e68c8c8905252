/** Liveness, readiness and Prometheus metrics. */
import { timingSafeEqual, createHash } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client'
import type { Db } from '../db/database.ts'
import { pendingMigrations } from '../db/migrate.ts'

export function registerMetrics(app: FastifyInstance): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const duration = new Histogram({
    name: 'karya_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  return registry
}

/**
 * Who may read `/metrics`: with a token, only a scraper that sends it as a bearer token; without one,
 * everyone outside production and no one in production (the route answers 404 there, as if absent).
 */
export function metricsAccess(token: string | null, production: boolean, authorization: string | undefined): 'ok' | 'unauthorized' | 'off' {
  if (token === null) return production ? 'off' : 'ok'
  const sent = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? ''
  // Compared as digests so neither the length nor a prefix leaks through timing.
  const digest = (v: string) => createHash('sha256').update(v).digest()
  return timingSafeEqual(digest(sent), digest(token)) ? 'ok' : 'unauthorized'
}

export function registerOpsRoutes(app: FastifyInstance, deps: { db: Db; dbKind: string; registry: Registry; metricsToken: string | null; production: boolean }): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['ops'], summary: 'Liveness: the process answers', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Readiness: database reachable and every migration applied',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
          503: Type.Object({ status: Type.Literal('not_ready'), database: Type.String(), reason: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(deps.db)
        const pending = await pendingMigrations(deps.db)
        if (pending.length > 0) {
          return reply.code(503).send({ status: 'not_ready', database: deps.dbKind, reason: 'migrations pending', pendingMigrations: pending })
        }
        return { status: 'ready' as const, database: deps.dbKind, pendingMigrations: [] }
      } catch (err) {
        _req.log.warn({ err }, 'readiness check failed')
        return reply.code(503).send({ status: 'not_ready', database: deps.dbKind, reason: 'database unreachable', pendingMigrations: [] })
      }
    },
  )

  app.get('/metrics', { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'Prometheus metrics (bearer METRICS_TOKEN when set; off in production without one)' } }, async (req, reply) => {
    const access = metricsAccess(deps.metricsToken, deps.production, req.headers.authorization)
    if (access === 'off') return reply.code(404).type('text/plain; charset=utf-8').send('Not found: metrics are off in production until METRICS_TOKEN is set.\n')
    if (access === 'unauthorized') {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('Unauthorized: send the METRICS_TOKEN as "Authorization: Bearer <token>".\n')
    }
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics())
  })
}
