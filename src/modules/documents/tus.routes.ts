/**
 * The resumable upload endpoint (tus 1.0 via @tus/server, files in a FileStore under the
 * uploads directory). Fastify authenticates and checks CSRF first; the owner of every upload
 * is a row in `document_uploads`, and only the owner may resume (HEAD) or continue (PATCH) it.
 */
import path from 'node:path'
import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'
import { Type } from '@sinclair/typebox'
import { AppError } from '../../platform/errors.ts'
import { findUpload, insertUpload } from './documents.repository.ts'
import { judgeStoredFile, TUS_FOLDER, type DocumentsDeps } from './documents.service.ts'
import { DOCUMENT_KINDS, type DocumentKind } from './documents.tables.ts'
import { SharedUploadLocker } from './upload-locker.ts'
import type { SharedLocks } from '../../platform/db/shared-locks.ts'

export const UPLOADS_PATH = '/api/v1/uploads'
/** Set by us from the session, never taken from the caller (any incoming copy is dropped). */
const OWNER_HEADER = 'x-karya-owner'
const access = { access: ['participant'] as const }
const IdParam = Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{32}$' }) })

function isKind(v: unknown): v is DocumentKind {
  return (DOCUMENT_KINDS as readonly unknown[]).includes(v)
}

export function createTusServer(deps: DocumentsDeps, locker: SharedUploadLocker): Server {
  return new Server({
    path: UPLOADS_PATH,
    datastore: new FileStore({ directory: path.join(deps.uploadsDir, TUS_FOLDER) }),
    maxSize: deps.maxBytes,
    relativeLocation: true,
    // Shared by every process on the database (an advisory lock per upload on PostgreSQL):
    // two PATCHes for one upload never write at once, whichever processes they reach.
    locker,
    async onUploadCreate(req, upload) {
      const owner = req.headers.get(OWNER_HEADER)
      const kind = upload.metadata?.kind
      if (!owner) throw { status_code: 401, body: 'Unauthenticated\n' }
      if (!isKind(kind)) throw { status_code: 400, body: 'Upload-Metadata must name kind ktp or selfie\n' }
      await insertUpload(deps.db, { id: upload.id, accountId: owner, kind, at: deps.clock.now() })
      return { metadata: { ...upload.metadata, owner } }
    },
    async onUploadFinish(_req, upload) {
      const row = await findUpload(deps.db, upload.id)
      if (!row) throw { status_code: 404, body: 'Unknown upload\n' }
      const judged = await judgeStoredFile(deps, { accountId: row.account_id, kind: row.kind, uploadId: row.id, storageKey: `${TUS_FOLDER}/${row.id}` })
      return { headers: { 'karya-document-id': judged.id, 'karya-document-outcome': judged.reason ?? 'accepted' } }
    },
  })
}

export function registerTusRoutes(app: FastifyInstance, deps: DocumentsDeps, locks: SharedLocks): void {
  const locker = new SharedUploadLocker(locks)
  const tus = createTusServer(deps, locker)
  app.addHook('onClose', async () => locker.close())
  app.register(async (scope) => {
    // The body is the upload itself: left unread here and streamed by tus into the store.
    scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null))

    async function forward(req: FastifyRequest, reply: FastifyReply) {
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined || k === OWNER_HEADER || k === 'host') continue
        headers.set(k, Array.isArray(v) ? v.join(', ') : String(v))
      }
      headers.set(OWNER_HEADER, req.account!.id)
      const streamed = req.headers['content-type'] === 'application/offset+octet-stream'
      const webReq = new Request(`http://karya.invalid${req.url}`, {
        method: req.method,
        headers,
        ...(streamed ? { body: Readable.toWeb(req.raw) as ReadableStream, duplex: 'half' } : {}),
      } as RequestInit)
      const res = await tus.handleWeb(webReq)
      res.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'access-control-allow-origin') reply.header(key, value)
      })
      reply.header('cache-control', 'no-store')
      return reply.code(res.status).send(res.status === 204 ? undefined : await res.text())
    }

    async function owned(req: FastifyRequest<{ Params: { id: string } }>) {
      const row = await findUpload(deps.db, req.params.id)
      // Someone else's upload looks exactly like one that does not exist.
      if (!row || row.account_id !== req.account!.id) throw new AppError('NOT_FOUND')
    }

    const idRoute = { config: access, schema: { hide: true, params: IdParam } }
    scope.post(`${UPLOADS_PATH}/`, { config: access, schema: { hide: true } }, forward)
    scope.head(`${UPLOADS_PATH}/:id`, idRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      await owned(req)
      return forward(req, reply)
    })
    scope.patch(`${UPLOADS_PATH}/:id`, idRoute, async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      await owned(req)
      return forward(req, reply)
    })
  })
}
