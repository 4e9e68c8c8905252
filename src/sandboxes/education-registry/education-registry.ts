/**
 * A sandbox for the education registries: Dapodik (schools), PDDikti (universities) and
 * EMIS (madrasahs and Islamic universities, run by the Ministry of Religious Affairs).
 * Enrolment follows the population's student flag; the institution named is the kind a
 * person of that age and faith would attend in their regency.
 */
import type { Clock } from '../../platform/clock.ts'
import type { EducationRegistry } from '../../modules/registration/registries.ts'
import type { Faults } from '../registries/faults.ts'
import type { Resident, ResidentIndex } from '../civil-registry/index.ts'

/** A stable 0–99 from the NIK, so the same person always attends the same kind of place. */
function bucket(nik: string): number {
  let h = 0
  for (const c of nik) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return h % 100
}

function institution(r: Resident, today: Date): string {
  const age = today.getUTCFullYear() - Number(r.dateOfBirth.slice(0, 4))
  const madrasah = r.religion === 'ISLAM' && bucket(r.nik) < 25
  const where = r.regency.replace(/^(KAB\.|KOTA)\s*/, '')
  if (age < 19) return madrasah ? `MA Negeri ${1 + (bucket(r.nik) % 3)} ${where} (EMIS)` : `SMA/SMK Negeri ${1 + (bucket(r.nik) % 7)} ${where} (Dapodik)`
  return madrasah ? `UIN/IAIN di ${where} (EMIS)` : `Perguruan tinggi di ${where} (PDDikti)`
}

export function createSandboxEducationRegistry(residents: ResidentIndex, faults: Faults, clock: Clock): EducationRegistry {
  return {
    isEnrolled(nik) {
      return faults.call(() => {
        const r = residents.find(nik)
        // A NIK the registries never saw was never enrolled: Dapodik only knows its pupils.
        if (!r?.flags.student) return { enrolled: false }
        return { enrolled: true, institution: institution(r, clock.now()) }
      })
    },
  }
}
