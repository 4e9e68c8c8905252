/** The helpdesk's public door: tickets from every channel, the agent console, partner hand-offs (issue #9). */
export { registerHelpdesk } from './helpdesk.routes.ts'
export { raiseTicket, participantReply, rateTicket, type HelpdeskDeps, type NewTicket } from './tickets.service.ts'
export { helpdeskDeps } from './deps.ts'
export { upsertAgent, seedHelpdeskAgents } from './helpdesk.repository.ts'
export { parseTrackingNumber, findTrackingNumber } from './tracking.ts'
export type { HelpdeskTables, Category as TicketCategory, Channel as TicketChannel } from './helpdesk.tables.ts'
export { defineHelpdeskJobs, scheduleMorningAssignment, assignAtOpening, MORNING_ASSIGN_JOB } from './helpdesk.jobs.ts'
