/**
 * multipart/form-data for the no-JavaScript upload form, parsed by the WHATWG FormData parser
 * built into Node (undici) rather than by hand. Fields become strings on the body (so the CSRF
 * check finds `_csrf`); each file becomes { name, type, bytes }.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../platform/errors.ts'

export interface FormFile {
  name: string
  type: string
  bytes: Buffer
}

export type MultipartBody = Record<string, string | FormFile>

/** Adds the parser to one encapsulated scope; the body limit leaves room for the form's own fields. */
export function acceptMultipart(scope: FastifyInstance, maxFileBytes: number): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: maxFileBytes + 64 * 1024 }, async (req: FastifyRequest, body: Buffer) => {
    let form: FormData
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData()
    } catch (cause) {
      throw new AppError('MALFORMED_REQUEST', { cause })
    }
    const out: MultipartBody = {}
    const entries: Array<[string, NonNullable<ReturnType<FormData["get"]>>]> = []
    form.forEach((value, name) => entries.push([name, value]))
    for (const [name, value] of entries) {
      if (typeof value === 'string') out[name] = value
      else if (value.size > 0) out[name] = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) }
    }
    return out
  })
}
