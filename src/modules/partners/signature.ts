/**
 * How a partner call proves who sent it. Two schemes:
 *
 * - **v1** (Karya's): HMAC-SHA256 over a canonical request — method, path with query, the
 *   timestamp, a nonce and the SHA-256 of the body, one per line. Headers `X-Karya-Client`,
 *   `X-Karya-Timestamp` (Unix seconds), `X-Karya-Nonce`, `X-Karya-Signature` (hex).
 * - **legacy**, the real programme's scheme, so existing providers move over unchanged:
 *   hex HMAC-SHA1 of `client_code + timestamp + method + path + raw body`, headers
 *   `client_code`, `timestamp`, `signature`. It has no nonce; the signature itself stands in
 *   for one, so an identical request cannot be replayed inside the window either.
 *
 * Both are refused outside a 5-minute window around the server's clock. Pure functions:
 * the nonce store and the keys live in partners.service.ts.
 */
import crypto from 'node:crypto'

export const REPLAY_WINDOW_SECONDS = 300

export const V1_HEADERS = {
  client: 'x-karya-client',
  timestamp: 'x-karya-timestamp',
  nonce: 'x-karya-nonce',
  signature: 'x-karya-signature',
} as const

export const LEGACY_HEADERS = { client: 'client_code', timestamp: 'timestamp', signature: 'signature' } as const

export interface SignedRequest {
  readonly method: string
  /** Path with the query string exactly as sent, e.g. `/api/v1/partner/courses?page=2`. */
  readonly path: string
  readonly rawBody: string
  /** Hex SHA-256 of the body when it was hashed while streamed (v1 signs only the hash). */
  readonly bodySha256?: string
}

export type Scheme = 'v1' | 'legacy'

export interface SignatureClaim {
  readonly scheme: Scheme
  readonly clientCode: string
  /** Unix seconds as sent. */
  readonly timestamp: string
  /** The nonce (v1) or the signature (legacy): what may be used only once. */
  readonly nonce: string
  readonly signature: string
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex')
}

export function canonicalRequest(req: SignedRequest, timestamp: string, nonce: string): string {
  return [req.method.toUpperCase(), req.path, timestamp, nonce, req.bodySha256 ?? sha256Hex(req.rawBody)].join('\n')
}

export function signV1(secret: string, req: SignedRequest, timestamp: string, nonce: string): string {
  return crypto.createHmac('sha256', secret).update(canonicalRequest(req, timestamp, nonce), 'utf8').digest('hex')
}

export function legacyText(clientCode: string, timestamp: string, req: SignedRequest): string {
  return `${clientCode}${timestamp}${req.method.toUpperCase()}${req.path}${req.rawBody}`
}

export function signLegacy(secret: string, clientCode: string, timestamp: string, req: SignedRequest): string {
  return crypto.createHmac('sha1', secret).update(legacyText(clientCode, timestamp, req), 'utf8').digest('hex')
}

/** Headers for a v1 call: what a partner's client (and our demo platform) sends. */
export function v1Headers(clientCode: string, secret: string, req: SignedRequest, now: Date, nonce: string = crypto.randomUUID()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000))
  return {
    [V1_HEADERS.client]: clientCode,
    [V1_HEADERS.timestamp]: timestamp,
    [V1_HEADERS.nonce]: nonce,
    [V1_HEADERS.signature]: signV1(secret, req, timestamp, nonce),
  }
}

export function legacyHeaders(clientCode: string, secret: string, req: SignedRequest, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000))
  return {
    [LEGACY_HEADERS.client]: clientCode,
    [LEGACY_HEADERS.timestamp]: timestamp,
    [LEGACY_HEADERS.signature]: signLegacy(secret, clientCode, timestamp, req),
  }
}

export type ClaimProblem = 'missing' | 'malformed'

type Headers = Readonly<Record<string, string | string[] | undefined>>

function one(headers: Headers, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? undefined : v
}

const NONCE = /^[A-Za-z0-9._~-]{16,128}$/
const CLIENT = /^[A-Za-z0-9._-]{1,64}$/
const HEX = (len: number) => new RegExp(`^[0-9a-f]{${len}}$`, 'i')

/** Reads the claim from the headers: v1 when its headers are there, else legacy. */
export function readClaim(headers: Headers): SignatureClaim | ClaimProblem {
  const client = one(headers, V1_HEADERS.client)
  if (client !== undefined) {
    const timestamp = one(headers, V1_HEADERS.timestamp)
    const nonce = one(headers, V1_HEADERS.nonce)
    const signature = one(headers, V1_HEADERS.signature)
    if (!timestamp || !nonce || !signature) return 'missing'
    if (!CLIENT.test(client) || !/^\d{1,12}$/.test(timestamp) || !NONCE.test(nonce) || !HEX(64).test(signature)) return 'malformed'
    return { scheme: 'v1', clientCode: client, timestamp, nonce, signature: signature.toLowerCase() }
  }
  const legacyClient = one(headers, LEGACY_HEADERS.client)
  if (legacyClient === undefined) return 'missing'
  const timestamp = one(headers, LEGACY_HEADERS.timestamp)
  const signature = one(headers, LEGACY_HEADERS.signature)
  if (!timestamp || !signature) return 'missing'
  if (!CLIENT.test(legacyClient) || !/^\d{1,12}$/.test(timestamp) || !HEX(40).test(signature)) return 'malformed'
  return { scheme: 'legacy', clientCode: legacyClient, timestamp, nonce: `legacy:${signature.toLowerCase()}`, signature: signature.toLowerCase() }
}

export function withinWindow(timestamp: string, now: Date, windowSeconds = REPLAY_WINDOW_SECONDS): boolean {
  const t = Number(timestamp)
  return Number.isSafeInteger(t) && Math.abs(now.getTime() / 1000 - t) <= windowSeconds
}

/** Constant-time comparison of the claimed signature with the one computed from the secret. */
export function signatureMatches(claim: SignatureClaim, secret: string, req: SignedRequest): boolean {
  const expected =
    claim.scheme === 'v1' ? signV1(secret, req, claim.timestamp, claim.nonce) : signLegacy(secret, claim.clientCode, claim.timestamp, req)
  const a = Buffer.from(expected, 'hex')
  const b = Buffer.from(claim.signature, 'hex')
  return a.length === b.length && crypto.timingSafeEqual(a, b)
}
