import { describe, expect, it } from 'vitest'
import { isOpen, nextState } from './states.ts'

describe('ticket states', () => {
  it('follows the life of a ticket handed to a partner', () => {
    let s = nextState('new', 'agent_reply')!
    expect(s).toBe('open')
    s = nextState(s, 'hand_off')!
    expect(s).toBe('waiting_partner')
    expect(nextState(s, 'participant_reply')).toBe('waiting_partner')
    s = nextState(s, 'partner_answer')!
    expect(s).toBe('open')
    s = nextState(s, 'resolve')!
    expect(s).toBe('resolved')
    expect(isOpen(s)).toBe(false)
    expect(nextState(s, 'participant_reply')).toBe('open')
    expect(nextState(s, 'close')).toBe('closed')
  })

  it('refuses moves that do not fit', () => {
    expect(nextState('closed', 'agent_reply')).toBeNull()
    expect(nextState('merged', 'reopen')).toBeNull()
    expect(nextState('open', 'close')).toBeNull()
    expect(nextState('closed', 'merge')).toBeNull()
    expect(nextState('closed', 'reopen')).toBe('open')
  })
})
