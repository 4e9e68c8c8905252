import { describe, expect, it } from 'vitest'
import { CARD_PREFIX, formatCardNumber, isValidCardNumber, luhnCheckDigit, newCardNumber, newPseudonym } from './card-number.ts'

describe('card numbers', () => {
  it('computes the Luhn check digit of known numbers', () => {
    // The classic worked example: 7992739871 → 3.
    expect(luhnCheckDigit('7992739871')).toBe(3)
    expect(isValidCardNumber('4539 1488 0343 6467')).toBe(true)
    expect(isValidCardNumber('4111-1111-1111-1111')).toBe(true)
  })

  it('makes 16-digit numbers with the programme prefix that validate', () => {
    for (let i = 0; i < 200; i++) {
      const n = newCardNumber()
      expect(n).toMatch(/^\d{16}$/)
      expect(n.startsWith(CARD_PREFIX)).toBe(true)
      expect(isValidCardNumber(n)).toBe(true)
    }
  })

  it('catches every single-digit typo and every swap of neighbouring different digits', () => {
    const n = newCardNumber()
    for (let i = 0; i < 16; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[i]) continue
        expect(isValidCardNumber(n.slice(0, i) + d + n.slice(i + 1)), `${i}:${d}`).toBe(false)
      }
    }
    for (let i = 0; i < 15; i++) {
      const a = n[i]!
      const b = n[i + 1]!
      // Luhn's one blind spot is 09 ↔ 90.
      if (a === b || (a + b === '09') || (a + b === '90')) continue
      expect(isValidCardNumber(n.slice(0, i) + b + a + n.slice(i + 2))).toBe(false)
    }
  })

  it('refuses wrong lengths and non-digits', () => {
    expect(isValidCardNumber('')).toBe(false)
    expect(isValidCardNumber('453914880343646')).toBe(false)
    expect(isValidCardNumber('45391488034364670')).toBe(false)
    expect(isValidCardNumber('4539148803436a67')).toBe(false)
  })

  it('uses a deterministic source when given one, and formats in groups of four', () => {
    const zeros = (n: number) => Buffer.alloc(n, 0)
    expect(newCardNumber(zeros)).toBe(`${CARD_PREFIX}00000000000${luhnCheckDigit(`${CARD_PREFIX}00000000000`)}`)
    expect(formatCardNumber('9360123456789012')).toBe('9360 1234 5678 9012')
  })

  it('makes pseudonyms of K and 12 Crockford characters', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 100; i++) {
      const p = newPseudonym()
      expect(p).toMatch(/^K[0-9A-HJKMNP-TV-Z]{12}$/)
      seen.add(p)
    }
    expect(seen.size).toBe(100)
  })
})
