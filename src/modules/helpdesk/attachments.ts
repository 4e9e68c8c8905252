/**
 * Attachments to a complaint: a photo of a screen or a PDF letter. The type is read from the
 * bytes (magic numbers), never from the file name or the browser's claim. Pure apart from
 * the storing, which writes under the uploads directory, never served statically.
 */
import crypto from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
export const MAX_ATTACHMENTS = 3

export type AttachmentType = 'image/jpeg' | 'image/png' | 'application/pdf'

export function sniffAttachment(bytes: Uint8Array): AttachmentType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png'
  if (bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') return 'application/pdf'
  return null
}

export interface IncomingFile {
  readonly name: string
  readonly bytes: Buffer
}

export type AttachmentProblem = { kind: 'type'; name: string } | { kind: 'size'; name: string } | { kind: 'count' }

export function checkAttachments(files: readonly IncomingFile[]): AttachmentProblem | null {
  if (files.length > MAX_ATTACHMENTS) return { kind: 'count' }
  for (const f of files) {
    if (f.bytes.length > MAX_ATTACHMENT_BYTES) return { kind: 'size', name: f.name }
    if (!sniffAttachment(f.bytes)) return { kind: 'type', name: f.name }
  }
  return null
}

/** A file name safe to show and to offer back: no path, no control characters, short. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const clean = base.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100).trim()
  return clean || 'lampiran'
}

export async function storeAttachment(uploadsDir: string, bytes: Buffer): Promise<string> {
  const key = path.join('helpdesk', `${crypto.randomUUID()}.bin`)
  await fs.mkdir(path.join(uploadsDir, 'helpdesk'), { recursive: true })
  await fs.writeFile(path.join(uploadsDir, key), bytes)
  return key
}

export function readAttachment(uploadsDir: string, key: string): Promise<Buffer> {
  return fs.readFile(path.join(uploadsDir, key))
}
