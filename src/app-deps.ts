import type { Config } from './config.ts'
import type { Database } from './platform/db/database.ts'
import type { Clock } from './platform/clock.ts'
import type { Jobs } from './platform/jobs/jobs.ts'
import type { Mail } from './platform/mail/index.ts'
import type { IdentityCipher } from './platform/crypto/identity.ts'

/** Everything the app needs, built once in the composition root (main.ts or a test). */
export interface AppDeps {
  readonly config: Config
  readonly database: Database
  readonly clock: Clock
  readonly jobs: Jobs
  readonly mail: Mail
  readonly identity: IdentityCipher
}
