/**
 * bench/http-baseline: requests/s for /health and for a database-backed read route
 * (GET /api/v1/me/inbox: session lookup + inbox query), each with its ratio to a bare
 * Fastify hello-world measured in the same run, on the same machine, the same way.
 *
 *   npm run bench:http [-- --duration 10 --connections 50]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:http   (PostgreSQL)
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import Fastify from 'fastify'
import autocannon from 'autocannon'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
  },
})
const duration = Number(values.duration)
const connections = Number(values.connections)
const warmup = Number(values.warmup)

interface Result {
  name: string
  rps: number
  p50: number
  p99: number
  errors: number
  non2xx: number
  requests: number
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  if (warmup > 0) await autocannon({ url, connections, duration: warmup, headers })
  const r = await autocannon({ url, connections, duration, headers })
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  }
}

async function bareHello(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false })
  app.get('/', async () => ({ hello: 'world' }))
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url: `${address}/`, close: () => app.close() }
}

async function karya() {
  const benchUrl = process.env.BENCH_DATABASE_URL
  let dropDb: () => Promise<void> = async () => {}
  let dataDir: string | null = null
  const key = () => crypto.randomBytes(32).toString('base64')
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    IDENTITY_KEYS: `bench:${key()}`,
    IDENTITY_LOOKUP_KEY: key(),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
  }
  if (benchUrl) {
    const name = `karya_bench_${Date.now()}`
    const admin = new pg.Client({ connectionString: benchUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const u = new URL(benchUrl)
    u.pathname = `/${name}`
    env.DATABASE_URL = u.toString()
    dropDb = async () => {
      const c = new pg.Client({ connectionString: benchUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    }
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-bench-'))
    env.DATA_DIR = dataDir
  }
  const config = loadConfig(env)
  const deps = await compose(config, { runWorkers: false })
  await seedDemo(deps)
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  // Log in through the real form to get a session cookie for the database-backed route.
  const page = await fetch(`${base}/masuk`)
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const login = await fetch(`${base}/masuk`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, email: 'agen@karya.test', password: DEMO_PASSWORD }),
  })
  const session = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c!.startsWith('karya_sid='))
  if (login.status !== 303 || !session) throw new Error(`bench login failed: ${login.status}`)
  const check = await fetch(`${base}/api/v1/me/inbox`, { headers: { cookie: session } })
  if (check.status !== 200) throw new Error(`inbox route answered ${check.status}`)

  return {
    base,
    session,
    kind: config.database.kind,
    async close() {
      await app.close()
      await deps.close()
      await dropDb()
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })

async function main() {
  console.log(`http-baseline: ${os.cpus().length} cores, Node ${process.version}, ${connections} connections, ${duration} s per target (+${warmup} s warm-up)`)
  const hello = await bareHello()
  const k = await karya()
  try {
    const results: Result[] = []
    results.push(await measure('bare Fastify hello-world', hello.url))
    results.push(await measure('Karya GET /health', `${k.base}/health`))
    results.push(await measure(`Karya GET /api/v1/me/inbox (${k.kind})`, `${k.base}/api/v1/me/inbox`, { cookie: k.session }))
    const baseline = results[0]!.rps
    console.log('')
    console.log('| target | req/s | ratio to hello-world | p50 ms | p99 ms | errors | non-2xx |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const r of results) {
      console.log(`| ${r.name} | ${fmt(r.rps)} | ${fmt(r.rps / baseline, 3)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.errors} | ${r.non2xx} |`)
    }
    const bad = results.filter((r) => r.errors > 0 || r.non2xx > 0)
    if (bad.length > 0) {
      console.error(`\nerrors in: ${bad.map((r) => r.name).join(', ')}`)
      process.exitCode = 1
    }
  } finally {
    await k.close()
    await hello.close()
  }
}

await main()
