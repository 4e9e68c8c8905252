/** Judging an uploaded KTP photo or selfie, keeping every attempt, and finding one for its owner. */
import crypto from 'node:crypto'
import { FileStore } from '@tus/file-store'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Db } from '../../platform/db/database.ts'
import type { Clock } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { checkImage } from './image-checks.ts'
import { findDocumentOfOwner, insertDocument, listDocuments, listOpenUploads } from './documents.repository.ts'
import { DOCUMENT_KINDS, type DocumentKind, type Rejection } from './documents.tables.ts'

export interface DocumentsDeps {
  db: Db
  clock: Clock
  uploadsDir: string
  maxBytes: number
}

/** Subfolders of the uploads directory: tus uploads and plain-form uploads. */
export const TUS_FOLDER = 'tus'
export const FORM_FOLDER = 'form'

export interface Judged {
  id: string
  reason: Rejection | null
}

/** Checks the stored bytes and appends the attempt with its outcome. */
export async function judgeStoredFile(
  deps: DocumentsDeps,
  a: { accountId: string; kind: DocumentKind; uploadId: string | null; storageKey: string },
): Promise<Judged> {
  const bytes = await fs.readFile(resolveKey(deps, a.storageKey))
  const verdict = await checkImage(bytes, a.kind, deps.maxBytes)
  const id = await insertDocument(deps.db, {
    ...a,
    sizeBytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    format: verdict.checks.format,
    width: verdict.checks.width,
    height: verdict.checks.height,
    checks: { ...verdict.checks },
    reason: verdict.rejection,
    at: deps.clock.now(),
  })
  return { id, reason: verdict.rejection }
}

/** The no-JavaScript path: the whole file arrived in one form post. */
export async function storeFormUpload(deps: DocumentsDeps, accountId: string, kind: DocumentKind, bytes: Buffer): Promise<Judged> {
  const storageKey = `${FORM_FOLDER}/${crypto.randomUUID()}`
  await fs.mkdir(path.join(deps.uploadsDir, FORM_FOLDER), { recursive: true, mode: 0o700 })
  await fs.writeFile(resolveKey(deps, storageKey), bytes, { mode: 0o600 })
  return judgeStoredFile(deps, { accountId, kind, uploadId: null, storageKey })
}

export type DocumentStatus =
  | { state: 'missing' }
  | { state: 'checking' }
  | { state: 'accepted'; id: string; at: Date }
  | { state: 'rejected'; id: string; at: Date; reason: Rejection }

/**
 * An upload whose bytes all arrived but whose check never ran (the process stopped, the
 * database blinked) is checked when its owner next looks, so it cannot stay "being checked".
 */
async function judgeLeftovers(deps: DocumentsDeps, accountId: string): Promise<void> {
  const open = await listOpenUploads(deps.db, accountId)
  if (open.length === 0) return
  const store = new FileStore({ directory: path.join(deps.uploadsDir, TUS_FOLDER) })
  for (const u of open) {
    // Still arriving, or its file is gone: nothing to judge yet.
    const upload = await store.getUpload(u.id).catch(() => null)
    if (!upload || upload.size === undefined || upload.offset !== upload.size) continue
    await judgeStoredFile(deps, { accountId, kind: u.kind, uploadId: u.id, storageKey: `${TUS_FOLDER}/${u.id}` })
  }
}

export async function documentsView(deps: DocumentsDeps, accountId: string) {
  await judgeLeftovers(deps, accountId)
  const [attempts, open] = await Promise.all([listDocuments(deps.db, accountId), listOpenUploads(deps.db, accountId)])
  const status = {} as Record<DocumentKind, DocumentStatus>
  for (const kind of DOCUMENT_KINDS) {
    const latest = attempts.find((d) => d.kind === kind)
    const pending = open.find((u) => u.kind === kind && (!latest || u.created_at > latest.created_at))
    if (pending) status[kind] = { state: 'checking' }
    else if (!latest) status[kind] = { state: 'missing' }
    else if (latest.outcome === 'accepted') status[kind] = { state: 'accepted', id: latest.id, at: latest.created_at }
    else status[kind] = { state: 'rejected', id: latest.id, at: latest.created_at, reason: latest.reason ?? 'not_image' }
  }
  return { status, attempts }
}

const CONTENT_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** The picture of an attempt, for its owner only; anyone else is told it does not exist. */
export async function ownDocumentImage(deps: DocumentsDeps, accountId: string, id: string): Promise<{ bytes: Buffer; contentType: string }> {
  const doc = await findDocumentOfOwner(deps.db, id, accountId)
  const contentType = doc?.format ? CONTENT_TYPES[doc.format] : undefined
  if (!doc || !contentType) throw new AppError('NOT_FOUND')
  return { bytes: await fs.readFile(resolveKey(deps, doc.storage_key)), contentType }
}

function resolveKey(deps: DocumentsDeps, key: string): string {
  const full = path.resolve(deps.uploadsDir, key)
  if (!full.startsWith(path.resolve(deps.uploadsDir) + path.sep)) throw new AppError('NOT_FOUND')
  return full
}
