/**
 * A sandbox Dukcapil: answers NIK ↔ KK ↔ name ↔ date of birth from the synthetic
 * population as the real verification service does, field by field, with its latency,
 * timeouts, outages and out-of-date records.
 */
import type { CivilField, CivilRegistry } from '../../modules/registration/registries.ts'
import type { Faults } from '../registries/faults.ts'
import { namesMatch } from './name-match.ts'
import type { ResidentIndex } from './residents.ts'

export function createSandboxCivilRegistry(residents: ResidentIndex, faults: Faults): CivilRegistry {
  return {
    verify(query) {
      return faults.call(() => {
        const r = residents.find(query.nik)
        if (!r) return { outcome: 'not_found' as const, mismatches: [] }
        const mismatches: CivilField[] = []
        if (query.kk !== r.kk) mismatches.push('kk')
        if (!namesMatch(query.fullName, r.fullName)) mismatches.push('name')
        if (query.birthDate !== r.dateOfBirth) mismatches.push('birth_date')
        return { outcome: mismatches.length > 0 ? ('mismatch' as const) : ('match' as const), mismatches, ...(r.deceased ? { deceased: true } : {}) }
      })
    },
  }
}
