import type { ColumnType, Generated, JSONColumnType } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface SessionsTable {
  id_hash: string
  account_id: string | null
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: ColumnType<Date, Date | string, Date | string>
  ip: string | null
  user_agent: string | null
  stage: ColumnType<'full' | 'password', 'full' | 'password' | undefined, 'full' | 'password'>
}

export interface AuditLogTable {
  seq: number
  at: ColumnType<Date, Date | string, never>
  actor_id: string | null
  actor_role: string | null
  action: string
  subject_type: string | null
  subject_id: string | null
  details: JSONColumnType<Record<string, unknown>>
  request_id: string | null
  ip: string | null
  prev_hash: string
  hash: string
}

export interface MailOutboxTable {
  id: Generated<string>
  account_id: string | null
  to_address: string
  channel: Generated<'email' | 'sms'>
  subject: string
  text_body: string
  html_body: string | null
  template: string
  status: Generated<'queued' | 'sent' | 'failed'>
  attempts: Generated<number>
  last_error: string | null
  provider_message_id: string | null
  created_at: Timestamp
  sent_at: Date | null
}

export interface InboxMessagesTable {
  id: Generated<string>
  account_id: string
  outbox_id: string | null
  subject: string
  body: string
  link: string | null
  created_at: Timestamp
  read_at: Date | null
}

export interface PlatformTables {
  sessions: SessionsTable
  audit_log: AuditLogTable
  mail_outbox: MailOutboxTable
  inbox_messages: InboxMessagesTable
}
