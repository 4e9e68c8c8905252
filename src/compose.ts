/**
 * The composition root: configuration → database (migrated) → jobs → mail → every job
 * definition. Shared by the web process, the worker, the scripts and the test harness,
 * so each is wired the same way.
 */
import type { FastifyBaseLogger } from 'fastify'
import path from 'node:path'
import pino from 'pino'
import type { Config } from './config.ts'
import type { AppDeps } from './app-deps.ts'
import { openDatabase, type Database } from './platform/db/database.ts'
import { migrateToLatest } from './platform/db/migrate.ts'
import { systemClock, type Clock } from './platform/clock.ts'
import { createJobs } from './platform/jobs/jobs.ts'
import { createMail } from './platform/mail/index.ts'
import { defineAuditJobs } from './platform/audit/audit.jobs.ts'
import { createIdentityCipher } from './platform/crypto/identity.ts'
import { defineAccountJobs } from './modules/accounts/recovery.service.ts'
import { defineLedgerJobs } from './modules/ledger/index.ts'
import { defineCheckJobs, type Registries } from './modules/registration/index.ts'
import { createSandboxRegistries } from './sandboxes/registries/index.ts'
import { definePurchaseJobs } from './modules/purchases/index.ts'
import { defineWaveJobs } from './modules/waves/index.ts'
import { defineReportJobs, REPORT_SOURCES } from './modules/reports/index.ts'
import { defineIncentiveJobs, incentivesDeps } from './modules/incentives/index.ts'
import { defineHelpdeskJobs } from './modules/helpdesk/index.ts'

export interface Composed extends AppDeps {
  readonly logger: FastifyBaseLogger
  close(): Promise<void>
}

export interface WireOptions {
  runWorkers: boolean
  clock?: Clock
  pollingIntervalSeconds?: number
  /** The government registries; the sandboxes when absent (real adapters plug in here). */
  registries?: Registries
}

/** Builds the dependencies on an open, migrated database; jobs are defined, then started. */
export async function wire(config: Config, database: Database, opts: WireOptions): Promise<Composed> {
  const logger = pino({ level: config.logLevel }) as unknown as FastifyBaseLogger
  const clock = opts.clock ?? systemClock
  const jobs = createJobs(database, {
    logger,
    runWorkers: opts.runWorkers,
    ...(opts.pollingIntervalSeconds ? { pollingIntervalSeconds: opts.pollingIntervalSeconds } : {}),
  })
  const mail = createMail({ jobs, config, clock, logger })
  defineAuditJobs(jobs, { clock })
  defineAccountJobs(jobs, { db: database.db, clock, mail })
  defineLedgerJobs(jobs, { clock })
  const identity = createIdentityCipher(config.identityKeys, config.identityLookupKey)
  defineCheckJobs(jobs, { clock, identity, registries: opts.registries ?? createSandboxRegistries(config.registrySandbox, clock), retry: config.registryChecks })
  defineWaveJobs(jobs, { db: database.db, clock, identity, jobs, mail, exportDir: path.join(config.dataDir, 'draws') })
  definePurchaseJobs(jobs, { db: database.db, clock, mail, secret: config.secret })
  defineReportJobs(jobs, { clock, sources: REPORT_SOURCES, logger })
  defineIncentiveJobs(jobs, incentivesDeps({ database, clock, jobs, mail, identity, config }))
  defineHelpdeskJobs(jobs, { db: database.db, clock, mail, uploadsDir: config.uploadsDir, publicUrl: config.publicUrl, address: config.helpdesk.address, logger })
  await jobs.start()
  return {
    config,
    database,
    clock,
    jobs,
    mail,
    identity,
    logger,
    async close() {
      await jobs.stop()
      await database.close()
    },
  }
}

export async function compose(config: Config, opts: WireOptions): Promise<Composed> {
  const database = await openDatabase(config.database)
  await migrateToLatest(database.db)
  return wire(config, database, opts)
}
