/**
 * A sandbox for the exclusion lists the programme screens against: civil servants (BKN),
 * TNI, Polri, village heads and officials (Kemendagri), state officials and DPRD members,
 * and recipients of other social-assistance programmes (DTKS, BSU, BPUM). Hits follow the
 * population's flags, so about as many people are excluded as in the real population.
 */
import type { ExclusionHit, ExclusionLists } from '../../modules/registration/registries.ts'
import type { Faults } from '../registries/faults.ts'
import type { ResidentIndex } from '../civil-registry/index.ts'

const PROGRAMMES: Record<string, string> = {
  DTKS: 'DTKS (Data Terpadu Kesejahteraan Sosial)',
  BSU: 'BSU (Bantuan Subsidi Upah)',
  BPUM: 'BPUM (Banpres Produktif Usaha Mikro)',
}

export function createSandboxExclusionLists(residents: ResidentIndex, faults: Faults): ExclusionLists {
  return {
    lookup(nik) {
      return faults.call(() => {
        const f = residents.find(nik)?.flags
        if (!f) return []
        const hits: ExclusionHit[] = []
        if (f.civilServant) hits.push({ list: 'asn', detail: 'Pegawai Negeri Sipil (BKN)' })
        if (f.military) hits.push({ list: 'tni', detail: 'Tentara Nasional Indonesia' })
        if (f.police) hits.push({ list: 'polri', detail: 'Kepolisian Negara Republik Indonesia' })
        if (f.villageOfficial) hits.push({ list: 'village_official', detail: 'Kepala desa atau perangkat desa (Kemendagri)' })
        if (f.stateOfficial) hits.push({ list: 'state_official', detail: 'Pejabat negara atau anggota DPRD' })
        for (const p of f.otherProgrammes) hits.push({ list: 'dtks_other_programme', detail: PROGRAMMES[p] ?? p })
        return hits
      })
    },
  }
}
