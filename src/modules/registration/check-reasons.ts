/**
 * The identity checks' rules, with no I/O: what a registry's answer means for the person,
 * and each reason in plain words (Bahasa Indonesia and English) with what to do about it.
 */
import type { Text } from '../../platform/i18n/index.ts'
import type { CheckKind, CheckNote, CheckReason } from './checks.tables.ts'
import type { CivilAnswer, EnrolmentAnswer, ExclusionHit, ExclusionList } from './registries.ts'

export interface Verdict {
  readonly outcome: 'passed' | 'failed'
  readonly reasons: readonly CheckReason[]
  /** Recorded with the outcome without deciding it. */
  readonly notes?: readonly CheckNote[]
}

const verdict = (reasons: CheckReason[]): Verdict => ({ outcome: reasons.length > 0 ? 'failed' : 'passed', reasons })

export function judgeCivil(answer: CivilAnswer): Verdict {
  if (answer.outcome === 'not_found') return verdict([{ code: 'nik_not_found' }])
  const reasons: CheckReason[] = answer.deceased ? [{ code: 'deceased' }] : []
  if (answer.outcome === 'mismatch') reasons.push(...answer.mismatches.map((field) => ({ code: 'mismatch' as const, field })))
  return verdict(reasons)
}

/** The person's own answer counts too: someone who says they are at school is not eligible. */
export function judgeEducation(answer: EnrolmentAnswer, declaredInEducation: boolean): Verdict {
  const reasons: CheckReason[] = []
  if (answer.enrolled) reasons.push({ code: 'enrolled', institution: answer.institution ?? null })
  else if (declaredInEducation) reasons.push({ code: 'declared_in_education' })
  return verdict(reasons)
}

/**
 * Lists that do not exclude by themselves. Whether receiving another social-assistance
 * programme excludes someone depends on the wave's scheme (the 2020 scheme excluded them, the
 * 2023 scheme did not), so the check records it and the waves module decides.
 */
export const SCHEME_DEPENDENT_LISTS: readonly ExclusionList[] = ['dtks_other_programme']

export function judgeExclusions(hits: readonly ExclusionHit[]): Verdict {
  const reasons: CheckReason[] = []
  const notes: CheckNote[] = []
  for (const h of hits) {
    if (SCHEME_DEPENDENT_LISTS.includes(h.list)) notes.push({ list: h.list, detail: h.detail })
    else reasons.push({ code: 'excluded', list: h.list, detail: h.detail })
  }
  return notes.length > 0 ? { ...verdict(reasons), notes } : verdict(reasons)
}

export const CHECK_NAMES: Record<CheckKind, Text> = {
  civil_registry: { id: 'Data kependudukan (Dukcapil): NIK, KK, nama, tanggal lahir', en: 'Civil registry (Dukcapil): NIK, KK, name, date of birth' },
  education: { id: 'Status pendidikan (Dapodik, PDDikti, EMIS)', en: 'Education status (school and university registries)' },
  exclusions: {
    id: 'Daftar pengecualian (ASN, TNI, Polri, perangkat desa, pejabat negara, penerima bantuan lain)',
    en: 'Exclusion lists (civil servants, military, police, village officials, state officials, other programmes)',
  },
}

const EXCLUDED: Record<ExclusionList, Text> = {
  asn: { id: 'Anda tercatat sebagai Aparatur Sipil Negara (ASN)', en: 'You are recorded as a civil servant (ASN)' },
  tni: { id: 'Anda tercatat sebagai anggota TNI', en: 'You are recorded as a member of the armed forces (TNI)' },
  polri: { id: 'Anda tercatat sebagai anggota Polri', en: 'You are recorded as a member of the police (Polri)' },
  village_official: { id: 'Anda tercatat sebagai kepala desa atau perangkat desa', en: 'You are recorded as a village head or village official' },
  state_official: { id: 'Anda tercatat sebagai pejabat negara atau anggota DPRD', en: 'You are recorded as a state official or a member of a regional parliament (DPRD)' },
  // Not a reason any more (SCHEME_DEPENDENT_LISTS); still worded for checks recorded before.
  dtks_other_programme: { id: 'Anda tercatat sebagai penerima bantuan sosial lain', en: 'You are recorded as receiving another social-assistance programme' },
}

/** One reason, in words the person can act on. */
export function describeReason(r: CheckReason): Text {
  switch (r.code) {
    case 'nik_not_found':
      return {
        id: 'NIK tidak ditemukan di data Dukcapil: periksa 16 angka NIK di langkah 1 sesuai KTP. Jika sudah benar, datangi Dinas Dukcapil setempat untuk memastikan data Anda aktif.',
        en: 'The NIK is not in the civil registry: check the 16 digits of your NIK in step 1 against your ID card. If it is right, visit your local civil registry office to make sure your record is active.',
      }
    case 'mismatch':
      if (r.field === 'name') {
        return {
          id: 'Nama tidak cocok dengan data Dukcapil: periksa ejaan nama di langkah 3 sesuai KTP.',
          en: 'The name does not match the civil registry: check the spelling of your name in step 3 against your ID card.',
        }
      }
      if (r.field === 'kk') {
        return {
          id: 'Nomor KK tidak cocok dengan data Dukcapil: periksa nomor KK di langkah 2 sesuai Kartu Keluarga terbaru. Jika KK Anda baru diganti, minta Dinas Dukcapil memperbarui datanya, lalu simpan lagi langkah 2.',
          en: 'The KK number does not match the civil registry: check it in step 2 against your latest family card. If your card was re-issued recently, ask the civil registry office to update its record, then save step 2 again.',
        }
      }
      return {
        id: 'Tanggal lahir tidak cocok dengan data Dukcapil: periksa tanggal lahir di langkah 1 sesuai KTP.',
        en: 'The date of birth does not match the civil registry: check it in step 1 against your ID card.',
      }
    case 'deceased':
      return {
        id: 'Menurut data Dukcapil, pemilik NIK ini sudah meninggal. Jika ini keliru, datangi Dinas Dukcapil untuk memperbaiki data, lalu hubungi layanan pengaduan.',
        en: 'The civil registry records the holder of this NIK as deceased. If that is wrong, have the civil registry office correct it, then contact the helpdesk.',
      }
    case 'enrolled':
      return {
        id: `Anda tercatat masih pelajar atau mahasiswa aktif${r.institution ? ` di ${r.institution}` : ''}. Program ini untuk yang tidak sedang sekolah atau kuliah. Jika sudah lulus atau berhenti, minta sekolah atau kampus memperbarui data, lalu simpan lagi langkah 4.`,
        en: `You are recorded as an active student${r.institution ? ` at ${r.institution}` : ''}. The programme is for people not in school or university. If you have finished or left, ask the school or university to update its record, then save step 4 again.`,
      }
    case 'declared_in_education':
      return {
        id: 'Anda menjawab sedang sekolah atau kuliah di langkah 4. Program ini untuk yang tidak sedang menempuh pendidikan formal; jika jawaban itu keliru, ubah di langkah 4.',
        en: 'You answered in step 4 that you are in school or university. The programme is for people not in formal education; if that answer is wrong, change it in step 4.',
      }
    case 'excluded':
      return {
        id: `${EXCLUDED[r.list].id} (${r.detail}), yang tidak boleh menerima Kartu Prakerja. Jika data itu keliru atau sudah tidak berlaku, hubungi layanan pengaduan dengan bukti (misalnya SK pemberhentian).`,
        en: `${EXCLUDED[r.list].en} (${r.detail}), who may not receive the card. If that record is wrong or out of date, contact the helpdesk with proof (for example a letter of discharge).`,
      }
  }
}
