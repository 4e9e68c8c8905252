/**
 * Card numbers (pure): 16 digits ending in a Luhn check digit, so a mistyped digit or a
 * swapped neighbouring pair is caught before anything is looked up. The prefix follows
 * ISO/IEC 7812: 9 (national use) and 360, Indonesia's country code.
 */
import crypto from 'node:crypto'

export const CARD_PREFIX = '9360'
const LENGTH = 16

/** The Luhn check digit for the digits before it. */
export function luhnCheckDigit(body: string): number {
  let sum = 0
  // Doubling starts from the rightmost digit of the body (it sits left of the check digit).
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/** True for 16 digits (spaces and dashes allowed between groups) whose last digit checks. */
export function isValidCardNumber(input: string): boolean {
  const digits = input.replace(/[\s-]/g, '')
  if (!/^\d+$/.test(digits) || digits.length !== LENGTH) return false
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1))
}

/** A new random card number; uniqueness is the database's (a unique index). */
export function newCardNumber(random: (n: number) => Buffer = crypto.randomBytes): string {
  const bodyLength = LENGTH - CARD_PREFIX.length - 1
  let body = CARD_PREFIX
  // Rejection sampling: bytes 250–255 would favour the low digits.
  while (body.length < CARD_PREFIX.length + bodyLength) {
    for (const b of random(bodyLength)) {
      if (b < 250 && body.length < CARD_PREFIX.length + bodyLength) body += String(b % 10)
    }
  }
  return body + String(luhnCheckDigit(body))
}

/** "9360 1234 5678 9012", for people to read. */
export function formatCardNumber(n: string): string {
  return n.replace(/(\d{4})(?=\d)/g, '$1 ')
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The public, pseudonymous id of an application: 'K' + 12 random Crockford base32 characters. */
export function newPseudonym(random: (n: number) => Buffer = crypto.randomBytes): string {
  let out = 'K'
  for (const b of random(12)) out += CROCKFORD[b & 31]
  return out
}
