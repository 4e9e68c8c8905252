/** `npm run worker`: runs the job queue without HTTP, for PostgreSQL deployments. */
import { loadConfig, ConfigError } from './config.ts'
import { compose } from './compose.ts'
import { scheduleNightlyRefresh } from './modules/reports/index.ts'
import { scheduleMorningAssignment } from './modules/helpdesk/index.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  const deps = await compose(config, { runWorkers: true })
  await scheduleNightlyRefresh(deps.jobs, deps.database.db, deps.clock)
  // The helpdesk's 08:00 WIB assignment of tickets that arrived while it was closed (a singleton too).
  await scheduleMorningAssignment(deps.jobs, deps.database.db, deps.clock)
  deps.logger.info({ database: config.database.kind }, 'worker running')
  const stop = async () => {
    await deps.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`)
  process.exit(err instanceof ConfigError ? 78 : 1)
})
