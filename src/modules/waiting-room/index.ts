/** The waiting room's public door: the gate in front of sign-up and its page. */
export { registerWaitingRoom, PASS_COOKIE, waitingPage } from './waiting-room.pages.tsx'
export { createGate, type Gate, type WaitingRoomSettings } from './gate.ts'
