/** Assisted registration's public door: officer pages and the public activation page. */
export { registerAssistedRoutes } from './assisted.pages.tsx'
export { registerActivationRoutes } from './activation.pages.tsx'
export type { AssistedTables } from './assisted.tables.ts'
