/**
 * Refreshing the daily facts. The first refresh recomputes every day ('full'); later ones
 * recompute the last `recentDays` days ('recent', default 35): every fact carries the time
 * its event happened, and events are written when they happen, so only recent days change.
 * A late change to an older day (a correction) is picked up by a full refresh, which PMO
 * can ask for on the console. After the sources, the province and national rollups of the
 * same days are summed from their rows. Each refresh deletes and rewrites its days in one
 * transaction under an advisory lock, so running it twice gives the same table
 * (idempotent) and a reader never sees a half-written day. Its cost is logged.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db } from '../../platform/db/database.ts'
import { addDays, wibDay } from './filters.ts'
import * as repo from './reports.repository.ts'
import type { FactSource } from './sources.repository.ts'

export const DEFAULT_RECENT_DAYS = 35

export interface RefreshSummary {
  readonly mode: 'full' | 'recent'
  readonly fromDay: string | null
  readonly toDay: string
  readonly durationMs: number
  readonly rowsDeleted: number
  readonly rowsWritten: number
  readonly perSource: Record<string, { rows: number; ms: number }>
}

export interface RefreshOptions {
  /** Absent: 'full' if no refresh ever ran, else 'recent'. */
  readonly mode?: 'full' | 'recent'
  readonly recentDays?: number
  /** Who asked: 'job', 'pmo', 'cli', 'bench', 'test'. */
  readonly source: string
}

export async function refreshFacts(deps: { db: Db; clock: Clock; sources: readonly FactSource[] }, opts: RefreshOptions): Promise<RefreshSummary> {
  const startedAt = deps.clock.now()
  const t0 = performance.now()
  return transaction(deps.db, async (trx) => {
    await repo.lockRefresh(trx)
    const mode = opts.mode ?? ((await repo.latestRefresh(trx)) ? 'recent' : 'full')
    const toDay = wibDay(startedAt)
    const fromDay = mode === 'full' ? null : addDays(toDay, -((opts.recentDays ?? DEFAULT_RECENT_DAYS) - 1))
    const rowsDeleted = await repo.deleteFacts(trx, fromDay)
    const perSource: Record<string, { rows: number; ms: number }> = {}
    let rowsWritten = 0
    for (const source of deps.sources) {
      const s0 = performance.now()
      const rows = await source.write(trx, fromDay)
      perSource[source.name] = { rows, ms: Math.round(performance.now() - s0) }
      rowsWritten += rows
    }
    const r0 = performance.now()
    const rollups = await repo.writeRollups(trx, fromDay)
    perSource.rollups = { rows: rollups, ms: Math.round(performance.now() - r0) }
    rowsWritten += rollups
    const durationMs = Math.round(performance.now() - t0)
    await repo.insertRefresh(trx, {
      startedAt,
      finishedAt: new Date(startedAt.getTime() + durationMs),
      fromDay,
      toDay,
      mode,
      source: opts.source,
      durationMs,
      rowsDeleted,
      rowsWritten,
      perSource,
    })
    return { mode, fromDay, toDay, durationMs, rowsDeleted, rowsWritten, perSource }
  })
}
