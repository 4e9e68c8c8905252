/**
 * Durable background jobs over pg-boss, stored in the same database as the data they act
 * on, so a job is enqueued in the caller's transaction (a rolled-back transaction leaves
 * no job) and survives restarts. One small interface; nothing else imports pg-boss.
 */
import PgBoss from 'pg-boss'
import type { Database, Db, Executor, SqlExecutor } from '../db/database.ts'
import { trxExecutor } from '../db/database.ts'

export interface Logger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface JobContext {
  readonly id: string
  readonly name: string
  /** 1 on the first run, 2 on the first retry, and so on. */
  readonly attempt: number
  /** After this run fails, pg-boss gives up: the handler may record a final failure. */
  readonly isFinalAttempt: boolean
  /** The database handle, so handlers need no database of their own in their deps. */
  readonly db: Db
}

export type JobHandler<T extends object> = (data: T, ctx: JobContext) => Promise<void>

export interface DefineOptions {
  /** Retries after the first run (pg-boss default 2). */
  retryLimit?: number
  /** Seconds before a retry; with retryBackoff the base of an exponential, jittered delay. */
  retryDelay?: number
  retryBackoff?: boolean
  /** A run longer than this fails (and is retried). */
  expireInSeconds?: number
  /** pg-boss queue policy; only 'short', 'singleton' and 'stately' make singletonKey dedupe. Fixed when the queue is first created. */
  policy?: 'standard' | 'short' | 'singleton' | 'stately'
}

export interface EnqueueOptions {
  singletonKey?: string
  /** A Date, or a delay in seconds. */
  startAfter?: Date | number
}

export interface Jobs {
  define<T extends object>(name: string, handler: JobHandler<T>, opts?: DefineOptions): void
  /** Installs or migrates pg-boss's schema, creates the defined queues and, when asked, starts workers. */
  start(): Promise<void>
  /** Joins the executor's transaction. null: a queue policy refused a duplicate (singletonKey). */
  enqueue<T extends object>(executor: Executor, name: string, data: T, opts?: EnqueueOptions): Promise<string | null>
  /** Many jobs of one queue in one statement, in the executor's transaction (bulk paths: no round trip per job). */
  enqueueMany<T extends object>(executor: Executor, name: string, data: readonly T[], opts?: { startAfter?: Date }): Promise<void>
  /** Stops polling, waits for running handlers and pg-boss's own queries to finish. */
  stop(opts?: { timeoutMs?: number }): Promise<void>
  /** For tests and scripts: resolves when no job of a defined queue is active or due within minutes. */
  waitIdle(timeoutMs: number): Promise<void>
}

export interface JobsOptions {
  logger?: Logger
  runWorkers: boolean
  /** How often an idle worker asks for work. pg-boss refuses less than 0.5 s. */
  pollingIntervalSeconds?: number
}

interface Definition {
  handler: JobHandler<object>
  opts: DefineOptions
}

const SCHEMA = 'pgboss'
const silent: Logger = { info() {}, warn() {}, error() {} }
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function createJobs(database: Database, opts: JobsOptions): Jobs {
  const logger = opts.logger ?? silent
  const definitions = new Map<string, Definition>()
  const pollingIntervalSeconds = opts.pollingIntervalSeconds ?? 1
  let running = 0
  let inflightSql = 0
  let state: 'new' | 'starting' | 'started' | 'stopped' = 'new'

  // pg-boss resolves stop() while a poll or a job's completion may still be on its way to
  // the database; counting them lets stop() wait, so closing the database afterwards is safe.
  const counted: SqlExecutor = {
    async executeSql(text, values) {
      inflightSql++
      try {
        return await database.raw.executeSql(text, values)
      } finally {
        inflightSql--
      }
    },
  }

  const boss = new PgBoss({
    db: counted as PgBoss.Db,
    schema: SCHEMA,
    pollingIntervalSeconds,
    // Maintenance (expiring stuck jobs, archiving) is coordinated through the database, so
    // each worker process may supervise; processes that only enqueue need not.
    supervise: opts.runWorkers,
    maintenanceIntervalSeconds: 60,
    // No cron schedules are defined, and the timekeeper would poll PGlite's single connection.
    schedule: false,
  })
  boss.on('error', (err: Error) => logger.error({ err }, 'job queue error'))

  async function runJob(name: string, def: Definition, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    running++
    const ctx: JobContext = {
      id: job.id,
      name,
      attempt: job.retryCount + 1,
      isFinalAttempt: job.retryCount >= job.retryLimit,
      db: database.db,
    }
    try {
      await def.handler(job.data, ctx)
    } catch (err) {
      const log = ctx.isFinalAttempt ? logger.error : logger.warn
      log.call(logger, { err, job: name, jobId: job.id, attempt: ctx.attempt }, ctx.isFinalAttempt ? 'job failed, giving up' : 'job failed, will retry')
      throw err
    } finally {
      running--
    }
  }

  async function settle(deadline: number): Promise<void> {
    // Two quiet checks in a row: a finished handler's completion query starts a few ticks later.
    let quiet = 0
    while (quiet < 2 && Date.now() < deadline) {
      await delay(20)
      quiet = running === 0 && inflightSql === 0 ? quiet + 1 : 0
    }
  }

  return {
    define(name, handler, defineOpts = {}) {
      if (state !== 'new') throw new Error(`jobs.define("${name}") after start: define every job before start()`)
      if (definitions.has(name)) throw new Error(`job "${name}" is defined twice`)
      definitions.set(name, { handler: handler as JobHandler<object>, opts: defineOpts })
    },

    async start() {
      if (state !== 'new') throw new Error(`jobs.start() called when ${state}`)
      state = 'starting'
      await boss.start()
      for (const [name, def] of definitions) {
        const { policy, ...retry } = def.opts
        await boss.createQueue(name, { name, policy: policy ?? 'standard', ...retry })
      }
      if (opts.runWorkers) {
        for (const [name, def] of definitions) {
          await boss.work<object>(name, { batchSize: 1, includeMetadata: true }, async ([job]) => {
            if (job) await runJob(name, def, job)
          })
        }
      }
      state = 'started'
      logger.info({ queues: [...definitions.keys()], workers: opts.runWorkers }, 'job queue started')
    },

    async enqueue(executor, name, data, enqueueOpts = {}) {
      const def = definitions.get(name)
      // pg-boss silently drops a job for a queue that does not exist: refuse loudly instead.
      if (!def) throw new Error(`job "${name}" is not defined`)
      if (state !== 'started') throw new Error(`jobs.enqueue("${name}") before jobs.start()`)
      const { policy: _policy, ...retry } = def.opts
      const sendOpts: PgBoss.SendOptions = { ...retry, db: trxExecutor(executor) as PgBoss.Db }
      if (enqueueOpts.singletonKey !== undefined) sendOpts.singletonKey = enqueueOpts.singletonKey
      if (enqueueOpts.startAfter !== undefined) sendOpts.startAfter = enqueueOpts.startAfter
      return boss.send(name, data, sendOpts)
    },

    async enqueueMany(executor, name, data, manyOpts = {}) {
      const def = definitions.get(name)
      if (!def) throw new Error(`job "${name}" is not defined`)
      if (state !== 'started') throw new Error(`jobs.enqueueMany("${name}") before jobs.start()`)
      if (data.length === 0) return
      const { policy: _policy, ...retry } = def.opts
      const at = manyOpts.startAfter === undefined ? {} : { startAfter: manyOpts.startAfter }
      await boss.insert(data.map((d) => ({ name, data: d, ...retry, ...at })), { db: trxExecutor(executor) as PgBoss.Db })
    },

    async stop(stopOpts = {}) {
      if (state === 'stopped') return
      const timeoutMs = stopOpts.timeoutMs ?? 30_000
      const deadline = Date.now() + timeoutMs
      state = 'stopped'
      await boss.stop({ graceful: true, wait: true, timeout: Math.max(timeoutMs, 1000) })
      await settle(deadline)
      if (running > 0 || inflightSql > 0) {
        logger.warn({ running, inflightSql }, 'job queue stopped with work still in flight')
      }
    },

    async waitIdle(timeoutMs) {
      const deadline = Date.now() + timeoutMs
      const names = [...definitions.keys()]
      for (;;) {
        // Jobs scheduled far ahead (a wave closing in two weeks) are not "pending" work; a
        // retry due within minutes is.
        const { rows } = await database.raw.executeSql(
          `select count(*)::int as n from ${SCHEMA}.job
            where name = any($1) and (state = 'active' or (state in ('created', 'retry') and start_after <= now() + interval '5 minutes'))`,
          [names],
        )
        const pending = Number(rows[0]?.n ?? 0)
        if (pending === 0 && running === 0) return
        if (Date.now() >= deadline) throw new Error(`jobs still pending after ${timeoutMs} ms (${pending} queued or active)`)
        await delay(50)
      }
    },
  }
}
