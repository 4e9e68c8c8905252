import { sql, type Kysely } from 'kysely'

// The nightly refresh of the reports' daily facts (issue #11) rewrites the last 35 days, and
// reads each source by the time its fact happened. The incentive and complaint sources had
// no index on those times, so every nightly refresh read all payouts, all their events and
// all tickets, ever, once per metric (five scans of the payouts, six of the tickets). A time
// that is empty until something happens is indexed only where it is set. A payout's failed
// and cancelled events are a few in a hundred (most are held, acknowledged, paid), so their
// index holds only those two kinds, and serves the full recompute too.
const INDEXES = [
  ['incentive_payouts_created', 'incentive_payouts', 'created_at', null],
  ['incentive_payouts_sent', 'incentive_payouts', 'sent_at', 'sent_at is not null'],
  ['incentive_payouts_paid', 'incentive_payouts', 'paid_at', 'paid_at is not null'],
  ['helpdesk_tickets_created', 'helpdesk_tickets', 'created_at', null],
  ['helpdesk_tickets_first_response', 'helpdesk_tickets', 'first_responded_at', 'first_responded_at is not null'],
  ['helpdesk_tickets_resolved', 'helpdesk_tickets', 'resolved_at', 'resolved_at is not null'],
  ['helpdesk_tickets_closed', 'helpdesk_tickets', 'closed_at', 'closed_at is not null'],
  ['helpdesk_csat_created', 'helpdesk_csat', 'created_at', null],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, column, where] of INDEXES) {
    const index = db.schema.createIndex(name).on(table).column(column)
    await (where ? index.where(sql<boolean>`${sql.raw(where)}`) : index).execute()
  }
  await sql`create index payout_events_failed_cancelled on payout_events (kind, at) where kind in ('failed', 'cancelled')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('payout_events_failed_cancelled').execute()
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).execute()
}
