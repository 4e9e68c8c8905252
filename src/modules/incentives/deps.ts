import type { AppDeps } from '../../app-deps.ts'
import type { Clock } from '../../platform/clock.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { sandboxPaymentsFor } from '../../sandboxes/payments/index.ts'
import { createLedger, type Ledger } from '../ledger/index.ts'
import type { PaymentGateway } from './gateway.ts'

export interface IncentivesDeps {
  readonly db: Db
  readonly clock: Clock
  readonly jobs: Jobs
  readonly mail: Mail
  readonly identity: IdentityCipher
  /** Keys the SMS codes and the partners' callback secrets. */
  readonly secret: string
  readonly gateway: PaymentGateway
}

export function ledgerOf(deps: Pick<IncentivesDeps, 'jobs' | 'clock'>): Ledger {
  return createLedger({ jobs: deps.jobs, clock: deps.clock })
}

/**
 * The programme's own accounts a payout touches. Found with a plain read: opening them
 * (an insert … on conflict) would wait for every transaction that is changing their
 * balance, and these are the busiest rows of the run.
 */
export async function programmeAccounts(deps: Pick<IncentivesDeps, 'jobs' | 'clock'>, ex: Executor): Promise<{ fund: number; clearing: number; settlement: number }> {
  const ledger = ledgerOf(deps)
  const id = async (type: 'programme_fund' | 'payout_clearing' | 'settlement') => ((await ledger.findAccount(ex, type)) ?? (await ledger.openAccount(ex, type))).id
  return { fund: await id('programme_fund'), clearing: await id('payout_clearing'), settlement: await id('settlement') }
}

/**
 * The partners are the sandbox ones (one set per database handle, shared by routes and
 * jobs); a deployment with real partners passes its own gateway where this is called.
 */
export function incentivesDeps(deps: Pick<AppDeps, 'database' | 'clock' | 'jobs' | 'mail' | 'identity' | 'config'>): IncentivesDeps {
  return {
    db: deps.database.db,
    clock: deps.clock,
    jobs: deps.jobs,
    mail: deps.mail,
    identity: deps.identity,
    secret: deps.config.secret,
    gateway: sandboxPaymentsFor(deps.database.db, { clock: deps.clock, serverSecret: deps.config.secret }),
  }
}
