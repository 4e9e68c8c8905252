/**
 * The composition root: configuration → database (migrated) → jobs → mail. Shared by the
 * web process, the worker and the command-line tools, so each is wired the same way.
 */
import type { FastifyBaseLogger } from 'fastify'
import pino from 'pino'
import type { Config } from './config.ts'
import type { AppDeps } from './app-deps.ts'
import { openDatabase } from './platform/db/database.ts'
import { migrateToLatest } from './platform/db/migrate.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { createJobs } from './platform/jobs/jobs.ts'
import { createMail } from './platform/mail/index.ts'

export interface Composed extends AppDeps {
  readonly logger: FastifyBaseLogger
  close(): Promise<void>
}

export async function compose(config: Config, opts: { runWorkers: boolean; clock?: Clock }): Promise<Composed> {
  const logger = pino({ level: config.logLevel }) as unknown as FastifyBaseLogger
  const database = await openDatabase(config.database)
  await migrateToLatest(database.db)
  const clock = opts.clock ?? systemClock
  const jobs = createJobs(database, { logger, runWorkers: opts.runWorkers })
  const mail = createMail({ jobs, config, clock, logger })
  await jobs.start()
  return {
    config,
    database,
    clock,
    jobs,
    mail,
    logger,
    async close() {
      await jobs.stop()
      await database.close()
    },
  }
}
