/**
 * Every route declares who may call it in `config.access`; a route without one stops the
 * app at start, so no route can be added without an authorisation decision.
 */
import type { Role } from '../../modules/accounts/accounts.tables.ts'

/** A partner API route: no session; the call's signature says which partner it is (modules/partners). */
export interface PartnerAccess {
  readonly partner: 'platform' | 'provider' | 'any'
}

export type Access = 'public' | 'authenticated' | readonly Role[] | PartnerAccess

export function isPartnerAccess(access: Access | undefined): access is PartnerAccess {
  return typeof access === 'object' && access !== null && !Array.isArray(access)
}

export const STAFF_ROLES = ['officer', 'agent', 'supervisor', 'pmo_admin', 'auditor'] as const satisfies readonly Role[]
export const PARTNER_ROLES = ['platform', 'provider'] as const satisfies readonly Role[]

export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true
  // A browser session never opens a partner route, whatever its role.
  if (isPartnerAccess(access)) return false
  if (role === null) return false
  if (access === 'authenticated') return true
  return (access as readonly Role[]).includes(role)
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Required on every route. */
    access?: Access
    /** false on routes authenticated by a partner signature instead of a browser session. */
    csrf?: boolean
    /** true on the few routes an account still verifying its e-mail and phone may use. */
    allowPending?: boolean
  }
}
