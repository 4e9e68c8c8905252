/** The waiting room's public door: the gate in front of sign-up, registered by app.ts. */
export { registerWaitingRoom, PASS_COOKIE } from './waiting-room.pages.tsx'
