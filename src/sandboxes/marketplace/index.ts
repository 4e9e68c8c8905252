/** The demo platform and training provider: outside partners, played through the partner API. */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { registerDemoPlatform } from './platform.pages.tsx'
import { registerDemoProvider } from './provider.pages.tsx'

export { seedMarketplace, DEMO_COURSES } from './seed.ts'
export { DEMO_PLATFORM, DEMO_PROVIDER, demoPartnerSecret, injectClient, isApiError, type PartnerClient } from './client.ts'

export function registerMarketplaceSandbox(app: FastifyInstance, deps: AppDeps): void {
  registerDemoPlatform(app, deps)
  registerDemoProvider(app, deps)
}
