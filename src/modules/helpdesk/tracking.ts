/**
 * Ticket tracking numbers: `KRY-YYMM-XXXXXX`, the month the ticket was raised (WIB), five
 * random Crockford base-32 characters and a Luhn mod 32 check character, so a mistyped
 * character or two swapped neighbours are caught before any lookup. Pure: no database here.
 */
import crypto from 'node:crypto'

/** Crockford base 32: no I, L, O or U, which people misread as 1, 1, 0 and V. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const N = ALPHABET.length

function value(ch: string): number {
  const v = ALPHABET.indexOf(ch)
  if (v < 0) throw new Error(`not a tracking character: ${ch}`)
  return v
}

/** Luhn mod N over the payload (month and random part), doubling from the right. */
export function checkCharacter(payload: string): string {
  let factor = 2
  let sum = 0
  for (let i = payload.length - 1; i >= 0; i--) {
    let addend = factor * value(payload[i]!)
    factor = factor === 2 ? 1 : 2
    addend = Math.floor(addend / N) + (addend % N)
    sum += addend
  }
  return ALPHABET[(N - (sum % N)) % N]!
}

function yymm(at: Date): string {
  // The month in WIB (UTC+7), the programme's reference time zone.
  const wib = new Date(at.getTime() + 7 * 3_600_000)
  return `${String(wib.getUTCFullYear() % 100).padStart(2, '0')}${String(wib.getUTCMonth() + 1).padStart(2, '0')}`
}

export function newTrackingNumber(at: Date, random: (n: number) => number = crypto.randomInt): string {
  const month = yymm(at)
  let body = ''
  for (let i = 0; i < 5; i++) body += ALPHABET[random(N)]
  return `KRY-${month}-${body}${checkCharacter(month + body)}`
}

/**
 * What the person typed, made canonical: case, spaces and dashes are forgiven and the
 * letters people confuse with digits are read as the digits. Null when it cannot be one
 * of ours (wrong shape or a wrong check character).
 */
export function parseTrackingNumber(typed: string): string | null {
  const compact = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  const m = /^KRY(\d{4})([0-9A-Z]{6})$/.exec(compact)
  if (!m) return null
  const month = m[1]!
  const rest = m[2]!
  if ([...rest].some((c) => !ALPHABET.includes(c))) return null
  if (checkCharacter(month + rest.slice(0, 5)) !== rest[5]) return null
  return `KRY-${month}-${rest}`
}

/** A tracking number anywhere in a text (an e-mail subject), checked. */
export function findTrackingNumber(text: string): string | null {
  for (const m of text.matchAll(/KRY[\s-]?\d{4}[\s-]?[0-9A-Za-z]{6}/gi)) {
    const parsed = parseTrackingNumber(m[0])
    if (parsed) return parsed
  }
  return null
}
