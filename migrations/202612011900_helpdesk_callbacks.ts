import { sql, type Kysely } from 'kysely'

// Call-back requests (issue #9): a phone ticket carries the number to call and the window the
// person chose inside business hours; the window moves when a call is not picked up (the next
// try), and the request ends answered or given up after the last try. Each call's outcome is
// also a message on the ticket and an audit record.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('helpdesk_callbacks')
    .addColumn('ticket_id', 'uuid', (c) => c.primaryKey().references('helpdesk_tickets.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('window_end', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('waiting','answered','gave_up')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn('last_outcome', 'text', (c) => c.check(sql`last_outcome in ('answered','no_answer')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('helpdesk_callbacks_window', sql`window_end > window_start`)
    .execute()
  await db.schema.createIndex('helpdesk_callbacks_due').on('helpdesk_callbacks').columns(['status', 'window_start']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('helpdesk_callbacks').execute()
}
