/**
 * The only reader of the environment. Parsed once at start, typed and frozen;
 * an invalid value stops the process with a message naming the variable.
 */
import crypto from 'node:crypto'
import path from 'node:path'

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize: number }

export interface Config {
  readonly env: 'development' | 'production' | 'test'
  readonly host: string
  readonly port: number
  readonly publicUrl: string
  readonly dataDir: string
  readonly database: DatabaseConfig
  /** Secret for signing session ids, CSRF tokens and other server-issued values. */
  readonly secret: string
  /** embedded: jobs run in the web process and sandboxes are mounted (npm start). */
  readonly embedded: boolean
  readonly runJobs: boolean
  readonly seedDemo: boolean
  readonly logLevel: string
  readonly mail: { readonly smtpUrl: string | null; readonly from: string; readonly devMailbox: boolean }
  readonly bodyLimitBytes: number
  readonly sessionTtlHours: number
  /** Keys for NIK/KK encryption, newest first (rotation: add a new one in front, keep the old). */
  readonly identityKeys: readonly IdentityKey[]
  /** Key of the keyed hash used to look NIK/KK up and keep them unique; never rotated in place. */
  readonly identityLookupKey: Buffer
  /** The sandbox government registries: which synthetic population they hold and how they fail. */
  readonly registrySandbox: RegistrySandboxConfig
  /** How long identity checks keep retrying a registry that cannot answer before PMO is asked to look. */
  readonly registryChecks: { readonly retryLimit: number; readonly retryDelaySeconds: number }
  /** Where uploaded documents are kept: outside the web root, never served statically. */
  readonly uploadsDir: string
  readonly uploadMaxBytes: number
  /** The waiting room in front of sign-up (issue 10): admissions per second and how long one lasts. */
  readonly waitingRoom: {
    readonly enabled: boolean
    readonly ratePerSecond: number
    readonly admittedMinutes: number
    readonly refreshMs: number
    readonly openingShuffleSeconds: number
    readonly postsPerAdmission: number
  }
  /** Inbound helpdesk e-mail (issue #9): the SMTP port to listen on (null: off) and the address people write to. */
  readonly helpdesk: { readonly smtpPort: number | null; readonly smtpHost: string; readonly address: string }
  /**
   * Bearer token a Prometheus scraper sends for `/metrics`. Null: open outside production (npm start, tests),
   * switched off in production, where route names, rates and process figures are not for the public.
   */
  readonly metricsToken: string | null
}

export interface RegistrySandboxConfig {
  /** Same seed and size as `npm run population -- --seed S --size N`: the same people. */
  readonly seed: number
  readonly size: number
  /** Answer time in ms, uniformly between the two. */
  readonly latencyMs: readonly [number, number]
  /** Share of calls (0–1) that time out. */
  readonly timeoutRate: number
  /** While the clock is inside this window every call fails as an outage. */
  readonly outage: { readonly from: Date; readonly to: Date } | null
  /** Share of civil-registry records (0–1) holding an out-of-date KK number. */
  readonly wrongKkRate: number
}

export interface IdentityKey {
  readonly id: string
  readonly key: Buffer
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function str(env: Env, name: string, fallback: string): string {
  const v = env[name]
  return v === undefined || v === '' ? fallback : v
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`)
  return n
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
  throw new ConfigError(name, `must be true or false, got "${raw}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

function rate(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!/^\d*\.?\d+$/.test(raw) || n > 1) throw new ConfigError(name, `must be a share between 0 and 1 (e.g. 0.02), got "${raw}"`)
  return n
}

/** "50-400" (milliseconds). */
function msRange(env: Env, name: string, fallback: readonly [number, number]): readonly [number, number] {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw)
  const lo = Number(m?.[1])
  const hi = Number(m?.[2] ?? m?.[1])
  if (!m || lo > hi || hi > 60_000) throw new ConfigError(name, `must be milliseconds "min-max" up to 60000 (e.g. 50-400), got "${raw}"`)
  return [lo, hi]
}

/** "2026-11-23T10:00:00Z/2026-11-23T12:00:00Z" (ISO 8601 interval). */
function window(env: Env, name: string): { from: Date; to: Date } | null {
  const raw = env[name]
  if (raw === undefined || raw === '') return null
  const [a, b] = raw.split('/')
  const from = new Date(a ?? '')
  const to = new Date(b ?? '')
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    throw new ConfigError(name, `must be an ISO interval start/end with start before end, got "${raw}"`)
  }
  return { from, to }
}

/**
 * Registrations per second one quiet 2-core machine completed end to end with PostgreSQL
 * (`npm run bench:registration`, 20.7/s, docs/benchmarks.md; `npm run bench:opening-night`
 * measures the same path with the room). The waiting room admits 75 % of it (15/s) unless
 * WAITING_ROOM_RATE says otherwise; set it from your own machine's figure.
 */
const MEASURED_SIGNUPS_PER_SECOND = 20

const DEV_SECRET = 'karya-development-secret-do-not-use-in-production'

function devKey(label: string): Buffer {
  return crypto.createHash('sha256').update(`${DEV_SECRET}:${label}`).digest()
}

/** IDENTITY_KEYS="k2:<base64 32 bytes>,k1:<base64 32 bytes>" — newest first. */
function identityKeys(env: Env, production: boolean): IdentityKey[] {
  const raw = env.IDENTITY_KEYS
  if (!raw) {
    if (production) throw new ConfigError('IDENTITY_KEYS', 'must be set in production (id:base64-32-byte-key, newest first)')
    return [{ id: 'dev1', key: devKey('identity-dev1') }]
  }
  const keys = raw.split(',').map((part) => {
    const [id, b64] = part.trim().split(':')
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0)
    if (!id || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      throw new ConfigError('IDENTITY_KEYS', 'must be a comma-separated list of id:base64 where each key is 32 bytes')
    }
    return { id, key }
  })
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError('IDENTITY_KEYS', 'has a repeated key id')
  return keys
}

function lookupKey(env: Env, production: boolean): Buffer {
  const raw = env.IDENTITY_LOOKUP_KEY
  if (!raw) {
    if (production) throw new ConfigError('IDENTITY_LOOKUP_KEY', 'must be set in production (base64, 32 bytes)')
    return devKey('identity-lookup')
  }
  const key = Buffer.from(raw, 'base64')
  if (key.length !== 32) throw new ConfigError('IDENTITY_LOOKUP_KEY', 'must be 32 bytes, base64-encoded')
  return key
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development')
  const dataDir = path.resolve(str(env, 'DATA_DIR', './data'))
  const databaseUrl = env.DATABASE_URL
  let database: DatabaseConfig
  if (databaseUrl) {
    let url: URL
    try {
      url = new URL(databaseUrl)
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user@host:5432/db)')
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `must start with postgres://, got "${url.protocol}"`)
    }
    database = { kind: 'postgres', url: databaseUrl, poolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200) }
  } else {
    database = { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }
  }

  const secret = str(env, 'SESSION_SECRET', nodeEnv === 'production' ? '' : DEV_SECRET)
  if (secret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be set to at least 32 random characters in production')
  }
  if (nodeEnv === 'production' && secret === DEV_SECRET) {
    throw new ConfigError('SESSION_SECRET', 'must not be the development default in production')
  }

  const port = int(env, 'PORT', 3000, 0, 65535)
  const host = str(env, 'HOST', '0.0.0.0')
  const embedded = database.kind === 'pglite'
  const publicUrl = str(env, 'PUBLIC_URL', `http://localhost:${port}`).replace(/\/$/, '')
  try {
    new URL(publicUrl)
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL, got "${publicUrl}"`)
  }
  const smtpUrl = env.SMTP_URL || null
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://')
  }

  const metricsToken = env.METRICS_TOKEN || null
  if (metricsToken !== null && metricsToken.length < 24) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 24 random characters (or unset: metrics off in production)')
  }

  const config: Config = {
    env: nodeEnv,
    host,
    port,
    publicUrl,
    dataDir,
    database,
    secret,
    embedded,
    runJobs: bool(env, 'RUN_JOBS', embedded),
    seedDemo: bool(env, 'SEED_DEMO', nodeEnv !== 'production'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, nodeEnv === 'test' ? 'silent' : 'info'),
    mail: {
      smtpUrl,
      from: str(env, 'MAIL_FROM', 'Karya <no-reply@karya.localhost>'),
      devMailbox: bool(env, 'DEV_MAILBOX', !smtpUrl && nodeEnv !== 'production'),
    },
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    identityKeys: identityKeys(env, nodeEnv === 'production'),
    identityLookupKey: lookupKey(env, nodeEnv === 'production'),
    // Tests get a calm registry by default and add the faults they are about.
    registrySandbox: {
      seed: int(env, 'REGISTRY_SANDBOX_SEED', 1, 0, 2 ** 31 - 1),
      size: int(env, 'REGISTRY_SANDBOX_SIZE', nodeEnv === 'test' ? 2_000 : 20_000, 0, 5_000_000),
      latencyMs: msRange(env, 'REGISTRY_SANDBOX_LATENCY_MS', nodeEnv === 'test' ? [0, 0] : [50, 400]),
      timeoutRate: rate(env, 'REGISTRY_SANDBOX_TIMEOUT_RATE', nodeEnv === 'test' ? 0 : 0.03),
      outage: window(env, 'REGISTRY_SANDBOX_OUTAGE'),
      wrongKkRate: rate(env, 'REGISTRY_SANDBOX_WRONG_KK_RATE', nodeEnv === 'test' ? 0 : 0.005),
    },
    // 10 retries, doubling from 30 s: about 9 to 17 hours before a check is handed to PMO.
    registryChecks: {
      retryLimit: int(env, 'REGISTRY_CHECK_RETRY_LIMIT', 10, 0, 50),
      retryDelaySeconds: int(env, 'REGISTRY_CHECK_RETRY_DELAY_SECONDS', 30, 1, 86_400),
    },
    uploadsDir: path.resolve(str(env, 'UPLOADS_DIR', path.join(dataDir, 'uploads'))),
    uploadMaxBytes: int(env, 'UPLOAD_MAX_BYTES', 10 * 1024 * 1024, 1024, 104_857_600),
    // Off in tests unless a test is about it (their fixed clocks would never admit anyone).
    waitingRoom: {
      enabled: bool(env, 'WAITING_ROOM_ENABLED', nodeEnv !== 'test'),
      ratePerSecond: int(env, 'WAITING_ROOM_RATE', Math.floor(MEASURED_SIGNUPS_PER_SECOND * 0.75), 1, 100_000),
      admittedMinutes: int(env, 'WAITING_ROOM_ADMITTED_MINUTES', 30, 1, 24 * 60),
      refreshMs: int(env, 'WAITING_ROOM_REFRESH_MS', 250, 0, 60_000),
      openingShuffleSeconds: int(env, 'WAITING_ROOM_OPENING_SECONDS', 60, 0, 3600),
      postsPerAdmission: 5,
    },
    helpdesk: {
      // 0 listens on a free port (tests); unset keeps the e-mail channel off.
      smtpPort: env.HELPDESK_SMTP_PORT ? int(env, 'HELPDESK_SMTP_PORT', 2525, 0, 65_535) : null,
      smtpHost: str(env, 'HELPDESK_SMTP_HOST', '127.0.0.1'),
      address: str(env, 'HELPDESK_ADDRESS', 'pengaduan@karya.localhost').toLowerCase(),
    },
    metricsToken,
  }
  return deepFreeze(config)
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o)) {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}
