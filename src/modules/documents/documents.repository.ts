import type { Executor } from '../../platform/db/database.ts'
import type { DocumentKind, Rejection } from './documents.tables.ts'

export async function insertUpload(db: Executor, u: { id: string; accountId: string; kind: DocumentKind; at: Date }): Promise<void> {
  await db.insertInto('document_uploads').values({ id: u.id, account_id: u.accountId, kind: u.kind, created_at: u.at }).execute()
}

export async function findUpload(db: Executor, id: string) {
  return db.selectFrom('document_uploads').select(['id', 'account_id', 'kind', 'created_at']).where('id', '=', id).executeTakeFirst()
}

export interface NewDocument {
  accountId: string
  kind: DocumentKind
  uploadId: string | null
  storageKey: string
  sizeBytes: number
  sha256: string
  format: string | null
  width: number | null
  height: number | null
  checks: Record<string, unknown>
  reason: Rejection | null
  at: Date
}

export async function insertDocument(db: Executor, d: NewDocument): Promise<string> {
  const row = await db
    .insertInto('documents')
    .values({
      account_id: d.accountId,
      kind: d.kind,
      upload_id: d.uploadId,
      storage_key: d.storageKey,
      size_bytes: d.sizeBytes,
      sha256: d.sha256,
      format: d.format,
      width: d.width,
      height: d.height,
      checks: JSON.stringify(d.checks),
      outcome: d.reason ? 'rejected' : 'accepted',
      reason: d.reason,
      created_at: d.at,
    })
    .onConflict((oc) => oc.column('upload_id').where('upload_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (row) return row.id
  // Already judged by whoever got there first: that judgement stands.
  const first = await db.selectFrom('documents').select('id').where('upload_id', '=', d.uploadId).executeTakeFirstOrThrow()
  return first.id
}

/** Every attempt of one person, newest first. */
export async function listDocuments(db: Executor, accountId: string) {
  return db
    .selectFrom('documents')
    .select(['id', 'kind', 'upload_id', 'size_bytes', 'format', 'width', 'height', 'outcome', 'reason', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

/** Uploads started by the person that have no judged attempt yet: still arriving or being checked. */
export async function listOpenUploads(db: Executor, accountId: string) {
  return db
    .selectFrom('document_uploads as u')
    .select(['u.id', 'u.kind', 'u.created_at'])
    .where('u.account_id', '=', accountId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('documents as d').select('d.id').whereRef('d.upload_id', '=', 'u.id'))))
    .orderBy('u.created_at', 'desc')
    .execute()
}

export async function findDocumentOfOwner(db: Executor, id: string, accountId: string) {
  return db
    .selectFrom('documents')
    .select(['id', 'storage_key', 'format'])
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
}
