/** The waves module's public door: wave lifecycle, joining, the draw's jobs, cards. */
export { createWave, updateWave, addPriorityGroup, commitWave, openWave, closeWave, cancelWave, requestDraw, SYSTEM, type Actor, type WavesDeps } from './waves.service.ts'
export { joinWave, requestNotify, carryOver, waveState, type WaveState } from './participation.service.ts'
export { issueCards, revokeCard, revokeOverdueCards, sendCardReminder, markFirstPurchase, cardOf } from './cards.service.ts'
export { defineWaveJobs, drawAndIssue, type WaveJobsDeps } from './waves.jobs.ts'
export { isValidCardNumber, formatCardNumber } from './card-number.ts'
export { SCHEME_PRESETS, type Scheme } from './scheme.ts'
export { registerWaveRoutes, WaveBlock } from './waves.pages.tsx'
