import { sql, type Kysely } from 'kysely'

// The contact centre (issue #9): tickets with a tracking number from every channel, their
// append-only messages (abusive content hidden, never deleted), attachments, SLA targets in
// business time and the holiday calendar, agents' skills and capacity, partner hand-offs,
// and one satisfaction rating per ticket.
const CATEGORIES = `('registration','verification','wave','purchase','certificate','incentive','other')`

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('helpdesk_tickets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tracking', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('web','email','chat','phone')`))
    .addColumn('category', 'text', (c) => c.notNull().check(sql.raw(`category in ${CATEGORIES}`)))
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('normal','high')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('new','open','waiting_participant','waiting_partner','resolved','closed','merged')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('owner_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('merged_into', 'uuid', (c) => c.references('helpdesk_tickets.id'))
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('first_response_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolution_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_responded_at', 'timestamptz')
    .addColumn('waiting_since', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('helpdesk_tickets_contact', sql`account_id is not null or contact_email is not null or contact_phone is not null`)
    .execute()
  await db.schema.createIndex('helpdesk_tickets_queue').on('helpdesk_tickets').columns(['state', 'first_response_due_at']).execute()
  await db.schema.createIndex('helpdesk_tickets_account').on('helpdesk_tickets').columns(['account_id', 'created_at']).execute()
  await db.schema.createIndex('helpdesk_tickets_owner').on('helpdesk_tickets').columns(['owner_id', 'state']).execute()

  await db.schema
    .createTable('helpdesk_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('helpdesk_tickets.id'))
    .addColumn('author_kind', 'text', (c) => c.notNull().check(sql`author_kind in ('participant','agent','partner','system')`))
    .addColumn('author_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('partner_code', 'text', (c) => c.references('partners.code'))
    .addColumn('internal', 'boolean', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('web','email','chat','phone','console','api')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('email_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hidden_at', 'timestamptz')
    .addColumn('hidden_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('hidden_reason', 'text')
    .execute()
  await db.schema.createIndex('helpdesk_messages_ticket').on('helpdesk_messages').columns(['ticket_id', 'id']).execute()
  // Nothing said is ever deleted or rewritten; only the hiding columns may be set, once.
  await sql`
    create function helpdesk_messages_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.hidden_at is null and new.hidden_at is not null
         and (new.id, new.ticket_id, new.author_kind, new.author_id, new.partner_code, new.internal, new.via, new.body, new.email_message_id, new.created_at)
             is not distinct from (old.id, old.ticket_id, old.author_kind, old.author_id, old.partner_code, old.internal, old.via, old.body, old.email_message_id, old.created_at)
      then return new; end if;
      raise exception 'helpdesk_messages is append-only (a message can only be hidden, once)';
    end $$`.execute(db)
  await sql`create trigger helpdesk_messages_no_change before update or delete on helpdesk_messages for each row execute function helpdesk_messages_append_only()`.execute(db)
  await sql`create trigger helpdesk_messages_no_truncate before truncate on helpdesk_messages for each statement execute function helpdesk_messages_append_only()`.execute(db)

  await db.schema
    .createTable('helpdesk_attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('helpdesk_messages.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('image/jpeg','image/png','application/pdf')`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('helpdesk_attachments_message').on('helpdesk_attachments').column('message_id').execute()

  await db.schema
    .createTable('helpdesk_sla_targets')
    .addColumn('category', 'text', (c) => c.notNull().check(sql.raw(`category in ${CATEGORIES}`)))
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('normal','high')`))
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull().check(sql`first_response_minutes > 0`))
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull().check(sql`resolution_minutes > 0`))
    .addPrimaryKeyConstraint('helpdesk_sla_targets_pk', ['category', 'priority'])
    .execute()
  // Business minutes (12 a day): first answer within 4 h (2 h high), resolution within 3 days
  // (1 day high); purchases and vouchers are money stuck in flight, so they go faster.
  const rows: Array<Record<string, unknown>> = []
  for (const category of ['registration', 'verification', 'wave', 'purchase', 'certificate', 'incentive', 'other']) {
    const fast = category === 'purchase' || category === 'incentive'
    rows.push({ category, priority: 'normal', first_response_minutes: fast ? 120 : 240, resolution_minutes: fast ? 720 : 3 * 720 })
    rows.push({ category, priority: 'high', first_response_minutes: 60, resolution_minutes: fast ? 360 : 720 })
  }
  await db.insertInto('helpdesk_sla_targets').values(rows).execute()

  await db.schema
    .createTable('helpdesk_holidays')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute()
  await db
    .insertInto('helpdesk_holidays')
    .values([
      { day: '2026-12-25', name: 'Hari Raya Natal' },
      { day: '2027-01-01', name: 'Tahun Baru Masehi' },
    ])
    .execute()

  await db.schema
    .createTable('helpdesk_agents')
    .addColumn('account_id', 'uuid', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('skills', 'jsonb', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity between 0 and 200`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('last_assigned_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('helpdesk_handoffs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('helpdesk_tickets.id'))
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','answered')`))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_by', 'text')
    .addCheckConstraint('helpdesk_handoffs_answer', sql`(status = 'answered') = (answered_at is not null and answer is not null)`)
    .execute()
  await db.schema.createIndex('helpdesk_handoffs_partner').on('helpdesk_handoffs').columns(['partner_code', 'status', 'due_at']).execute()
  await sql`create unique index helpdesk_handoffs_one_open on helpdesk_handoffs (ticket_id, partner_code) where status = 'open'`.execute(db)

  await db.schema
    .createTable('helpdesk_csat')
    .addColumn('ticket_id', 'uuid', (c) => c.primaryKey().references('helpdesk_tickets.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()

  // Inbound e-mails already seen, by Message-ID: a redelivery creates nothing twice.
  await db.schema
    .createTable('helpdesk_inbound_emails')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'uuid', (c) => c.references('helpdesk_tickets.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['helpdesk_inbound_emails', 'helpdesk_csat', 'helpdesk_handoffs', 'helpdesk_agents', 'helpdesk_holidays', 'helpdesk_sla_targets', 'helpdesk_attachments', 'helpdesk_messages', 'helpdesk_tickets']) await db.schema.dropTable(t).execute()
  await sql`drop function if exists helpdesk_messages_append_only()`.execute(db)
}
