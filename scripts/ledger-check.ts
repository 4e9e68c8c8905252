/**
 * npm run ledger:check — recomputes every balance from the transfers and checks the
 * ledger's invariants: debits equal credits, no non-negative account below zero, every
 * hold open, posted, voided or expired exactly once. The result is kept for the PMO
 * console (/pmo/dana) unless --no-record is given.
 * Exit 0: balanced; 1: a violation (each listed); 2: could not check.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { systemClock } from '../src/platform/clock.ts'
import { openDatabase, type Database } from '../src/platform/db/database.ts'
import { checkLedger, recordCheck, type CheckReport } from '../src/modules/ledger/index.ts'

function summary(r: CheckReport): string[] {
  const t = r.totals
  const h = r.holds
  const lines = [
    `Accounts: ${r.accounts}, transfers: ${r.transfers}`,
    `Debits posted ${t.debitsPosted} = credits posted ${t.creditsPosted}? ${t.debitsPosted === t.creditsPosted ? 'yes' : 'NO'}`,
    `Debits pending ${t.debitsPending} = credits pending ${t.creditsPending}? ${t.debitsPending === t.creditsPending ? 'yes' : 'NO'}`,
    `Holds: ${h.open} open (${h.overdue} past deadline), ${h.posted} posted, ${h.voided} voided, ${h.expired} expired`,
  ]
  if (r.ok) {
    lines.push('Result: BALANCED. Every invariant holds.')
    return lines
  }
  lines.push(`Result: VIOLATED. ${r.problemCount} problem${r.problemCount === 1 ? '' : 's'} found:`)
  for (const p of r.problems) {
    const where = [p.accountId ? `account ${p.accountId}` : '', p.transferId ? `transfer ${p.transferId}` : ''].filter(Boolean).join(' ')
    lines.push(`  ${p.kind}${where ? ` (${where})` : ''}: ${p.detail}`)
  }
  if (r.problemCount > r.problems.length) lines.push(`  ... and ${r.problemCount - r.problems.length} more`)
  return lines
}

async function main(): Promise<number> {
  let database: Database | null = null
  try {
    const { values } = parseArgs({ options: { 'no-record': { type: 'boolean', default: false } } })
    const config = loadConfig()
    if (config.database.kind === 'pglite' && !fs.existsSync(config.database.dataDir)) {
      throw new Error(`no database at ${config.database.dataDir} (check DATA_DIR)`)
    }
    database = await openDatabase(config.database)
    const report = await checkLedger(database.db, systemClock)
    for (const line of summary(report)) console.log(line)
    if (!values['no-record']) await recordCheck(database.db, systemClock, report, { source: 'cli' })
    return report.ok ? 0 : 1
  } catch (err) {
    console.error(`Could not check the ledger: ${err instanceof Error ? err.message : String(err)}`)
    return 2
  } finally {
    await database?.close().catch(() => {})
  }
}

process.exitCode = await main()
