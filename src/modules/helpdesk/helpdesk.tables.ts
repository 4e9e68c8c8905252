import type { ColumnType, Generated } from 'kysely'

export const CATEGORIES = ['registration', 'verification', 'wave', 'purchase', 'certificate', 'incentive', 'other'] as const
export type Category = (typeof CATEGORIES)[number]
export const CHANNELS = ['web', 'email', 'chat', 'phone'] as const
export type Channel = (typeof CHANNELS)[number]
export type Priority = 'normal' | 'high'
/** merged: closed into another ticket, which carries on. */
export type TicketState = 'new' | 'open' | 'waiting_participant' | 'waiting_partner' | 'resolved' | 'closed' | 'merged'

export interface HelpdeskTicketsTable {
  id: Generated<string>
  tracking: string
  channel: Channel
  category: Category
  priority: Priority
  state: TicketState
  subject: string
  account_id: string | null
  contact_name: string | null
  contact_email: string | null
  contact_phone: string | null
  owner_id: string | null
  merged_into: string | null
  escalated_at: Date | null
  first_response_due_at: Date
  resolution_due_at: Date
  first_responded_at: Date | null
  waiting_since: Date | null
  resolved_at: Date | null
  closed_at: Date | null
  created_at: Date
  updated_at: Date
  /** Set while a partner hand-off is open: the resolution clock stands still. */
  partner_paused_since: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** Business minutes given back to the resolution target for partner waits. */
  partner_paused_minutes: ColumnType<number, number | undefined, number>
}

export interface HelpdeskMessagesTable {
  id: Generated<string>
  ticket_id: string
  author_kind: 'participant' | 'agent' | 'partner' | 'system'
  author_id: string | null
  partner_code: string | null
  internal: boolean
  via: 'web' | 'email' | 'chat' | 'phone' | 'console' | 'api'
  body: string
  email_message_id: string | null
  created_at: Date
  hidden_at: Date | null
  hidden_by: string | null
  hidden_reason: string | null
}

export interface HelpdeskAttachmentsTable {
  id: Generated<string>
  message_id: string
  file_name: string
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf'
  size_bytes: number
  storage_key: string
  created_at: Date
}

export interface HelpdeskSlaTargetsTable {
  channel: Channel
  category: Category
  priority: Priority
  first_response_minutes: number
  resolution_minutes: number
}

export interface HelpdeskHolidaysTable {
  day: ColumnType<Date, string, string>
  name: string
}

export interface HelpdeskAgentsTable {
  account_id: string
  team: string
  skills: ColumnType<Category[], string, string>
  capacity: number
  active: Generated<boolean>
  last_assigned_at: Date | null
  /** From a sequence: the round-robin order, exact even when two assignments share a millisecond. */
  last_assigned_seq: ColumnType<string | null, string | null | undefined, never>
}

export interface HelpdeskHandoffsTable {
  id: Generated<string>
  ticket_id: string
  partner_code: string
  question: string
  status: 'open' | 'answered'
  due_at: Date
  created_by: string
  created_at: Date
  answer: string | null
  answered_at: Date | null
  answered_by: string | null
}

export interface HelpdeskCsatTable {
  ticket_id: string
  channel: Channel
  owner_id: string | null
  score: number
  comment: string
  created_at: Date
}

export interface HelpdeskInboundEmailsTable {
  message_id: string
  outcome: string
  ticket_id: string | null
  received_at: Date
}

export type SettingsKind = 'sla_target' | 'holiday' | 'agent'

/** Append-only: every change to the targets, the calendar and the agents, with before and after. */
export interface HelpdeskSettingsHistoryTable {
  id: Generated<string>
  kind: SettingsKind
  subject: string
  before: ColumnType<Record<string, unknown> | null, string | null, never>
  after: ColumnType<Record<string, unknown> | null, string | null, never>
  changed_by: string
  changed_at: Date
}

export interface HelpdeskCallbacksTable {
  ticket_id: string
  phone: string
  window_start: Date
  window_end: Date
  status: 'waiting' | 'answered' | 'gave_up'
  attempts: Generated<number>
  last_outcome: 'answered' | 'no_answer' | null
  created_at: Date
  updated_at: Date
}

export interface HelpdeskTables {
  helpdesk_settings_history: HelpdeskSettingsHistoryTable
  helpdesk_tickets: HelpdeskTicketsTable
  helpdesk_messages: HelpdeskMessagesTable
  helpdesk_attachments: HelpdeskAttachmentsTable
  helpdesk_sla_targets: HelpdeskSlaTargetsTable
  helpdesk_holidays: HelpdeskHolidaysTable
  helpdesk_agents: HelpdeskAgentsTable
  helpdesk_handoffs: HelpdeskHandoffsTable
  helpdesk_csat: HelpdeskCsatTable
  helpdesk_inbound_emails: HelpdeskInboundEmailsTable
  helpdesk_callbacks: HelpdeskCallbacksTable
}
