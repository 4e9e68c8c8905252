/** `npm start`: Karya on one port. Embedded (no DATABASE_URL): PGlite, jobs in-process, demo data. */
import { loadConfig, ConfigError } from './config.ts'
import { compose } from './compose.ts'
import { buildApp } from './app.ts'
import { seedDemo, DEMO_LOGINS, DEMO_PASSWORD } from './demo/seed.ts'
import { scheduleNightlyRefresh } from './modules/reports/index.ts'
import { scheduleMorningAssignment } from './modules/helpdesk/index.ts'

async function main(): Promise<void> {
  const config = loadConfig()
  const deps = await compose(config, { runWorkers: config.runJobs })
  if (config.seedDemo) await seedDemo(deps)
  // The reports' nightly refresh: a singleton, so every start asking again adds no second one.
  await scheduleNightlyRefresh(deps.jobs, deps.database.db, deps.clock)
  // The helpdesk's 08:00 WIB assignment of tickets that arrived while it was closed (a singleton too).
  await scheduleMorningAssignment(deps.jobs, deps.database.db, deps.clock)
  const { app } = await buildApp(deps)

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    deps.logger.info({ signal }, 'shutting down')
    await app.close()
    await deps.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  await app.listen({ host: config.host, port: config.port })
  const base = config.publicUrl
  const lines = [
    '',
    `Karya is running at ${base}`,
    `  database: ${config.database.kind === 'pglite' ? `PGlite (embedded) at ${config.database.dataDir}` : 'PostgreSQL'}`,
    `  jobs: ${config.runJobs ? 'running in this process' : 'not in this process (run `npm run worker`)'}`,
    `  API docs: ${base}/api/docs   health: ${base}/health   ready: ${base}/ready`,
  ]
  if (config.mail.devMailbox) lines.push(`  dev mailbox (every e-mail and SMS sent): ${base}/dev/mailbox`)
  if (config.seedDemo) {
    lines.push('', `Demo logins at ${base}/masuk (password for all: ${DEMO_PASSWORD}):`)
    for (const d of DEMO_LOGINS) lines.push(`  ${d.role.padEnd(12)} ${d.email}`)
    lines.push('', 'Demo partner sites (sandboxes using the partner API):', `  platform  ${base}/sandbox/platform`, `  provider  ${base}/sandbox/lp`)
  }
  process.stdout.write(lines.join('\n') + '\n\n')
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`)
    process.exit(78)
  }
  process.stderr.write(`Karya failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
