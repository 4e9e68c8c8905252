import { sql, type Kysely } from 'kysely'

// Getting back in after losing a phone, or both the inbox and the phone: a 'phone_change'
// code purpose, and re-verification requests that a helpdesk agent decides on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table verification_codes drop constraint verification_codes_purpose_check`.execute(db)
  await sql`alter table verification_codes add constraint verification_codes_purpose_check
    check (purpose in ('email_verify','phone_verify','login','password_reset','email_change','phone_change'))`.execute(db)

  await db.schema
    .createTable('reverification_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The anonymous person's handle on the code step: only its hash is kept.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unproven').check(sql`status in ('unproven','queued','unmatched','approved','rejected')`))
    .addColumn('account_id', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('nik_matched', 'boolean', (c) => c.notNull())
    .addColumn('kk_matched', 'boolean', (c) => c.notNull())
    .addColumn('dob_matched', 'boolean', (c) => c.notNull())
    .addColumn('new_email', 'text')
    .addColumn('new_phone', 'text')
    .addColumn('email_code_hash', 'text')
    .addColumn('phone_code_hash', 'text')
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('selfie_key', 'text', (c) => c.notNull())
    .addColumn('selfie_format', 'text', (c) => c.notNull())
    .addColumn('selfie_checks', 'jsonb', (c) => c.notNull())
    .addColumn('face_score', 'real')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('proven_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'uuid', (c) => c.references('accounts.id'))
    .addColumn('decision_reason', 'text')
    .addCheckConstraint('reverification_contact_given', sql`new_email is not null or new_phone is not null`)
    .addCheckConstraint('reverification_one_decision', sql`(status in ('approved','rejected')) = (decided_at is not null)`)
    .execute()
  await db.schema.createIndex('reverification_queue_idx').on('reverification_requests').columns(['status', 'proven_at']).execute()

  // Codes sent to a contact not yet on any account: counted per address to cap the sends.
  await db.schema
    .createTable('reverification_code_sends')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('sent_to', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('reverification_code_sends_idx').on('reverification_code_sends').columns(['sent_to', 'sent_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reverification_code_sends').execute()
  await db.schema.dropTable('reverification_requests').execute()
  await sql`delete from verification_codes where purpose = 'phone_change'`.execute(db)
  await sql`alter table verification_codes drop constraint verification_codes_purpose_check`.execute(db)
  await sql`alter table verification_codes add constraint verification_codes_purpose_check
    check (purpose in ('email_verify','phone_verify','login','password_reset','email_change'))`.execute(db)
}
