/**
 * On PostgreSQL the web process only enqueues; `npm run worker` runs the jobs. Proves the
 * split: mail queued by the web process stays queued until a worker process sends it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestDatabase, onPostgres, type TestDatabase } from './db.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const children: ChildProcess[] = []
let db: TestDatabase | null = null

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

function run(script: string, env: Record<string, string>): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(proc)
  return proc
}

async function until<T>(what: string, fn: () => Promise<T | null>, limitMs: number): Promise<T> {
  const t0 = Date.now()
  while (Date.now() - t0 < limitMs) {
    const v = await fn().catch(() => null)
    if (v !== null) return v
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${what}`)
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await db?.dispose()
})

// Only PostgreSQL has separate processes sharing one database; embedded PGlite runs jobs in the web process.
describe.runIf(onPostgres)('npm run worker on PostgreSQL', () => {
  it('sends the mail the web process queued, and the web process alone does not', async () => {
    db = await openTestDatabase({ migrate: false })
    const port = await freePort()
    run('src/main.ts', { DATABASE_URL: db.url!, PORT: String(port), HOST: '127.0.0.1' })
    await until('web ready', async () => ((await fetch(`http://127.0.0.1:${port}/ready`)).status === 200 ? true : null), 60_000)

    const queued = await db.db.selectFrom('mail_outbox').select(['id', 'status']).execute()
    expect(queued).toHaveLength(1)
    expect(queued[0]!.status).toBe('queued')
    // The web process polls nothing: after a few of pg-boss's polling intervals it is still queued.
    await new Promise((r) => setTimeout(r, 3000))
    expect((await db.db.selectFrom('mail_outbox').select('status').executeTakeFirstOrThrow()).status).toBe('queued')

    const worker = run('src/worker.ts', { DATABASE_URL: db.url! })
    const sent = await until(
      'worker to send',
      async () => {
        const row = await db!.db.selectFrom('mail_outbox').select(['status', 'sent_at']).executeTakeFirstOrThrow()
        return row.status === 'sent' ? row : null
      },
      60_000,
    )
    expect(sent.sent_at).toBeInstanceOf(Date)
    worker.kill('SIGTERM')
    await new Promise((r) => worker.once('exit', r))
    expect(worker.exitCode).toBe(0)
  }, 180_000)
})
