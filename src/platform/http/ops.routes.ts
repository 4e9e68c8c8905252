/** Liveness, readiness and Prometheus metrics. */
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

export function registerOpsRoutes(app: FastifyInstance, deps: { db: Db; dbKind: string; registry: Registry }): void {
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

  app.get('/metrics', { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics())
  })
}
