/**
 * The one place errors become HTTP answers: a closed set of codes, a JSON body for APIs
 * and an error page for browsers, the request id on both, never a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERROR_CODES, errorMessage, isUniqueViolation, type ErrorCode, type FieldError } from '../errors.ts'
import { ErrorPage } from '../../web/error-page.tsx'
import { safeCsrf } from '../../web/page-context.ts'

/** Browsers get pages; API clients, probes and anything not asking for HTML get JSON. */
export function wantsHtml(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? ''
  if (path.startsWith('/api/') || path === '/health' || path === '/ready' || path === '/metrics') return false
  return (req.headers.accept ?? '').includes('text/html')
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_CSRF_MISSING_SECRET: 'CSRF_INVALID',
  FST_CSRF_INVALID_TOKEN: 'CSRF_INVALID',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
}

interface Classified {
  code: ErrorCode
  fields: FieldError[]
  headers: Record<string, string>
  unexpected: boolean
}

function validationFields(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const field =
      (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
      String((v.params as { missingProperty?: string })?.missingProperty ?? err.validationContext ?? 'body')
    return {
      field,
      id: `tidak valid (${v.message ?? 'periksa isian'})`,
      en: `is not valid (${v.message ?? 'check the value'})`,
    }
  })
}

export function classify(err: unknown): Classified {
  if (err instanceof AppError) {
    return { code: err.code, fields: [...err.fields], headers: { ...err.headers }, unexpected: false }
  }
  const fe = err as FastifyError
  if (fe?.validation) return { code: 'VALIDATION_FAILED', fields: validationFields(fe), headers: {}, unexpected: false }
  if (fe?.code && FASTIFY_CODES[fe.code]) return { code: FASTIFY_CODES[fe.code]!, fields: [], headers: {}, unexpected: false }
  if (isUniqueViolation(err)) return { code: 'CONFLICT', fields: [], headers: {}, unexpected: false }
  if (fe instanceof SyntaxError || fe?.statusCode === 400) return { code: 'MALFORMED_REQUEST', fields: [], headers: {}, unexpected: false }
  if (fe?.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE', fields: [], headers: {}, unexpected: false }
  if (fe?.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', fields: [], headers: {}, unexpected: false }
  if (fe?.statusCode === 429) return { code: 'RATE_LIMITED', fields: [], headers: {}, unexpected: false }
  return { code: 'INTERNAL', fields: [], headers: {}, unexpected: true }
}

export async function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  c: Omit<Classified, 'unexpected'>,
  devMailbox: boolean,
): Promise<FastifyReply> {
  const status = ERROR_CODES[c.code].status
  const locale = req.locale ?? 'id'
  reply.code(status)
  for (const [k, v] of Object.entries(c.headers)) reply.header(k, v)
  if (wantsHtml(req)) {
    const html = await ErrorPage({
      ctx: {
        locale,
        account: req.account ?? null,
        csrfToken: req.account ? safeCsrf(reply) : '',
        path: req.url,
        requestId: String(req.id),
        devMailbox,
      },
      code: c.code,
      status,
      message: errorMessage(c.code, locale),
      fields: c.fields,
    })
    return reply.type('text/html; charset=utf-8').send(html)
  }
  return reply.type('application/json; charset=utf-8').send({
    error: {
      code: c.code,
      message: errorMessage(c.code, locale),
      messages: { id: errorMessage(c.code, 'id'), en: errorMessage(c.code, 'en') },
      fields: c.fields,
      requestId: String(req.id),
    },
  })
}

export function registerErrorHandling(app: FastifyInstance, opts: { devMailbox: boolean }): void {
  app.setErrorHandler(async (err, req, reply) => {
    const c = classify(err)
    if (c.unexpected) req.log.error({ err }, 'unexpected error')
    else req.log.info({ code: c.code, msg: (err as Error).message }, 'request refused')
    return sendError(req, reply, c, opts.devMailbox)
  })
  app.setNotFoundHandler(async (req, reply) =>
    sendError(req, reply, { code: 'NOT_FOUND', fields: [], headers: {} }, opts.devMailbox),
  )
}
