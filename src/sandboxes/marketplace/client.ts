/**
 * A partner's client for the Karya partner API: signs every call (scheme v1) and sends it
 * through a transport. The demo platform and provider use it in-process through
 * `app.inject`, so they go through exactly what an outside partner's call goes through
 * (routing, signature, nonce, validation), minus the socket.
 */
import crypto from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Clock } from '../../platform/clock.ts'
import { v1Headers } from '../../modules/partners/signature.ts'

export interface ApiAnswer<T = unknown> {
  readonly status: number
  readonly body: T
}

export interface ApiError {
  readonly error: { code: string; message: string; messages: { id: string; en: string }; fields?: Array<{ field: string; id: string; en: string }> }
}

export interface PartnerClient {
  call<T = unknown>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<ApiAnswer<T | ApiError>>
}

export function isApiError(b: unknown): b is ApiError {
  return typeof b === 'object' && b !== null && 'error' in b
}

export function injectClient(app: FastifyInstance, creds: { clientCode: string; secret: string }, clock: Clock): PartnerClient {
  return {
    async call(method, path, body) {
      const rawBody = body === undefined ? '' : JSON.stringify(body)
      const headers = v1Headers(creds.clientCode, creds.secret, { method, path, rawBody }, clock.now(), crypto.randomUUID())
      const res = await app.inject({
        method,
        url: path,
        headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: rawBody }),
      })
      return { status: res.statusCode, body: res.json() }
    },
  }
}

/** The demo partners' secrets: derived from the server secret, so no secret is written in the code. */
export function demoPartnerSecret(serverSecret: string, partnerCode: string): string {
  return crypto.createHmac('sha256', serverSecret).update(`demo-partner:${partnerCode}`).digest('base64url')
}

export const DEMO_PLATFORM = { code: 'demo-platform', clientCode: 'demo-platform-sandbox', name: 'Belajar Nusantara' }
export const DEMO_PROVIDER = { code: 'demo-provider', clientCode: 'demo-provider-sandbox', name: 'LP Tani Maju' }
