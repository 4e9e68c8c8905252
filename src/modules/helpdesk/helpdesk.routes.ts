/** Every helpdesk route: the participant's pages, the agent console, the partner side, and the inbound SMTP server when configured. */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { registerComplaintPages } from './complaint.pages.tsx'
import { registerConsolePages } from './console.pages.tsx'
import { registerHandoffRoutes } from './handoff.http.tsx'
import { registerBoardPage } from './board.pages.tsx'
import { registerChatPages } from './chat.pages.tsx'
import { registerSettingsPages } from './settings.pages.tsx'
import { registerCallbackPages } from './callback.pages.tsx'
import { helpdeskDeps } from './deps.ts'
import { bareAddress } from './email-rules.ts'
import { startInboundSmtp, type InboundSmtp } from './inbound-email.ts'

export function registerHelpdesk(app: FastifyInstance, deps: AppDeps): void {
  registerChatPages(app, deps)
  registerCallbackPages(app, deps)
  registerComplaintPages(app, deps)
  registerConsolePages(app, deps)
  registerHandoffRoutes(app, deps)
  registerBoardPage(app, deps)
  registerSettingsPages(app, deps)
  const { smtpPort, smtpHost, address } = deps.config.helpdesk
  if (smtpPort === null) return
  let smtp: InboundSmtp | null = null
  app.addHook('onReady', async () => {
    smtp = await startInboundSmtp(helpdeskDeps(deps), { port: smtpPort, host: smtpHost, ownAddresses: [address, bareAddress(deps.config.mail.from)], log: app.log })
    app.log.info({ port: smtp.port }, 'helpdesk inbound SMTP listening')
  })
  app.addHook('onClose', async () => {
    await smtp?.close()
  })
}
