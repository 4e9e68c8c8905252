import type { AppDeps } from '../../app-deps.ts'
import type { ConsoleDeps } from './console.service.ts'

export function helpdeskDeps(deps: AppDeps): ConsoleDeps {
  return { db: deps.database.db, clock: deps.clock, mail: deps.mail, identity: deps.identity, uploadsDir: deps.config.uploadsDir, publicUrl: deps.config.publicUrl, address: deps.config.helpdesk.address }
}
