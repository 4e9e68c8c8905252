/**
 * What the NIK and the KK number share: 16 digits, a region in digits 1–6, a DDMMYY date in
 * 7–12 and a serial in 13–16; the way people mistype them; and messages that point at the
 * digit to look at. Most registration losses were NIK typos, so each message names the typo.
 */
import { isRealDate, type CalendarDate } from './dates.ts'
import { regencyForFormerCode, getProvince, regionFromNikPrefix, type NikRegion } from '../regions/index.ts'

export type Field = 'nik' | 'kk' | 'dateOfBirth' | 'sex'

export interface Problem<C extends string = string> {
  readonly code: C
  readonly id: string
  readonly en: string
  /** The field the person should correct, so a page can link the message to it. */
  readonly field: Field
  /** 1-based digit positions to highlight; empty when the whole entry is meant. */
  readonly positions: readonly number[]
}

export interface Label {
  readonly field: 'nik' | 'kk'
  readonly id: string
  readonly en: string
}

export const NIK_LABEL: Label = { field: 'nik', id: 'NIK', en: 'NIK' }
export const KK_LABEL: Label = { field: 'kk', id: 'Nomor KK', en: 'KK number' }

/** Letters that look like digits on a phone keyboard or a worn card. */
const LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', D: '0', I: '1', l: '1', i: '1', '|': '1', S: '5', s: '5', B: '8', Z: '2', z: '2' }
const DIGIT_NAMES: Readonly<Record<string, { id: string; en: string }>> = {
  '0': { id: 'nol', en: 'zero' },
  '1': { id: 'satu', en: 'one' },
  '2': { id: 'dua', en: 'two' },
  '5': { id: 'lima', en: 'five' },
  '8': { id: 'delapan', en: 'eight' },
}

export type FormatProblemCode = 'empty' | 'letter_for_digit' | 'not_a_digit' | 'too_short' | 'too_long'

export interface Normalised {
  /** The entry without the spaces, dots and dashes people type; may still hold non-digits. */
  readonly text: string
  /** Non-empty when `text` is not exactly 16 digits. */
  readonly problems: readonly Problem<FormatProblemCode>[]
}

function problem<C extends string>(code: C, field: Field, positions: readonly number[], id: string, en: string): Problem<C> {
  return { code, field, positions, id, en }
}

/** `digit ke-8`, `digit ke-8 dan ke-10`, `digit ke-7, ke-8 dan ke-10`. */
export function digitsPhrase(positions: readonly number[], noun = { id: 'digit', en: 'digit' }): { id: string; en: string } {
  const ps = [...positions].sort((a, b) => a - b)
  const join = (items: string[], and: string) =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`
  return {
    id: `${noun.id} ${join(ps.map((p) => `ke-${p}`), 'dan')}`,
    en: `${noun.en}${ps.length === 1 ? '' : 's'} ${join(ps.map(String), 'and')}`,
  }
}

export function normaliseNumber(input: string, label: Label): Normalised {
  const text = input.replace(/[\s.\-‐–—_/]/g, '')
  const f = label.field
  if (text === '') {
    return {
      text,
      problems: [problem('empty', f, [], `${label.id} belum diisi. Ketik 16 angka ${label.id} Anda.`, `The ${label.en} is empty. Type the 16 digits of your ${label.en}.`)],
    }
  }
  const problems: Problem<FormatProblemCode>[] = []
  const others: number[] = []
  const chars = [...text]
  chars.forEach((c, i) => {
    if (c >= '0' && c <= '9') return
    const digit = LOOKALIKES[c]
    const name = digit === undefined ? undefined : DIGIT_NAMES[digit]
    if (digit === undefined || name === undefined) {
      others.push(i + 1)
      return
    }
    problems.push(
      problem(
        'letter_for_digit',
        f,
        [i + 1],
        `Digit ke-${i + 1} ${label.id} berisi huruf "${c}", bukan angka. Mungkin maksud Anda angka ${digit} (${name.id})? Ketik ulang dengan angka.`,
        `Character ${i + 1} of the ${label.en} is the letter "${c}", not a digit. Did you mean ${digit} (${name.en})? Type it again as a digit.`,
      ),
    )
  })
  if (others.length > 0) {
    const shown = others.map((p) => `"${chars[p - 1]}"`).join(', ')
    const where = digitsPhrase(others, { id: 'karakter', en: 'character' })
    problems.push(
      problem(
        'not_a_digit',
        f,
        others,
        `${label.id} hanya berisi angka 0–9, tetapi ${where.id} berisi ${shown}. Hapus atau ganti dengan angka yang tertulis di kartu.`,
        `A ${label.en} has only the digits 0–9, but ${where.en} ${others.length === 1 ? 'is' : 'are'} ${shown}. Remove or replace ${others.length === 1 ? 'it' : 'them'} with the digits printed on the card.`,
      ),
    )
  }
  const n = chars.length
  const unit = problems.length > 0 ? { id: 'karakter', en: 'characters' } : { id: 'angka', en: 'digits' }
  if (n < 16) {
    problems.push(
      problem(
        'too_short',
        f,
        [],
        `${label.id} harus 16 angka; yang Anda ketik ${n} ${unit.id}. Periksa apakah ada angka yang terlewat.`,
        `A ${label.en} has 16 digits; you typed ${n} ${unit.en}. Check whether a digit is missing.`,
      ),
    )
  } else if (n > 16) {
    problems.push(
      problem(
        'too_long',
        f,
        [],
        `${label.id} harus 16 angka; yang Anda ketik ${n} ${unit.id}. Periksa apakah ada angka yang terketik dua kali.`,
        `A ${label.en} has 16 digits; you typed ${n} ${unit.en}. Check whether a digit was typed twice.`,
      ),
    )
  }
  return { text, problems }
}

export type RegionProblemCode = 'province_unknown' | 'regency_unknown'
export type RegionWarningCode = 'district_unknown' | 'former_region_code'

export type RegionCheck =
  | { readonly ok: true; readonly region: NikRegion; readonly warnings: readonly Problem<RegionWarningCode>[] }
  | { readonly ok: false; readonly problem: Problem<RegionProblemCode> }

/** Digits 1–6 of a 16-digit number already known to be digits. */
export function checkRegion(digits: string, label: Label): RegionCheck {
  const f = label.field
  const pp = digits.slice(0, 2)
  const province = getProvince(pp)
  const regencyCode = `${pp}.${digits.slice(2, 4)}`
  if (!province && !regencyForFormerCode(regencyCode)) {
    return {
      ok: false,
      problem: problem(
        'province_unknown',
        f,
        [1, 2],
        `Kode provinsi ${pp} di digit 1–2 ${label.id} tidak ada. Periksa digit ke-1 dan ke-2 dengan yang tertulis di kartu.`,
        `Province code ${pp} in digits 1–2 of the ${label.en} does not exist. Check digits 1 and 2 against the card.`,
      ),
    }
  }
  const region = regionFromNikPrefix(digits)
  if (!region) {
    const where = province ? { id: ` di Provinsi ${province.name}`, en: ` in ${province.name}` } : { id: '', en: '' }
    return {
      ok: false,
      problem: problem(
        'regency_unknown',
        f,
        [3, 4],
        `Kode wilayah ${regencyCode} di digit 1–4 ${label.id} tidak ada${where.id}. Periksa digit ke-3 dan ke-4 dengan yang tertulis di kartu.`,
        `Region code ${regencyCode} in digits 1–4 of the ${label.en} does not exist${where.en}. Check digits 3 and 4 against the card.`,
      ),
    }
  }
  const warnings: Problem<RegionWarningCode>[] = []
  if (region.formerRegencyCode) {
    warnings.push(
      problem(
        'former_region_code',
        f,
        [1, 2, 3, 4],
        `Kode wilayah ${region.formerRegencyCode} adalah kode lama ${region.regency.name} sebelum pemekaran (sekarang ${region.regency.code}, ${region.province.name}). ${label.id} tidak berubah karena pemekaran, jadi ini bukan kesalahan.`,
        `Region code ${region.formerRegencyCode} is the code ${region.regency.name} had before the province was split (now ${region.regency.code}, ${region.province.name}). A ${label.en} does not change when provinces split, so this is not a mistake.`,
      ),
    )
  }
  // A number keeps the district code it was issued with even after the district is split
  // or renumbered, so an unknown district is no reason to refuse: the civil registry decides.
  if (!region.district) {
    const code = `${region.regency.code}.${digits.slice(4, 6)}`
    warnings.push(
      problem(
        'district_unknown',
        f,
        [5, 6],
        `Kode kecamatan ${code} di digit 5–6 tidak ada di daftar kecamatan ${region.regency.name} saat ini. Jika digit ke-5 dan ke-6 sudah sesuai kartu, lanjutkan saja: kode lama tetap berlaku dan akan diperiksa ke Dukcapil.`,
        `District code ${code} in digits 5–6 is not in the current district list of ${region.regency.name}. If digits 5 and 6 match the card, carry on: old codes stay valid and will be checked with the civil registry.`,
      ),
    )
  }
  return { ok: true, region, warnings }
}

/** 1-based positions, counted from `offset + 1`, where two equal-length strings differ. */
export function differingPositions(actual: string, expected: string, offset: number): number[] {
  const out: number[] = []
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) out.push(offset + i + 1)
  return out
}

/**
 * The first pair of adjacent digits whose swap makes digits `from`..`to` (1-based) satisfy
 * `fits`, including a pair that straddles either edge of that segment.
 */
export function findAdjacentSwap(digits: string, from: number, to: number, fits: (segment: string) => boolean): readonly [number, number] | null {
  for (let p = Math.max(1, from - 1); p <= Math.min(to, digits.length - 1); p++) {
    const a = digits[p - 1]
    const b = digits[p]
    if (a === undefined || b === undefined || a === b) continue
    const swapped = digits.slice(0, p - 1) + b + a + digits.slice(p + 1)
    if (fits(swapped.slice(from - 1, to))) return [p, p + 1]
  }
  return null
}

export function serialProblem(digits: string, label: Label): Problem<'serial_zero'> | null {
  if (digits.slice(12, 16) !== '0000') return null
  return problem(
    'serial_zero',
    label.field,
    [13, 14, 15, 16],
    `Empat digit terakhir ${label.id} (digit 13–16, nomor urut) tidak mungkin 0000. Periksa empat digit terakhir dengan yang tertulis di kartu.`,
    `The last four digits of a ${label.en} (digits 13–16, the serial) are never 0000. Check the last four digits against the card.`,
  )
}

export { problem as makeProblem }

export type DecodedDate =
  | { readonly ok: true; readonly date: CalendarDate; readonly female: boolean }
  | { readonly ok: false; readonly reason: { readonly id: string; readonly en: string }; readonly positions: readonly number[] }

/**
 * Digits 7–12 as DDMMYY. With `femaleDayOffset` (the NIK) a day of 41–71 is a woman's
 * day + 40. `pickYear` turns the two-digit year into a full one: the NIK and the KK choose
 * the century by different rules.
 */
export function decodeDdmmyy(
  segment: string,
  femaleDayOffset: boolean,
  pickYear: (yy: number, month: number, day: number) => number,
): DecodedDate {
  const rawDay = Number(segment.slice(0, 2))
  const month = Number(segment.slice(2, 4))
  const yy = Number(segment.slice(4, 6))
  const mm = segment.slice(2, 4)
  if (month < 1 || month > 12) {
    return { ok: false, positions: [9, 10], reason: { id: `bulan ${mm} tidak ada`, en: `there is no month ${mm}` } }
  }
  const female = femaleDayOffset && rawDay > 40
  const day = female ? rawDay - 40 : rawDay
  const dd = segment.slice(0, 2)
  if (day < 1 || day > 31) {
    return {
      ok: false,
      positions: [7, 8],
      reason: femaleDayOffset
        ? { id: `hari ${dd} tidak mungkin (01–31 untuk laki-laki, 41–71 untuk perempuan, yaitu tanggal + 40)`, en: `day ${dd} is impossible (01–31 for men, 41–71 for women, whose day has 40 added)` }
        : { id: `hari ${dd} tidak ada (01–31)`, en: `there is no day ${dd} (01–31)` },
    }
  }
  const year = pickYear(yy, month, day)
  if (!isRealDate(year, month, day)) {
    const shown = `${String(day).padStart(2, '0')}-${mm}-${year}`
    return { ok: false, positions: [7, 8, 9, 10], reason: { id: `tanggal ${shown} tidak ada`, en: `${shown} is not a date` } }
  }
  return { ok: true, date: { year, month, day }, female }
}

/** The DDMMYY the card should carry for a date; a woman's NIK day has 40 added. */
export function encodeDdmmyy(d: CalendarDate, female: boolean): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return two(d.day + (female ? 40 : 0)) + two(d.month) + two(d.year % 100)
}
