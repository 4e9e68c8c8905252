/**
 * Kills a process with SIGKILL while it is moving money (inside a transaction that has
 * already written the transfer and the balances) and reopens the database: every
 * acknowledged transfer is there whole, the interrupted one is whole or absent, and every
 * invariant holds.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { openTestDatabase, onPostgres, type TestDatabase } from '../../../test/db.ts'
import { systemClock } from '../../platform/clock.ts'
import { openPglite, type Database } from '../../platform/db/database.ts'
import { checkLedger } from './ledger.check.ts'

const ROOT = path.resolve(import.meta.dirname, '../../..')
let child: ChildProcess | null = null
let dataDir: string | null = null
let tdb: TestDatabase | null = null

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await tdb?.dispose()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

/** Runs the child until `acks` transfers are acknowledged, then kills it mid-transaction. */
function runAndKill(env: Record<string, string>, acks: number): Promise<{ acked: string[]; inflight: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/modules/ledger/kill-child.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', KILL_HOLD_FROM: String(acks), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    const acked: string[] = []
    let inflight: string | null = null
    let killed = false
    let output = ''
    proc.stderr!.on('data', (d) => (output += d))
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      output += `${line}\n`
      const [word, key] = line.split(' ')
      if (word === 'ok' && key) {
        acked.push(key)
        inflight = null
      }
      if (word === 'begin' && key) {
        inflight = key
        // The next line after "begin" comes only after commit: kill while the transaction is open.
        if (acked.length >= acks && !killed) {
          killed = true
          setTimeout(() => proc.kill('SIGKILL'), 1)
        }
      }
    })
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, inflight, output })
      else reject(new Error(`child exited with ${code ?? signal} before it was killed:\n${output.slice(-2000)}`))
    })
  })
}

// initdb of a fresh PGlite data directory in WASM takes a while on a busy machine.
describe('a process killed mid-transfer', { timeout: 180_000 }, () => {
  it('leaves every transfer whole or absent and every invariant intact', async () => {
    let env: Record<string, string>
    let reopen: () => Promise<Database>
    if (onPostgres) {
      tdb = await openTestDatabase()
      env = { KILL_DATABASE_URL: tdb.url! }
      reopen = async () => tdb!
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-ledger-kill-'))
      env = { KILL_DATA_DIR: dataDir }
      reopen = () => openPglite(dataDir)
    }
    const run = await runAndKill(env, 60)
    expect(run.acked.length).toBeGreaterThanOrEqual(60)
    expect(run.inflight).not.toBeNull()

    const database = await reopen()
    try {
      const rows = await database.db
        .selectFrom('ledger_transfers')
        .select(['idempotency_key', 'kind'])
        .where('idempotency_key', 'like', 'kill-%')
        .where('idempotency_key', 'not like', 'kill-credit-%')
        .where('idempotency_key', '<>', 'kill-deposit')
        .execute()
      const keys = new Set(rows.map((r) => r.idempotency_key))
      for (const k of run.acked) expect(keys.has(k), `acknowledged ${k} survived`).toBe(true)
      // Acknowledged ones (post/void rows carry the key; their holds carry key-hold), and at most the interrupted one.
      const finals = rows.filter((r) => r.kind !== 'pending').map((r) => r.idempotency_key)
      expect(finals.length === run.acked.length || finals.length === run.acked.length + 1).toBe(true)
      const holds = rows.filter((r) => r.kind === 'pending').map((r) => r.idempotency_key.replace(/-hold$/, ''))
      for (const h of holds) expect(keys.has(h), `hold ${h} has its post or void`).toBe(true)
      const report = await checkLedger(database.db, systemClock)
      expect(report.problems).toEqual([])
      expect(report.ok).toBe(true)
      expect(report.holds.open).toBe(0)
    } finally {
      if (!onPostgres) await database.close()
    }
  })
})
