import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createIdentityCipher } from './identity.ts'
import { loadConfig, ConfigError } from '../../config.ts'

const k = (id: string) => ({ id, key: crypto.randomBytes(32) })

describe('identity cipher', () => {
  const old = k('k1')
  const lookup = crypto.randomBytes(32)

  it('round-trips and never stores the plain number', () => {
    const c = createIdentityCipher([old], lookup)
    const sealed = c.encrypt('1306014203950001')
    expect(sealed).not.toContain('1306014203950001')
    expect(c.decrypt(sealed)).toBe('1306014203950001')
    expect(c.encrypt('1306014203950001')).not.toBe(sealed)
  })

  it('opens values sealed under an older key after rotation, and marks them stale', () => {
    const before = createIdentityCipher([old], lookup).encrypt('3174010101900001')
    const rotated = createIdentityCipher([k('k2'), old], lookup)
    expect(rotated.decrypt(before)).toBe('3174010101900001')
    expect(rotated.isStale(before)).toBe(true)
    expect(rotated.isStale(rotated.encrypt('x'))).toBe(false)
  })

  it('refuses a tampered value or one whose key id was swapped', () => {
    const other = k('k2')
    const c = createIdentityCipher([old, other], lookup)
    const sealed = c.encrypt('3174010101900001')
    const parts = sealed.split(':')
    const flipped = [...parts]
    flipped[3] = Buffer.from(Buffer.from(parts[3]!, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')
    expect(() => c.decrypt(flipped.join(':'))).toThrow()
    expect(() => c.decrypt([parts[0], 'k2', ...parts.slice(2)].join(':'))).toThrow()
  })

  it('gives a stable keyed lookup hash that differs under another lookup key', () => {
    const a = createIdentityCipher([old], lookup)
    const b = createIdentityCipher([old], crypto.randomBytes(32))
    expect(a.lookupHash('3174010101900001')).toBe(a.lookupHash('3174010101900001'))
    expect(a.lookupHash('3174010101900001')).not.toBe(b.lookupHash('3174010101900001'))
  })

  it('reads keys from configuration and refuses bad ones naming the variable', () => {
    const key = crypto.randomBytes(32).toString('base64')
    const c = loadConfig({ IDENTITY_KEYS: `k2:${key},k1:${crypto.randomBytes(32).toString('base64')}` })
    expect(c.identityKeys.map((x) => x.id)).toEqual(['k2', 'k1'])
    expect(() => loadConfig({ IDENTITY_KEYS: 'k1:short' })).toThrow(ConfigError)
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(/IDENTITY_KEYS/)
  })
})
