/**
 * `npm start` as a newcomer runs it: a fresh data directory, ready, serving the home page;
 * then killed with SIGKILL in the middle of writes and started again: every write that
 * was acknowledged before the kill is still there.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { openPglite } from '../src/platform/db/database.ts'
import { verifyChain } from '../src/platform/audit/index.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-start-'))
let child: ChildProcess | null = null

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

function start(port: number): { proc: ChildProcess; output: () => string } {
  let out = ''
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  child = proc
  return { proc, output: () => out }
}

async function waitReady(base: string, output: () => string, limitMs: number): Promise<number> {
  const t0 = Date.now()
  while (Date.now() - t0 < limitMs) {
    try {
      const res = await fetch(`${base}/ready`)
      if (res.status === 200) return Date.now() - t0
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`not ready after ${limitMs} ms; output:\n${output()}`)
}

function stopped(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())))
}

/** Logs in through the real form; resolves with the session cookie once the server acknowledged it. */
async function login(base: string): Promise<string | null> {
  const page = await fetch(`${base}/masuk`)
  const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1]
  if (!token) return null
  const res = await fetch(`${base}/masuk`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, email: 'agen@karya.test', password: 'karya-demo-2026' }),
  })
  if (res.status !== 303) return null
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c!.startsWith('karya_sid=')) ?? null
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL')
    await stopped(child)
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('npm start', () => {
  it('refuses to start on a bad setting and names the variable', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: 'eighty', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    proc.stderr!.on('data', (d) => (err += d))
    await stopped(proc)
    expect(proc.exitCode).toBe(78)
    expect(err).toContain('PORT must be a whole number')
  }, 60_000)

  it('starts on a fresh data directory, then keeps every acknowledged write across a SIGKILL', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const first = start(port)
    const readyMs = await waitReady(base, first.output, 120_000)
    console.info(`fresh start: ready after ${readyMs} ms`)
    expect(first.output()).toContain('peserta@karya.test')
    const home = await fetch(`${base}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Kartu Prakerja')
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true)

    // Writers keep logging in (each a session row and an audit entry, committed) until the process dies under them.
    const acknowledged: string[] = []
    let dead = false
    const writer = async () => {
      while (!dead) {
        const cookie = await login(base).catch(() => null)
        if (cookie && !dead) acknowledged.push(cookie)
      }
    }
    const writers = [writer(), writer(), writer()]
    while (acknowledged.length < 12) await new Promise((r) => setTimeout(r, 20))
    first.proc.kill('SIGKILL')
    await stopped(first.proc)
    dead = true
    await Promise.all(writers)
    expect(first.proc.signalCode).toBe('SIGKILL')

    const second = start(port)
    await waitReady(base, second.output, 120_000)
    for (const cookie of acknowledged) {
      const res = await fetch(`${base}/staf`, { headers: { cookie }, redirect: 'manual' })
      expect(res.status, `session ${cookie.slice(0, 20)}… lost`).toBe(200)
    }
    second.proc.kill('SIGTERM')
    await stopped(second.proc)
    expect(second.proc.exitCode).toBe(0)

    // The audit chain written under the kill verifies, and the demo data was kept, not loaded twice.
    const database = await openPglite(path.join(dataDir, 'pglite'))
    try {
      const chain = await verifyChain(database.db)
      expect(chain.problems).toEqual([])
      expect(chain.checked).toBeGreaterThanOrEqual(acknowledged.length)
      const accounts = await database.db.selectFrom('accounts').select('email').execute()
      expect(accounts).toHaveLength(8)
    } finally {
      await database.close()
    }
  }, 300_000)
})
