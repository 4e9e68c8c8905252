import { describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from './config.ts'

describe('configuration', () => {
  it('defaults to embedded PGlite under ./data with jobs and demo data', () => {
    const c = loadConfig({})
    expect(c.database.kind).toBe('pglite')
    expect(c.database.kind === 'pglite' && c.database.dataDir.endsWith('/data/pglite')).toBe(true)
    expect(c.embedded).toBe(true)
    expect(c.runJobs).toBe(true)
    expect(c.seedDemo).toBe(true)
    expect(c.port).toBe(3000)
    expect(c.mail.devMailbox).toBe(true)
  })

  it('uses PostgreSQL when DATABASE_URL is set, without in-process jobs by default', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/karya' })
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/karya', poolSize: 10 })
    expect(c.runJobs).toBe(false)
  })

  it('is frozen', () => {
    const c = loadConfig({})
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.mail)).toBe(true)
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ RUN_JOBS: 'maybe' }, 'RUN_JOBS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ PUBLIC_URL: 'nope' }, 'PUBLIC_URL'],
  ])('refuses %o naming %s', (env, variable) => {
    let err: unknown
    try {
      loadConfig(env as Record<string, string>)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).variable).toBe(variable)
    expect((err as Error).message).toContain(variable)
  })
})
