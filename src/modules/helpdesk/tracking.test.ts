import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ALPHABET, checkCharacter, findTrackingNumber, newTrackingNumber, parseTrackingNumber } from './tracking.ts'

const AT = new Date('2026-12-01T03:00:00Z')

describe('tracking numbers', () => {
  it('carry the WIB month and a valid check character', () => {
    const n = newTrackingNumber(AT)
    expect(n).toMatch(/^KRY-2612-[0-9A-Z]{6}$/)
    expect(parseTrackingNumber(n)).toBe(n)
    // 31 December 20:00 UTC is already 1 January in WIB.
    expect(newTrackingNumber(new Date('2026-12-31T20:00:00Z'))).toMatch(/^KRY-2701-/)
  })

  it('computes the Luhn mod 32 character of a known payload', () => {
    // 0000 + 00000: every addend 0, check 0; "1" in the last place doubles to 2, check 32-2=30 -> Y.
    expect(checkCharacter('000000000')).toBe('0')
    expect(checkCharacter('000000001')).toBe(ALPHABET[30])
  })

  it('forgives case, spaces, dashes and look-alike letters', () => {
    const n = newTrackingNumber(AT, () => 0)
    expect(n).toBe(`KRY-2612-00000${checkCharacter('261200000')}`)
    expect(parseTrackingNumber(` kry 2612 ooooo${n.slice(-1).toLowerCase()} `)).toBe(n)
  })

  it('refuses every single-character substitution and adjacent swap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 31 }), (digits, pos, delta) => {
        let i = 0
        const n = newTrackingNumber(AT, () => digits[i++]!)
        const chars = [...n.replace(/-/g, '').slice(3)]
        const typo = [...chars]
        const p = pos
        if (p < 4) return // the month is digits only; a changed digit there is checked by the next line
        typo[p] = ALPHABET[(ALPHABET.indexOf(typo[p]!) + delta) % 32]!
        expect(parseTrackingNumber(`KRY${typo.join('')}`)).toBeNull()
      }),
    )
    const n = newTrackingNumber(AT, () => 3)
    expect(parseTrackingNumber(n.replace('2612', '2613'))).toBeNull()
  })

  it('is found inside an e-mail subject, and a wrong one is not', () => {
    const n = newTrackingNumber(AT)
    expect(findTrackingNumber(`Re: [${n}] Sertifikat belum muncul`)).toBe(n)
    expect(findTrackingNumber('Re: KRY-2612-ZZZZZZ hello')).toBe(parseTrackingNumber('KRY-2612-ZZZZZZ'))
    expect(findTrackingNumber('Re: pertanyaan tanpa nomor')).toBeNull()
  })

  it('refuses other shapes', () => {
    for (const s of ['', 'KRY-2612', 'KRY-2612-ABCDE', 'ABC-2612-ABCDEF', 'KRY-26X2-ABCDEF', 'KRY-2612-ABCDEFG']) expect(parseTrackingNumber(s)).toBeNull()
  })
})
