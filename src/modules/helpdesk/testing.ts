/** Helpers for the helpdesk's tests: multipart forms as a browser sends them, people, a tiny PNG. */
import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.ts'
import type { Browser } from '../../../test/app.ts'

/** The smallest valid PNG (1×1), enough for the magic-byte check. */
export const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex')

export async function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file) form.append('attachment', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const res = new Response(form)
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! }
}

export async function postForm(b: Browser, url: string, formUrl: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const token = await b.csrfFrom(formUrl)
  const { payload, contentType } = await multipart({ _csrf: token, ...fields }, file)
  return b.request({ method: 'POST', url, headers: { accept: 'text/html', 'content-type': contentType }, payload })
}

export async function insertParticipant(db: Db, at: Date, name = 'Peserta Lain') {
  const id = crypto.randomUUID()
  const email = `${id.slice(0, 8)}@uji.test`
  await db
    .insertInto('accounts')
    .values({ id, email, phone: null, display_name: name, password_hash: null, role: 'participant', region_code: null, partner_code: null, status: 'active', created_at: at, email_verified_at: at, phone_verified_at: null, locked_until: null })
    .execute()
  return { id, email }
}
