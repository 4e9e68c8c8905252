/** The sandbox education registries (Dapodik, PDDikti, EMIS). */
export { createSandboxEducationRegistry } from './education-registry.ts'
