/**
 * npm run audit:verify — recomputes the audit log's hash chain.
 * Exit 0: intact; 1: tampered (each problem listed); 2: could not check.
 * The printed head hash is what an auditor writes down elsewhere: a later run showing an
 * earlier head means the newest entries were removed, which the chain alone cannot show.
 */
import fs from 'node:fs'
import { loadConfig } from '../src/config.ts'
import { openDatabase, type Database } from '../src/platform/db/database.ts'
import { verifyChain, type ChainReport } from '../src/platform/audit/index.ts'

function describeTarget(kind: 'pglite' | 'postgres', where: string): string {
  if (kind === 'pglite') return `PGlite at ${where}`
  // Never print a password that may sit in the URL.
  const u = new URL(where)
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`
}

function summary(r: ChainReport): string[] {
  const lines = [
    `Entries checked: ${r.checked}`,
    r.headSeq === null ? 'Head: (the log is empty)' : `Head: seq ${r.headSeq}, hash ${r.headHash}`,
  ]
  if (r.ok) {
    lines.push('Result: INTACT. Record the head seq and hash elsewhere to detect later removal of the newest entries.')
    return lines
  }
  const total = r.problems.length + r.moreProblems
  lines.push(`Result: BROKEN. ${total} problem${total === 1 ? '' : 's'} found:`)
  for (const p of r.problems) lines.push(`  seq ${p.seq}: ${p.kind}: ${p.detail}`)
  if (r.moreProblems > 0) lines.push(`  ... and ${r.moreProblems} more`)
  return lines
}

async function main(): Promise<number> {
  let database: Database | null = null
  try {
    const config = loadConfig()
    const target =
      config.database.kind === 'pglite'
        ? describeTarget('pglite', config.database.dataDir)
        : describeTarget('postgres', config.database.url)
    console.log(`Verifying the audit log in ${target}`)
    // Opening PGlite on a missing directory would create an empty database there.
    if (config.database.kind === 'pglite' && !fs.existsSync(config.database.dataDir)) {
      throw new Error(`no database at ${config.database.dataDir} (check DATA_DIR)`)
    }
    database = await openDatabase(config.database)
    const report = await verifyChain(database.db)
    for (const line of summary(report)) console.log(line)
    return report.ok ? 0 : 1
  } catch (err) {
    console.error(`Could not verify the audit log: ${err instanceof Error ? err.message : String(err)}`)
    return 2
  } finally {
    await database?.close().catch(() => {})
  }
}

process.exitCode = await main()
