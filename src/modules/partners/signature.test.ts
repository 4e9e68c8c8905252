import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import crypto from 'node:crypto'
import {
  legacyHeaders,
  legacyText,
  readClaim,
  signLegacy,
  signatureMatches,
  signV1,
  v1Headers,
  withinWindow,
  type SignedRequest,
} from './signature.ts'

const redeem: SignedRequest = {
  method: 'POST',
  path: '/api/v1/integration/payment/redeem-code/commit',
  rawBody: '{"redeem_code":"code"}',
}

describe('legacy scheme (the real programme’s)', () => {
  it('matches the public test vector', () => {
    expect(legacyText('myclient_code', '1516239022', redeem)).toBe(
      'myclient_code1516239022POST/api/v1/integration/payment/redeem-code/commit{"redeem_code":"code"}',
    )
    expect(signLegacy('my_sign_key', 'myclient_code', '1516239022', redeem)).toBe('943c20a8e36b6243f576404b00fffdc86411ce1f')
  })

  it('accepts the vector through the headers and refuses it with another key or body', () => {
    const claim = readClaim({ client_code: 'myclient_code', timestamp: '1516239022', signature: '943c20a8e36b6243f576404b00fffdc86411ce1f' })
    if (typeof claim === 'string') throw new Error(claim)
    expect(claim.scheme).toBe('legacy')
    expect(signatureMatches(claim, 'my_sign_key', redeem)).toBe(true)
    expect(signatureMatches(claim, 'other_key', redeem)).toBe(false)
    expect(signatureMatches(claim, 'my_sign_key', { ...redeem, rawBody: '{"redeem_code":"c0de"}' })).toBe(false)
  })

  it('uses the signature as the one-time value', () => {
    const h = legacyHeaders('c1', 'k', redeem, new Date(1_700_000_000_000))
    const claim = readClaim(h)
    if (typeof claim === 'string') throw new Error(claim)
    expect(claim.nonce).toBe(`legacy:${h.signature}`)
  })
})

describe('v1 scheme', () => {
  const now = new Date('2026-12-01T07:00:00Z')

  it('round-trips and binds every part of the request', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.webPath(),
        fc.string(),
        fc.string({ minLength: 1 }),
        (method, path, body, secret) => {
          const req = { method, path: path || '/', rawBody: body }
          const claim = readClaim(v1Headers('platform-a', secret, req, now))
          if (typeof claim === 'string') return false
          return (
            signatureMatches(claim, secret, req) &&
            !signatureMatches(claim, secret + 'x', req) &&
            !signatureMatches(claim, secret, { ...req, rawBody: body + ' ' }) &&
            !signatureMatches(claim, secret, { ...req, path: req.path + '/x' }) &&
            !signatureMatches(claim, secret, { ...req, method: method === 'GET' ? 'POST' : 'GET' })
          )
        },
      ),
    )
  })

  it('binds the timestamp and the nonce', () => {
    const h = v1Headers('platform-a', 's3cret', redeem, now, 'nonce-0123456789abcdef')
    const moved = readClaim({ ...h, 'x-karya-timestamp': String(Number(h['x-karya-timestamp']) + 1) })
    const renonced = readClaim({ ...h, 'x-karya-nonce': 'nonce-0123456789abcdeX' })
    if (typeof moved === 'string' || typeof renonced === 'string') throw new Error('claim')
    expect(signatureMatches(moved, 's3cret', redeem)).toBe(false)
    expect(signatureMatches(renonced, 's3cret', redeem)).toBe(false)
  })

  it('is HMAC-SHA256 of the documented canonical text', () => {
    const body = sha('{"a":1}')
    const text = `POST\n/api/v1/partner/x?y=1\n1764572400\nnonce-0123456789abcdef\n${body}`
    expect(signV1('k', { method: 'post', path: '/api/v1/partner/x?y=1', rawBody: '{"a":1}' }, '1764572400', 'nonce-0123456789abcdef')).toBe(
      crypto.createHmac('sha256', 'k').update(text).digest('hex'),
    )
  })
})

describe('reading the headers', () => {
  it('says missing or malformed', () => {
    expect(readClaim({})).toBe('missing')
    expect(readClaim({ 'x-karya-client': 'a', 'x-karya-timestamp': '1' })).toBe('missing')
    expect(readClaim({ 'x-karya-client': 'a', 'x-karya-timestamp': 'yesterday', 'x-karya-nonce': 'n'.repeat(16), 'x-karya-signature': 'a'.repeat(64) })).toBe('malformed')
    expect(readClaim({ 'x-karya-client': 'a', 'x-karya-timestamp': '1', 'x-karya-nonce': 'short', 'x-karya-signature': 'a'.repeat(64) })).toBe('malformed')
    expect(readClaim({ client_code: 'a', timestamp: '1', signature: 'zz' })).toBe('malformed')
  })
})

describe('the replay window', () => {
  const now = new Date('2026-12-01T07:00:00Z')
  const t = Math.floor(now.getTime() / 1000)
  it('is five minutes either side', () => {
    expect(withinWindow(String(t - 300), now)).toBe(true)
    expect(withinWindow(String(t + 300), now)).toBe(true)
    expect(withinWindow(String(t - 301), now)).toBe(false)
    expect(withinWindow(String(t + 301), now)).toBe(false)
  })
})

function sha(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex')
}
