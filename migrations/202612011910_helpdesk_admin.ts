import { sql, type Kysely } from 'kysely'

// The contact centre, part 2 (issue #9): SLA targets per channel as well as category and
// priority (each channel starts with the targets it had), an append-only history of every
// change to the targets, the holiday calendar and the agents' teams, skills and capacity,
// and the pause of a ticket's resolution clock while a partner hand-off is open.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table helpdesk_sla_targets add column channel text not null default 'web' check (channel in ('web','email','chat','phone'))`.execute(db)
  await sql`alter table helpdesk_sla_targets drop constraint helpdesk_sla_targets_pk`.execute(db)
  await sql`
    insert into helpdesk_sla_targets (channel, category, priority, first_response_minutes, resolution_minutes)
    select c.channel, t.category, t.priority, t.first_response_minutes, t.resolution_minutes
    from helpdesk_sla_targets t cross join (values ('email'), ('chat'), ('phone')) as c(channel)
    where t.channel = 'web'`.execute(db)
  await sql`alter table helpdesk_sla_targets alter column channel drop default`.execute(db)
  await sql`alter table helpdesk_sla_targets add constraint helpdesk_sla_targets_pk primary key (channel, category, priority)`.execute(db)
  await sql`alter table helpdesk_sla_targets add constraint helpdesk_sla_targets_order check (first_response_minutes <= resolution_minutes)`.execute(db)

  await db.schema
    .createTable('helpdesk_settings_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('sla_target','holiday','agent')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('changed_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('helpdesk_settings_history_kind').on('helpdesk_settings_history').columns(['kind', 'id']).execute()
  await sql`
    create function helpdesk_settings_history_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'helpdesk_settings_history is append-only';
    end $$`.execute(db)
  await sql`create trigger helpdesk_settings_history_no_change before update or delete on helpdesk_settings_history for each row execute function helpdesk_settings_history_append_only()`.execute(db)
  await sql`create trigger helpdesk_settings_history_no_truncate before truncate on helpdesk_settings_history for each statement execute function helpdesk_settings_history_append_only()`.execute(db)

  // Round-robin order: a sequence, so two assignments in the same millisecond still take turns.
  await sql`create sequence helpdesk_assign_seq`.execute(db)
  await sql`alter table helpdesk_agents add column last_assigned_seq bigint`.execute(db)

  // Set while a partner hand-off is open: the programme's resolution clock stands still.
  await sql`alter table helpdesk_tickets add column partner_paused_since timestamptz`.execute(db)
  // Business minutes given back to the resolution target for partner waits, in total.
  await sql`alter table helpdesk_tickets add column partner_paused_minutes integer not null default 0`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table helpdesk_tickets drop column partner_paused_minutes`.execute(db)
  await sql`alter table helpdesk_tickets drop column partner_paused_since`.execute(db)
  await sql`alter table helpdesk_agents drop column last_assigned_seq`.execute(db)
  await sql`drop sequence helpdesk_assign_seq`.execute(db)
  await db.schema.dropTable('helpdesk_settings_history').execute()
  await sql`drop function if exists helpdesk_settings_history_append_only()`.execute(db)
  await sql`alter table helpdesk_sla_targets drop constraint helpdesk_sla_targets_order`.execute(db)
  await sql`alter table helpdesk_sla_targets drop constraint helpdesk_sla_targets_pk`.execute(db)
  await sql`delete from helpdesk_sla_targets where channel <> 'web'`.execute(db)
  await sql`alter table helpdesk_sla_targets drop column channel`.execute(db)
  await sql`alter table helpdesk_sla_targets add constraint helpdesk_sla_targets_pk primary key (category, priority)`.execute(db)
}
