/**
 * NIK and KK at rest: AES-256-GCM (authenticated) under a key chosen by id, so keys can be
 * rotated (new writes use the newest, old rows still open), and a keyed HMAC for lookups
 * and uniqueness, so the database never holds a searchable plain number.
 */
import crypto from 'node:crypto'
import type { IdentityKey } from '../../config.ts'

export interface IdentityCipher {
  encrypt(plain: string): string
  decrypt(sealed: string): string
  /** Same input, same output: for unique indexes and "is this NIK registered?". */
  lookupHash(plain: string): string
  /** Whether the value was sealed under an older key (to re-encrypt on rotation). */
  isStale(sealed: string): boolean
}

const VERSION = 'v1'

export function createIdentityCipher(keys: readonly IdentityKey[], lookupKey: Buffer): IdentityCipher {
  const current = keys[0]
  if (!current) throw new Error('at least one identity key is needed')
  const byId = new Map(keys.map((k) => [k.id, k.key]))
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12)
      const cipher = crypto.createCipheriv('aes-256-gcm', current.key, iv)
      // The key id is bound as associated data: a value cannot be moved under another key's label.
      cipher.setAAD(Buffer.from(`${VERSION}:${current.id}`))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, current.id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':')
    },
    decrypt(sealed) {
      const [version, id, iv, body, tag] = sealed.split(':')
      const key = id ? byId.get(id) : undefined
      if (version !== VERSION || !key || !iv || body === undefined || !tag) throw new Error('identity value is not readable with the configured keys')
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(`${version}:${id}`))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
    lookupHash(plain) {
      return crypto.createHmac('sha256', lookupKey).update(plain).digest('base64url')
    },
    isStale(sealed) {
      return sealed.split(':')[1] !== current.id
    },
  }
}
