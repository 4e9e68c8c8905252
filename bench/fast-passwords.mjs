// bench-only stand-in for src/modules/accounts/passwords.ts: SHA-256, no work factor.
// Loaded only through bench/no-hashing.mjs (plain JavaScript: resolve hooks skip tsx's transform).
import crypto from 'node:crypto'

export async function hashPassword(password) {
  return `bench-sha256$${crypto.createHash('sha256').update(password).digest('base64')}`
}

export async function verifyPassword(storedHash, password) {
  return storedHash === (await hashPassword(password))
}
