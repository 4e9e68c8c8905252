/** The re-verification module's public door: account recovery for people who lost both e-mail and phone. */
export { registerReverificationRoutes, rdepsOf } from './reverification.pages.tsx'
export { registerHelpdeskRoutes } from './helpdesk.pages.tsx'
export type { FaceComparer, ReverificationDeps } from './reverification.service.ts'
export type { ReverificationTables } from './reverification.tables.ts'
export { createSandboxFaceComparer } from './face-comparer.sandbox.ts'
export { approve as approveReverification, requestsOfAccount as reverificationRequestsOf } from './helpdesk.service.ts'
