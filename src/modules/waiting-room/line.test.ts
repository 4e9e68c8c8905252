import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { advance, formLine, lineOf, shuffleBlock, standing, type LineState } from './line.ts'
import { passKey, signPass, verifyPass } from './token.ts'

const cfg = { ratePerSecond: 10, openingShuffleSeconds: 60 }
const t0 = new Date('2026-12-01T10:00:00Z')
const at = (s: number) => new Date(t0.getTime() + s * 1000)
const idle: LineState = { admittedThrough: 0, advancedAt: new Date(0), episodeStartSeq: null, episodeStartedAt: null, openingLastSeq: null, issuedSeen: 0, drainedAt: null }

describe('passes', () => {
  const key = passKey('x'.repeat(32))
  it('verifies what it signed and nothing else', () => {
    const ticket = signPass(key, { kind: 'ticket', seq: 42, issuedAt: 1000 })
    expect(verifyPass(key, ticket)).toEqual({ kind: 'ticket', seq: 42, issuedAt: 1000 })
    const admission = signPass(key, { kind: 'admission', seq: 7, until: 99 })
    expect(verifyPass(key, admission)).toEqual({ kind: 'admission', seq: 7, until: 99 })
    // A better place, or a ticket turned into an admission, breaks the signature.
    expect(verifyPass(key, ticket.replace('t.42.', 't.41.'))).toBeNull()
    expect(verifyPass(key, ticket.replace(/^t\./, 'a.'))).toBeNull()
    expect(verifyPass(passKey('y'.repeat(32)), ticket)).toBeNull()
    expect(verifyPass(key, undefined)).toBeNull()
    expect(verifyPass(key, 'garbage')).toBeNull()
  })
  it('never throws on any input', () => {
    fc.assert(fc.property(fc.string(), (s) => verifyPass(key, s) === null || s.length <= 80))
  })
})

describe('the line', () => {
  it('admits at the rate, with one second of burst, and banks no idle time', () => {
    // A crowd of 100 arrives after a long idle time: one second's worth goes straight in.
    const first = advance(idle, 100, at(0), cfg)
    expect(first.admittedThrough).toBe(10)
    expect(first.issuedSeen).toBe(100)
    const later = advance({ ...first, admittedThrough: 50 }, 500, at(2), cfg)
    expect(later.admittedThrough).toBe(70)
  })

  it('holds the opening block until its draw, then admits it in keyed order', () => {
    const formed: LineState = { admittedThrough: 99.5, advancedAt: at(0), episodeStartSeq: 100, episodeStartedAt: at(0), openingLastSeq: null, issuedSeen: 0, drainedAt: null }
    const during = advance(formed, 300, at(30), cfg)
    expect(during.admittedThrough).toBe(99.5) // nobody from the block before the draw
    expect(standing(150, during, null, at(30), cfg)).toMatchObject({ kind: 'draw', drawAt: at(60) })
    expect(standing(99, during, null, at(30), cfg)).toEqual({ kind: 'admitted' })
    const drawn = advance(during, 400, at(61), cfg)
    expect(drawn.openingLastSeq).toBe(400)
    const block = shuffleBlock(Buffer.from('k'), 100, 400)
    const lines = [...block.values()].sort((a, b) => a - b)
    expect(lines).toEqual(Array.from({ length: 301 }, (_, i) => 100 + i)) // a permutation of the block's places
    expect([...block.entries()].filter(([seq, line]) => seq === line).length).toBeLessThan(10) // really shuffled
    expect(lineOf(401, drawn, block)).toBe(401) // after the block: arrival order
    const after = advance(drawn, 500, at(71), cfg)
    expect(after.admittedThrough).toBe(99.5 + 110) // from the draw at 60 s, not from the last look at 30 s
  })

  it('ends the episode once the line is drained', () => {
    const drawn: LineState = { admittedThrough: 390, advancedAt: at(100), episodeStartSeq: 100, episodeStartedAt: at(0), openingLastSeq: 300, issuedSeen: 400, drainedAt: null }
    const drained = advance(drawn, 400, at(102), cfg)
    expect(drained.admittedThrough).toBe(410)
    expect(drained.episodeStartSeq).toBeNull()
    expect(drained.drainedAt).toEqual(at(102))
    // A line forming again a minute later is a bump: arrival order at once, no draw to wait for.
    const bump = formLine(drained, 500, at(160))
    expect(lineOf(500, bump, null)).toBe(500)
    expect(standing(500, bump, null, at(160), cfg)).toMatchObject({ kind: 'waiting' })
    // After a quiet spell it is an opening again.
    expect(lineOf(500, formLine(drained, 500, at(102 + 11 * 60)), null)).toBeNull()
  })

  it('never moves the watermark back, whatever order processes advance it in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 10_000 })), { maxLength: 30 }), (steps) => {
        let s: LineState = { ...idle, advancedAt: t0 }
        let issued = 0
        for (const [dt, add] of steps) {
          issued += add
          const next = advance(s, issued, at(dt), cfg)
          if (next.admittedThrough < s.admittedThrough) return false
          if (next.admittedThrough > issued + cfg.ratePerSecond) return false
          s = next
        }
        return true
      }),
    )
  })

  it('tells an honest position and wait', () => {
    const s: LineState = { admittedThrough: 1000, advancedAt: at(0), episodeStartSeq: null, episodeStartedAt: null, openingLastSeq: null, issuedSeen: 0, drainedAt: null }
    expect(standing(1000, s, null, at(0), cfg)).toEqual({ kind: 'admitted' })
    expect(standing(1600, s, null, at(0), cfg)).toEqual({ kind: 'waiting', position: 600, waitSeconds: 60, retryAfterSeconds: 20 })
    expect(standing(1001, s, null, at(0), cfg)).toMatchObject({ position: 1, retryAfterSeconds: 5 })
    expect(standing(1_000_000, s, null, at(0), cfg)).toMatchObject({ retryAfterSeconds: 60 })
  })
})
