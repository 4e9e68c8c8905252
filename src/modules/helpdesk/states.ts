/**
 * The ticket's life: new → open → waiting on the participant or a partner → resolved → closed,
 * and reopened by a reply. Merged tickets end there and point at the one that carries on. Pure.
 */
import type { TicketState } from './helpdesk.tables.ts'

export type TicketAction = 'agent_reply' | 'ask_participant' | 'participant_reply' | 'hand_off' | 'partner_answer' | 'resolve' | 'close' | 'reopen' | 'merge'

const MOVES: Record<TicketAction, Partial<Record<TicketState, TicketState>>> = {
  agent_reply: { new: 'open', open: 'open', waiting_participant: 'open', waiting_partner: 'waiting_partner', resolved: 'open' },
  ask_participant: { new: 'waiting_participant', open: 'waiting_participant', waiting_participant: 'waiting_participant', waiting_partner: 'waiting_participant' },
  participant_reply: { new: 'new', open: 'open', waiting_participant: 'open', waiting_partner: 'waiting_partner', resolved: 'open' },
  hand_off: { new: 'waiting_partner', open: 'waiting_partner', waiting_participant: 'waiting_partner', waiting_partner: 'waiting_partner' },
  partner_answer: { waiting_partner: 'open', open: 'open', new: 'open', waiting_participant: 'waiting_participant' },
  resolve: { new: 'resolved', open: 'resolved', waiting_participant: 'resolved', waiting_partner: 'resolved' },
  close: { resolved: 'closed' },
  reopen: { resolved: 'open', closed: 'open' },
  merge: { new: 'merged', open: 'merged', waiting_participant: 'merged', waiting_partner: 'merged', resolved: 'merged' },
}

/** The state after the action, or null when the action does not fit the state. */
export function nextState(current: TicketState, action: TicketAction): TicketState | null {
  return MOVES[action][current] ?? null
}

/** States in which the ticket is still someone's work. */
export const OPEN_STATES: readonly TicketState[] = ['new', 'open', 'waiting_participant', 'waiting_partner']

export function isOpen(state: TicketState): boolean {
  return OPEN_STATES.includes(state)
}
