/**
 * Six-digit codes and link tokens: random, stored only as keyed hashes, short-lived, with a
 * small number of tries each, and re-sendable 5 times before a 2-hour wait (as the real
 * programme does).
 */
import crypto from 'node:crypto'
import type { CodePurpose } from './accounts.tables.ts'

export const CODE_TTL_MS: Record<CodePurpose, number> = {
  email_verify: 24 * 3_600_000,
  phone_verify: 10 * 60_000,
  login: 5 * 60_000,
  password_reset: 30 * 60_000,
  email_change: 24 * 3_600_000,
  phone_change: 10 * 60_000,
}
export const MAX_TRIES_PER_CODE = 5
/** The first send and 5 re-sends. */
export const MAX_SENDS = 6
export const SEND_WINDOW_MS = 2 * 3_600_000

export function newCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')
}

export function newLinkToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

/** Keyed, so a copy of the table cannot be brute-forced offline over the 10^6 codes. */
export function hashCode(secret: string, codeId: string, code: string): string {
  return crypto.createHmac('sha256', secret).update(`${codeId}:${code}`).digest('base64url')
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url')
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

/**
 * Whether another code may be sent now, given when the earlier ones were sent (any order).
 * After the 6th send inside the window, the next is allowed 2 hours after that 6th send.
 */
export function sendAllowance(sentAt: readonly Date[], now: Date): { allowed: true; remaining: number } | { allowed: false; retryAt: Date } {
  const sorted = [...sentAt].sort((a, b) => a.getTime() - b.getTime())
  const last = sorted[sorted.length - 1]
  if (!last) return { allowed: true, remaining: MAX_SENDS - 1 }
  // The run of sends that ends with the latest one: once it holds 6, wait 2 hours from the latest.
  const run = sorted.filter((d) => last.getTime() - d.getTime() < SEND_WINDOW_MS)
  if (run.length >= MAX_SENDS && now.getTime() - last.getTime() < SEND_WINDOW_MS) {
    return { allowed: false, retryAt: new Date(last.getTime() + SEND_WINDOW_MS) }
  }
  const recent = sorted.filter((d) => now.getTime() - d.getTime() < SEND_WINDOW_MS)
  return { allowed: true, remaining: Math.max(MAX_SENDS - recent.length - 1, 0) }
}
