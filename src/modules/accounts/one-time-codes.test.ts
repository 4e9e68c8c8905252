import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { sendAllowance, newCode, hashCode, sameHash, MAX_SENDS, SEND_WINDOW_MS } from './one-time-codes.ts'
import { normalisePhone, normaliseEmail, maskPhone } from './contact.ts'
import { checkPassword } from './password-policy.ts'

const t0 = new Date('2026-11-23T10:00:00Z')
const at = (min: number) => new Date(t0.getTime() + min * 60_000)

describe('sending codes', () => {
  it('allows the first send and 5 re-sends, then waits 2 hours from the 6th', () => {
    const sends: Date[] = []
    for (let i = 0; i < MAX_SENDS; i++) {
      const a = sendAllowance(sends, at(i))
      expect(a.allowed).toBe(true)
      sends.push(at(i))
    }
    const refused = sendAllowance(sends, at(6))
    expect(refused).toEqual({ allowed: false, retryAt: new Date(at(5).getTime() + SEND_WINDOW_MS) })
    expect(sendAllowance(sends, at(5 + 119)).allowed).toBe(false)
    expect(sendAllowance(sends, at(5 + 120)).allowed).toBe(true)
  })

  it('never allows more than 6 sends in any 2-hour window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 60 }), (attempts) => {
        const sends: Date[] = []
        for (const m of [...attempts].sort((a, b) => a - b)) {
          if (sendAllowance(sends, at(m)).allowed) sends.push(at(m))
        }
        for (const s of sends) {
          const inWindow = sends.filter((x) => x >= s && x.getTime() - s.getTime() < SEND_WINDOW_MS)
          expect(inWindow.length).toBeLessThanOrEqual(MAX_SENDS)
        }
      }),
    )
  })

  it('makes six-digit codes and keyed hashes that differ per code id', () => {
    for (let i = 0; i < 50; i++) expect(newCode()).toMatch(/^\d{6}$/)
    const h = hashCode('secret', 'id-1', '123456')
    expect(sameHash(h, hashCode('secret', 'id-1', '123456'))).toBe(true)
    expect(sameHash(h, hashCode('secret', 'id-2', '123456'))).toBe(false)
    expect(sameHash(h, hashCode('other', 'id-1', '123456'))).toBe(false)
  })
})

describe('contact details', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['0812345678', '+62812345678'],
  ])('normalises %s', (input, phone) => {
    expect(normalisePhone(input)).toEqual({ ok: true, phone })
  })

  it.each([
    ['021 555 1234', 'diawali 08'],
    ['0812', 'terlalu pendek'],
    ['08123456789012345', 'terlalu panjang'],
    ['0812-abc', 'hanya berisi angka'],
  ])('refuses %s saying what is wrong', (input, says) => {
    const r = normalisePhone(input)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.id).toContain(says)
  })

  it('masks a phone number for display', () => {
    expect(maskPhone('+6281234567890')).toBe('0812-****-7890')
  })

  it('checks e-mail addresses and lower-cases only the domain', () => {
    expect(normaliseEmail(' Siti.R@Gmail.COM ')).toEqual({ ok: true, email: 'Siti.R@gmail.com' })
    expect(normaliseEmail('siti@gmail').ok).toBe(false)
    expect(normaliseEmail('siti rahma@gmail.com').ok).toBe(false)
  })
})

describe('password policy', () => {
  it('refuses short, common and derived passwords, and accepts a passphrase', () => {
    expect(checkPassword('abc', {})?.id).toContain('minimal 8')
    expect(checkPassword('prakerja123', {})?.id).toContain('mudah ditebak')
    expect(checkPassword('sitirahma2026', { email: 'sitirahma@gmail.com' })?.id).toContain('mudah ditebak')
    expect(checkPassword('xx34567890xx', { phone: '+6281234567890' })?.id).toContain('mudah ditebak')
    expect(checkPassword('sapi perah di agam', { email: 'nanang@gmail.com' })).toBeNull()
  })
})
