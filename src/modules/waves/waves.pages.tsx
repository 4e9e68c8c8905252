/** Every route of the waves module: PMO's console, the public pages, the participant's pages. */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { registerParticipantWavePages } from './participant.pages.tsx'
import { registerPmoWavePages } from './pmo.pages.tsx'
import { registerPublicWavePages } from './public.pages.tsx'
import type { WavesDeps } from './waves.service.ts'

export { WaveBlock } from './participant.pages.tsx'

export function registerWaveRoutes(app: FastifyInstance, deps: AppDeps): void {
  const wavesDeps: WavesDeps = { db: deps.database.db, clock: deps.clock, identity: deps.identity, jobs: deps.jobs, mail: deps.mail }
  registerPmoWavePages(app, deps, wavesDeps)
  registerPublicWavePages(app, deps)
  registerParticipantWavePages(app, deps, wavesDeps)
}
