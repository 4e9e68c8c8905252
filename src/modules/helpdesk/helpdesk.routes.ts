/** Every helpdesk route: the participant's pages, the agent console, the partner side. */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { registerComplaintPages } from './complaint.pages.tsx'
import { registerConsolePages } from './console.pages.tsx'
import { registerHandoffRoutes } from './handoff.http.tsx'

export function registerHelpdesk(app: FastifyInstance, deps: AppDeps): void {
  registerComplaintPages(app, deps)
  registerConsolePages(app, deps)
  registerHandoffRoutes(app, deps)
}
