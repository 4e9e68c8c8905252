import { sql, type Kysely } from 'kysely'

// Waves, the verifiable draw and the cards it issues.
//
// A wave is configured as a draft, then its commitment (sha256 of a secret seed) is
// published; from then on its configuration is frozen. People join while it is open; after
// it closes the eligibility pipeline and the draw run once, and the seed is revealed with
// the export anyone can re-run. A card is for life: one per NIK, and a KK holds at most two.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('waves')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'committed', 'open', 'closed', 'drawn', 'cancelled')`))
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('national_quota', 'integer', (c) => c.notNull().check(sql`national_quota >= 0`))
    // Benefit scheme: amounts in whole rupiah, counts, deadlines (see waves/scheme.ts).
    .addColumn('scheme', 'jsonb', (c) => c.notNull())
    .addColumn('commitment', 'text')
    .addColumn('seed_sealed', 'text')
    .addColumn('seed', 'text')
    .addColumn('committed_at', 'timestamptz')
    .addColumn('opened_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('drawn_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('waves_window', sql`closes_at > opens_at`)
    .addCheckConstraint('waves_commitment_before_open', sql`status in ('draft', 'cancelled') or commitment is not null`)
    .execute()

  // Area quotas: a province ('13') or a regency ('13.06'). An applicant draws in the most
  // specific area that has a quota; people in areas without one share what the national
  // quota leaves over (area code '00').
  await db.schema
    .createTable('wave_quotas')
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('waves.id'))
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull().check(sql`quota >= 0`))
    .addPrimaryKeyConstraint('wave_quotas_pk', ['wave_id', 'area_code'])
    .execute()

  // Priority groups (e.g. laid-off workers): lists of NIK lookup hashes per wave.
  await db.schema
    .createTable('wave_priority_entries')
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('waves.id'))
    .addColumn('nik_hash', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wave_priority_entries_pk', ['wave_id', 'nik_hash'])
    .execute()

  await db.schema
    .createTable('wave_applications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('waves.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    // The public, pseudonymous id printed in the draw export and shown to the person.
    .addColumn('pseudonym', 'text', (c) => c.notNull())
    .addColumn('nik_hash', 'text', (c) => c.notNull())
    .addColumn('kk_hash', 'text', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('regency_code', 'text', (c) => c.notNull())
    .addColumn('other_programme', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('carried_from', 'uuid', (c) => c.references('waves.id'))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('selected', 'not_selected', 'ineligible')`))
    .addColumn('ineligible_reason', 'text')
    .addColumn('draw_area', 'text')
    .addColumn('draw_position', 'integer')
    .addColumn('decided_at', 'timestamptz')
    .addUniqueConstraint('wave_applications_once', ['wave_id', 'account_id'])
    .addUniqueConstraint('wave_applications_pseudonym', ['wave_id', 'pseudonym'])
    .execute()
  await db.schema.createIndex('wave_applications_account_idx').on('wave_applications').columns(['account_id', 'joined_at']).execute()

  await db.schema
    .createTable('wave_draws')
    .addColumn('wave_id', 'uuid', (c) => c.primaryKey().references('waves.id'))
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('applicants', 'integer', (c) => c.notNull())
    .addColumn('eligible', 'integer', (c) => c.notNull())
    .addColumn('selected', 'integer', (c) => c.notNull())
    .addColumn('export_path', 'text')
    .addColumn('export_sha256', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('cards')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('card_number', 'text', (c) => c.notNull().unique().check(sql`card_number ~ '^[0-9]{16}$'`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().unique().references('accounts.id'))
    .addColumn('nik_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kk_hash', 'text', (c) => c.notNull())
    .addColumn('wave_id', 'uuid', (c) => c.notNull().references('waves.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'revoked', 'finished')`))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_purchase_deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('balance_expires_on', 'date')
    .addColumn('first_purchase_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoke_reason', 'text')
    .execute()
  await db.schema.createIndex('cards_kk_idx').on('cards').column('kk_hash').execute()
  await sql`create index cards_deadline_idx on cards (first_purchase_deadline) where status = 'active' and first_purchase_at is null`.execute(db)

  // Revoked for life: a NIK here never passes eligibility again.
  await db.schema
    .createTable('blacklist')
    .addColumn('nik_hash', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('card_id', 'uuid', (c) => c.references('cards.id'))
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .execute()

  // "Tell me when a wave opens."
  await db.schema
    .createTable('wave_notify_requests')
    .addColumn('account_id', 'uuid', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('notified_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['wave_notify_requests', 'blacklist', 'cards', 'wave_draws', 'wave_applications', 'wave_priority_entries', 'wave_quotas', 'waves']) {
    await db.schema.dropTable(t).execute()
  }
}
