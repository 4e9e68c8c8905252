/**
 * The three sandbox registries over one shared resident index, each with its own faults
 * (one registry can be down while the others answer), built from the configuration.
 */
import type { Clock } from '../../platform/clock.ts'
import type { RegistrySandboxConfig } from '../../config.ts'
import type { Registries } from '../../modules/registration/registries.ts'
import { createResidentIndex, createSandboxCivilRegistry, DEMO_RESIDENT, type Resident, type ResidentIndex } from '../civil-registry/index.ts'
import { createSandboxEducationRegistry } from '../education-registry/index.ts'
import { createSandboxExclusionLists } from '../exclusion-lists/index.ts'
import { createFaults, type FaultSettings, type Faults } from './faults.ts'

export { createFaults, type FaultSettings, type Faults }

export interface SandboxRegistries extends Registries {
  readonly residents: ResidentIndex
  /** Live settings: change them to start or end an outage while the app runs. */
  readonly faults: { readonly civil: FaultSettings; readonly education: FaultSettings; readonly exclusions: FaultSettings }
}

export function createSandboxRegistries(config: RegistrySandboxConfig, clock: Clock, extra: readonly Resident[] = []): SandboxRegistries {
  const residents = createResidentIndex({ seed: config.seed, size: config.size, wrongKkRate: config.wrongKkRate, extra: [DEMO_RESIDENT, ...extra] })
  const settings = (): FaultSettings => ({ latencyMs: config.latencyMs, timeoutRate: config.timeoutRate, outage: config.outage })
  const civil = createFaults('civil_registry', settings(), { clock, seed: config.seed + 1 })
  const education = createFaults('education_registry', settings(), { clock, seed: config.seed + 2 })
  const exclusions = createFaults('exclusion_lists', settings(), { clock, seed: config.seed + 3 })
  return {
    residents,
    civil: createSandboxCivilRegistry(residents, civil),
    education: createSandboxEducationRegistry(residents, education, clock),
    exclusions: createSandboxExclusionLists(residents, exclusions),
    faults: { civil: civil.settings, education: education.settings, exclusions: exclusions.settings },
  }
}
