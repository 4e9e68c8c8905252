/**
 * The place in line and the admission, carried by the person as one signed cookie value.
 * The server never trusts a number it did not sign: the HMAC covers kind, number and time.
 *   ticket:    t.<seq>.<issuedAtMs>.<mac>    a place in line (seq from the shared sequence)
 *   admission: a.<seq>.<untilMs>.<mac>       let through until untilMs
 */
import crypto from 'node:crypto'

export type Pass =
  | { readonly kind: 'ticket'; readonly seq: number; readonly issuedAt: number }
  | { readonly kind: 'admission'; readonly seq: number; readonly until: number }

const MAC_CHARS = 22 // 128 bits of base64url: enough against forgery, short for a slow phone's cookie

export function passKey(secret: string): Buffer {
  return crypto.createHash('sha256').update(`karya-waiting-room:${secret}`).digest()
}

function mac(key: Buffer, payload: string): string {
  return crypto.createHmac('sha256', key).update(payload).digest('base64url').slice(0, MAC_CHARS)
}

export function signPass(key: Buffer, pass: Pass): string {
  const payload = pass.kind === 'ticket' ? `t.${pass.seq}.${pass.issuedAt}` : `a.${pass.seq}.${pass.until}`
  return `${payload}.${mac(key, payload)}`
}

const SHAPE = /^([ta])\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{22})$/

/** The pass if the value is well-formed and signed by us; null otherwise (never throws). */
export function verifyPass(key: Buffer, value: string | undefined): Pass | null {
  if (!value || value.length > 80) return null
  const m = SHAPE.exec(value)
  if (!m) return null
  const payload = `${m[1]}.${m[2]}.${m[3]}`
  const expected = Buffer.from(mac(key, payload))
  const given = Buffer.from(m[4]!)
  if (!crypto.timingSafeEqual(expected, given)) return null
  const seq = Number(m[2])
  const t = Number(m[3])
  return m[1] === 't' ? { kind: 'ticket', seq, issuedAt: t } : { kind: 'admission', seq, until: t }
}
