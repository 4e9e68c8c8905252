import type { ColumnType, Generated } from 'kysely'

export const DOCUMENT_KINDS = ['ktp', 'selfie'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

export const REJECTIONS = ['not_image', 'too_large', 'too_small', 'too_dark', 'too_bright', 'blurry'] as const
export type Rejection = (typeof REJECTIONS)[number]

/** One tus upload and who started it: the only way the upload endpoint decides ownership. */
export interface DocumentUploadsTable {
  id: string
  account_id: string
  kind: DocumentKind
  created_at: Date
}

/** Append-only: every attempt and how it was judged. The newest row per kind is the status. */
export interface DocumentsTable {
  id: Generated<string>
  account_id: string
  kind: DocumentKind
  upload_id: string | null
  storage_key: string
  size_bytes: number
  sha256: string
  format: string | null
  width: number | null
  height: number | null
  checks: ColumnType<Record<string, unknown>, string, string>
  outcome: 'accepted' | 'rejected'
  reason: Rejection | null
  created_at: Date
}

export interface DocumentsTables {
  document_uploads: DocumentUploadsTable
  documents: DocumentsTable
}
