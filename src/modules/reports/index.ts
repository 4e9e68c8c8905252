/**
 * Reporting's public door: the daily facts and their refresh job, the PMO console's
 * overview, money, integrity and staff pages, the public status and statistics pages.
 *
 * Extending it: a module with something to count writes one `FactSource` (see
 * sources.repository.ts) and appends it to REPORT_SOURCES; a module with money to show
 * writes one `MoneySection` (money.pages.tsx) and appends it to MONEY_SECTIONS; a new
 * integrity signal is one more `IntegritySignal` in integrity.repository.ts.
 */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { BUILT_IN_SOURCES, type FactSource } from './sources.repository.ts'
import { registerOverviewPages } from './overview.pages.tsx'
import { registerMoneyPages, type MoneySection } from './money.pages.tsx'
import { registerPublicReportPages } from './public.pages.tsx'
import { registerIntegrityPages } from './integrity.pages.tsx'
import { registerStaffPages } from './staff.pages.tsx'

export const REPORT_SOURCES: readonly FactSource[] = [...BUILT_IN_SOURCES]
/** Payouts by partner and state arrive with the incentives module (#8); none on main yet. */
export const MONEY_SECTIONS: readonly MoneySection[] = []

export function registerReportRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerOverviewPages(app, deps)
  registerMoneyPages(app, deps, MONEY_SECTIONS)
  registerPublicReportPages(app, deps)
  registerIntegrityPages(app, deps)
  registerStaffPages(app, deps)
}

export { defineReportJobs, scheduleNightlyRefresh, requestRefresh, REFRESH_JOB } from './reports.jobs.ts'
export { refreshFacts, type RefreshSummary } from './refresh.service.ts'
export type { FactSource } from './sources.repository.ts'
export type { MoneySection } from './money.pages.tsx'
export type { ReportsTables } from './reports.tables.ts'
