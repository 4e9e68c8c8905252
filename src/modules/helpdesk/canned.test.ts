import { describe, expect, it } from 'vitest'
import { CANNED, fillCanned } from './canned.ts'

describe('canned responses', () => {
  it('fill in the person, the agent and the tracking number', () => {
    const text = fillCanned(CANNED.find((c) => c.key === 'greeting')!.body, { name: 'Siti Rahmawati', agent: 'Dewi', tracking: 'KRY-2612-ABCDE1' })
    expect(text).toContain('Halo Siti Rahmawati')
    expect(text).toContain('KRY-2612-ABCDE1')
    expect(text).not.toMatch(/\{\w+\}/)
  })

  it('leave an unknown or empty placeholder visible for the agent to fix', () => {
    expect(fillCanned('Halo {name}, {situation}', { name: '' })).toBe('Halo {name}, {situation}')
  })
})
