import { sql, type Kysely } from 'kysely'

// KTP photo and selfie: who started which resumable upload, and every attempt with the
// checks that judged it (append-only; the newest attempt per kind is the status).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ktp','selfie')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('document_uploads_account_idx').on('document_uploads').columns(['account_id', 'created_at']).execute()
  await db.schema
    .createTable('documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ktp','selfie')`))
    .addColumn('upload_id', 'text', (c) => c.references('document_uploads.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('checks', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('accepted','rejected')`))
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('documents_reason_check', sql`(outcome = 'accepted') = (reason is null)`)
    .execute()
  await db.schema.createIndex('documents_account_idx').on('documents').columns(['account_id', 'kind', 'created_at']).execute()
  // One judgement per tus upload, however often the check is reached (upload end, page view).
  await sql`create unique index documents_upload_once on documents (upload_id) where upload_id is not null`.execute(db)
  await sql`create function documents_append_only() returns trigger language plpgsql as $$
    begin raise exception 'documents is append-only'; end $$`.execute(db)
  await sql`create trigger documents_append_only before update or delete on documents
    for each row execute function documents_append_only()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('documents').execute()
  await sql`drop function documents_append_only()`.execute(db)
  await db.schema.dropTable('document_uploads').execute()
}
