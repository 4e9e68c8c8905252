import { describe, expect, it } from 'vitest'
import { canonicalEntry, canonicalJson, entryHash, GENESIS_HASH, toJsonObject, type AuditRecord } from './chain.ts'

const base: AuditRecord = {
  seq: 7,
  at: new Date('2026-11-24T03:04:05.678Z'),
  actorId: '0b5f3c1e-8a61-4c1e-9f5e-0d6d2a8b7c11',
  actorRole: 'agent',
  action: 'ticket.reassign',
  subjectType: 'ticket',
  subjectId: 'T-1001',
  details: { from: 'a', to: 'b', nested: { z: 1, a: [2, { y: true, b: null }] } },
  requestId: 'req-1',
  ip: '10.0.0.1',
}

describe('canonicalJson', () => {
  it('does not depend on key order at any depth', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 3 }], c: 'x' } })
    const b = canonicalJson({ a: { c: 'x', d: [1, { x: 3, y: 2 }] }, b: 1 })
    expect(a).toBe(b)
    expect(a).toBe('{"a":{"c":"x","d":[1,{"x":3,"y":2}]},"b":1}')
  })

  it('sorts integer-like keys as strings, not in engine enumeration order', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', x: 'c' })).toBe('{"10":"a","2":"b","x":"c"}')
  })

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]))
  })
})

describe('toJsonObject', () => {
  it('reduces values as JSON would, so the hash matches what jsonb returns', () => {
    const d = toJsonObject({ when: new Date('2026-01-02T03:04:05.006Z'), gone: undefined, n: Number.NaN, list: [undefined] })
    expect(d).toEqual({ when: '2026-01-02T03:04:05.006Z', n: null, list: [null] })
    expect('gone' in d).toBe(false)
  })

  it('refuses values that JSON cannot carry', () => {
    expect(() => toJsonObject({ big: 1n })).toThrow()
  })
})

describe('entryHash', () => {
  it('is sha256 hex and stable for the same content in any key order', () => {
    const h = entryHash(GENESIS_HASH, base)
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    const reordered: AuditRecord = {
      ip: base.ip,
      requestId: base.requestId,
      details: { nested: { a: [2, { b: null, y: true }], z: 1 }, to: 'b', from: 'a' },
      subjectId: base.subjectId,
      subjectType: base.subjectType,
      action: base.action,
      actorRole: base.actorRole,
      actorId: base.actorId,
      at: new Date(base.at.getTime()),
      seq: base.seq,
    }
    expect(entryHash(GENESIS_HASH, reordered)).toBe(h)
  })

  it('writes the timestamp as ISO UTC with milliseconds', () => {
    expect(canonicalEntry(GENESIS_HASH, base)).toContain('"at":"2026-11-24T03:04:05.678Z"')
  })

  const changes: Array<[string, Partial<AuditRecord>]> = [
    ['seq', { seq: 8 }],
    ['at (1 ms)', { at: new Date(base.at.getTime() + 1) }],
    ['actorId', { actorId: null }],
    ['actorRole', { actorRole: 'supervisor' }],
    ['action', { action: 'ticket.close' }],
    ['subjectType', { subjectType: 'account' }],
    ['subjectId', { subjectId: 'T-1002' }],
    ['details value', { details: { ...base.details, to: 'c' } }],
    ['details nested value', { details: { ...base.details, nested: { z: 1, a: [2, { y: false, b: null }] } } }],
    ['details extra key', { details: { ...base.details, extra: null } }],
    ['requestId', { requestId: null }],
    ['ip', { ip: '10.0.0.2' }],
  ]
  it.each(changes)('changes when %s changes', (_name, change) => {
    expect(entryHash(GENESIS_HASH, { ...base, ...change })).not.toBe(entryHash(GENESIS_HASH, base))
  })

  it('changes when the previous hash changes', () => {
    expect(entryHash('f'.repeat(64), base)).not.toBe(entryHash(GENESIS_HASH, base))
  })

  it('distinguishes null from an empty string', () => {
    expect(entryHash(GENESIS_HASH, { ...base, subjectId: '' })).not.toBe(entryHash(GENESIS_HASH, { ...base, subjectId: null }))
  })

  it('refuses an invalid timestamp', () => {
    expect(() => entryHash(GENESIS_HASH, { ...base, at: new Date(Number.NaN) })).toThrow(RangeError)
  })
})
