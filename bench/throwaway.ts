/**
 * A throw-away PostgreSQL database for a benchmark, and a production-shaped configuration
 * pointing at it (fresh secrets and identity keys, no demo data).
 */
import crypto from 'node:crypto'
import pg from 'pg'
import { loadConfig, type Config } from '../src/config.ts'

export interface Throwaway {
  readonly name: string
  readonly url: string
  readonly config: Config
  drop(): Promise<void>
}

export async function throwawayDatabase(baseUrl: string, prefix: string, env: Record<string, string> = {}): Promise<Throwaway> {
  const name = `${prefix}_${Date.now()}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  return existingDatabase(baseUrl, name, env)
}

/** The same for a database a previous run kept (`--keep`), to measure again without the set-up; `drop()` still drops it. */
export function existingDatabase(baseUrl: string, name: string, env: Record<string, string> = {}): Throwaway {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`)
  const u = new URL(baseUrl)
  u.pathname = `/${name}`
  const key = () => crypto.randomBytes(32).toString('base64')
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: u.toString(),
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    IDENTITY_KEYS: `bench:${key()}`,
    IDENTITY_LOOKUP_KEY: key(),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    ...env,
  })
  return {
    name,
    url: u.toString(),
    config,
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
