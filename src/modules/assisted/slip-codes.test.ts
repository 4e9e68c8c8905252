import { describe, expect, it } from 'vitest'
import { formatActivationCode, formatReference, hashActivationCode, newActivationCode, newReference, normaliseActivationCode, normaliseReference } from './slip-codes.ts'
import { CONSENT_TEXT, CONSENT_VERSION } from './consent.ts'

describe('slip codes', () => {
  it('draws references and codes without characters that can be mistaken when copied by hand', () => {
    for (let i = 0; i < 200; i++) {
      expect(newReference()).toMatch(/^KRY[A-HJKMNP-Z2-9]{8}$/)
      expect(newActivationCode()).toMatch(/^[A-HJKMNP-Z2-9]{8}$/)
    }
  })

  it('reads them back as people type them', () => {
    expect(normaliseReference('kry-abcd-2345')).toBe('KRYABCD2345')
    expect(normaliseReference(' KRY ABCD 2345 ')).toBe('KRYABCD2345')
    expect(normaliseReference('KRY-ABCD-2340')).toBeNull()
    expect(normaliseReference('0812 3456 7890')).toBeNull()
    expect(normaliseActivationCode('wxyz-2345')).toBe('WXYZ2345')
    expect(normaliseActivationCode('123456')).toBeNull()
    expect(formatReference('KRYABCD2345')).toBe('KRY-ABCD-2345')
    expect(formatActivationCode('WXYZ2345')).toBe('WXYZ-2345')
  })

  it('hashes a code under the server secret and the code id', () => {
    const h = hashActivationCode('s'.repeat(32), 'id-1', 'WXYZ2345')
    expect(h).not.toContain('WXYZ2345')
    expect(hashActivationCode('s'.repeat(32), 'id-2', 'WXYZ2345')).not.toBe(h)
    expect(hashActivationCode('t'.repeat(32), 'id-1', 'WXYZ2345')).not.toBe(h)
  })

  it('names the consent text it was given by its content', () => {
    expect(CONSENT_VERSION).toMatch(/^v1-[0-9a-f]{12}$/)
    expect(CONSENT_TEXT.id).toContain('tidak ada data yang disimpan')
    expect(CONSENT_TEXT.en).toContain('nothing is saved')
  })
})
