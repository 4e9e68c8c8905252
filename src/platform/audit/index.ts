/** The audit log's public door: append in the action's transaction, verify, search. */
export { record, verifyChain, searchAudit } from './audit.service.ts'
export type { AuditEntryInput, AuditProblem, AuditProblemKind, ChainReport, AuditPage } from './audit.service.ts'
export type { AuditFilters } from './audit.repository.ts'
export { GENESIS_HASH, entryHash, canonicalEntry } from './chain.ts'
export type { AuditEntry, AuditRecord, JsonObject, JsonValue } from './chain.ts'
