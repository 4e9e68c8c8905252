/** The sandbox civil registry (Dukcapil) and the resident index the other sandboxes share. */
export { createSandboxCivilRegistry } from './civil-registry.ts'
export { namesMatch, canonicalName, canonicalWord } from './name-match.ts'
export { createResidentIndex, DEMO_RESIDENT, type Resident, type ResidentIndex, type ResidentIndexOptions } from './residents.ts'
