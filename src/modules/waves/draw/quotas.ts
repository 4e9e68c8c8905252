/**
 * Quota arithmetic of a wave (pure).
 *
 * A quota is set for the whole country (`national`) and, optionally, per area: a province
 * (`'13'`) or a regency (`'13.06'`). An applicant draws in the most specific area that has a
 * quota: their regency if it has one, else their province if it has one, else the remainder
 * area `'00'`, which gets what the national quota leaves over after every explicit quota.
 * So a regency quota is its own area and is NOT counted inside its province's quota; the
 * explicit quotas must together be no larger than the national quota.
 */

export const REMAINDER_AREA = '00'

export interface QuotaInput {
  readonly national: number
  readonly areas: ReadonlyArray<{ readonly areaCode: string; readonly quota: number }>
}

export interface QuotaProblem {
  readonly code: 'sum_exceeds_national' | 'unknown_area' | 'duplicate_area' | 'not_whole_number'
  readonly area?: string
  readonly id: string
  readonly en: string
}

function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0
}

/** Every problem with a quota configuration, in input order; empty when it is valid. */
export function validateQuotas(input: QuotaInput, knownArea: (code: string) => boolean): QuotaProblem[] {
  const problems: QuotaProblem[] = []
  if (!isWhole(input.national)) {
    problems.push({
      code: 'not_whole_number',
      id: 'Kuota nasional harus bilangan bulat 0 atau lebih.',
      en: 'The national quota must be a whole number, 0 or more.',
    })
  }
  const seen = new Set<string>()
  let sum = 0
  for (const { areaCode, quota } of input.areas) {
    if (seen.has(areaCode)) {
      problems.push({
        code: 'duplicate_area',
        area: areaCode,
        id: `Wilayah ${areaCode} diberi kuota lebih dari sekali. Gabungkan menjadi satu baris.`,
        en: `Area ${areaCode} has more than one quota. Merge them into one line.`,
      })
      continue
    }
    seen.add(areaCode)
    if (areaCode === REMAINDER_AREA || !knownArea(areaCode)) {
      problems.push({
        code: 'unknown_area',
        area: areaCode,
        id: `Kode wilayah ${areaCode} tidak dikenal. Gunakan kode provinsi (mis. 13) atau kabupaten/kota (mis. 13.06) Kemendagri.`,
        en: `Area code ${areaCode} is not known. Use a Kemendagri province code (e.g. 13) or regency code (e.g. 13.06).`,
      })
    }
    if (!isWhole(quota)) {
      problems.push({
        code: 'not_whole_number',
        area: areaCode,
        id: `Kuota wilayah ${areaCode} harus bilangan bulat 0 atau lebih.`,
        en: `The quota of area ${areaCode} must be a whole number, 0 or more.`,
      })
    } else {
      sum += quota
    }
  }
  if (isWhole(input.national) && sum > input.national) {
    problems.push({
      code: 'sum_exceeds_national',
      id: `Jumlah kuota wilayah (${sum}) melebihi kuota nasional (${input.national}). Kurangi kuota wilayah atau naikkan kuota nasional.`,
      en: `The area quotas add up to ${sum}, more than the national quota (${input.national}). Lower the area quotas or raise the national quota.`,
    })
  }
  return problems
}

/**
 * The places of every draw area: each explicit area with its quota, plus REMAINDER_AREA with
 * what the national quota leaves over (never below 0). Expects a valid input.
 */
export function effectiveQuotas(input: QuotaInput): Map<string, number> {
  const out = new Map<string, number>()
  let sum = 0
  for (const { areaCode, quota } of input.areas) {
    out.set(areaCode, quota)
    sum += quota
  }
  out.set(REMAINDER_AREA, Math.max(0, input.national - sum))
  return out
}

/** The area an applicant draws in: their regency if it has a quota, else their province if it has one, else the remainder. */
export function drawAreaOf(provinceCode: string, regencyCode: string, explicitAreas: ReadonlySet<string>): string {
  if (explicitAreas.has(regencyCode)) return regencyCode
  if (explicitAreas.has(provinceCode)) return provinceCode
  return REMAINDER_AREA
}
