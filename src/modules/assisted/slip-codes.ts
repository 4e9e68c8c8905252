/**
 * The account reference and the in-person activation code printed on the slip: letters and
 * digits that cannot be mistaken for one another when read aloud or copied by hand.
 */
import crypto from 'node:crypto'

/** No 0/O, 1/I/L: what a person copies from paper must mean one thing. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const ACTIVATION_TTL_MS = 30 * 24 * 3_600_000
export const MAX_TRIES_PER_ACTIVATION_CODE = 5

function randomChars(n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += ALPHABET[crypto.randomInt(0, ALPHABET.length)]
  return out
}

/** KRY + 8 characters, stored without separators. */
export function newReference(): string {
  return `KRY${randomChars(8)}`
}

export function newActivationCode(): string {
  return randomChars(8)
}

/** Spaces, dashes and case as people type them are ignored. */
function compact(input: string): string {
  return input.replace(/[\s.-]/g, '').toUpperCase()
}

export function normaliseReference(input: string): string | null {
  const c = compact(input)
  return new RegExp(`^KRY[${ALPHABET}]{8}$`).test(c) ? c : null
}

export function normaliseActivationCode(input: string): string | null {
  const c = compact(input)
  return new RegExp(`^[${ALPHABET}]{8}$`).test(c) ? c : null
}

/** KRYABCD2345 → KRY-ABCD-2345, ABCD2345 → ABCD-2345: easier to read out and copy. */
export function formatReference(ref: string): string {
  return `${ref.slice(0, 3)}-${ref.slice(3, 7)}-${ref.slice(7)}`
}

export function formatActivationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** Keyed, so a copy of the table cannot be tried offline. */
export function hashActivationCode(secret: string, codeId: string, code: string): string {
  return crypto.createHmac('sha256', secret).update(`assisted:${codeId}:${code}`).digest('base64url')
}
