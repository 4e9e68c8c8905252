/**
 * The NIK (Nomor Induk Kependudukan) checked the way it is built: digits 1–6 the region
 * (province, regency, district), 7–12 the date of birth DDMMYY with 40 added to the day for
 * women, 13–16 a serial from 0001. The person's own date of birth is asked beside it, so a
 * mismatch can point at the digit that was mistyped instead of just saying "invalid".
 */
import type { NikRegion } from '../regions/index.ts'
import { compareDates, formatDmy, parseIsoDate, todayInJakarta, toIsoDate, type CalendarDate } from './dates.ts'
import {
  NIK_LABEL,
  checkRegion,
  decodeDdmmyy,
  differingPositions,
  digitsPhrase,
  encodeDdmmyy,
  findAdjacentSwap,
  makeProblem,
  normaliseNumber,
  serialProblem,
  type FormatProblemCode,
  type Problem,
  type RegionProblemCode,
  type RegionWarningCode,
} from './id-number.ts'

export type Sex = 'F' | 'M'

export type NikProblemCode =
  | FormatProblemCode
  | RegionProblemCode
  | 'birth_date_impossible'
  | 'birth_date_mismatch'
  | 'digits_swapped'
  | 'sex_mismatch'
  | 'serial_zero'
  | 'date_of_birth_invalid'
  | 'date_of_birth_in_future'

export type NikWarningCode = RegionWarningCode

export interface NikOptions {
  /** The date of birth the person entered, `YYYY-MM-DD`. */
  readonly dateOfBirth: string
  readonly sex?: Sex
  /** `YYYY-MM-DD`; today in WIB when absent. */
  readonly today?: string
}

export type NikCheck =
  | {
      readonly ok: true
      readonly nik: string
      readonly region: NikRegion
      readonly sex: Sex
      readonly birthDate: string
      readonly warnings: readonly Problem<NikWarningCode>[]
    }
  | { readonly ok: false; readonly problems: readonly Problem<NikProblemCode>[] }

export function parseToday(today: string | undefined): CalendarDate {
  const d = parseIsoDate(today ?? todayInJakarta())
  if (!d) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`)
  return d
}

/**
 * The century that puts the birth date in the past, nearest to today (so the age is the
 * plausible one). The full year the person typed decides when its last two digits agree.
 */
function nikYear(today: CalendarDate, hintYear: number | null) {
  return (yy: number, month: number, day: number): number => {
    if (hintYear !== null && hintYear % 100 === yy) return hintYear
    const y = 2000 + yy
    return compareDates({ year: y, month, day }, today) <= 0 ? y : y - 100
  }
}

function checkDateOfBirth(text: string, today: CalendarDate): { dob: CalendarDate | null; problem: Problem<NikProblemCode> | null } {
  const dob = parseIsoDate(text)
  if (!dob) {
    return {
      dob: null,
      problem: makeProblem(
        'date_of_birth_invalid',
        'dateOfBirth',
        [],
        'Tanggal lahir yang Anda isi bukan tanggal yang benar. Isi tanggal, bulan dan tahun lahir sesuai KTP.',
        'The date of birth you entered is not a real date. Enter the day, month and year of birth as on your KTP.',
      ),
    }
  }
  if (compareDates(dob, today) > 0) {
    return {
      dob: null,
      problem: makeProblem(
        'date_of_birth_in_future',
        'dateOfBirth',
        [],
        `Tanggal lahir yang Anda isi (${formatDmy(dob)}) belum terjadi. Periksa tahun lahir.`,
        `The date of birth you entered (${formatDmy(dob)}) is in the future. Check the year of birth.`,
      ),
    }
  }
  return { dob, problem: null }
}

/** "Dua angka mungkin tertukar" when one adjacent swap fixes it, else the digits that differ. */
function typoHint(
  digits: string,
  dob: CalendarDate,
  sexes: readonly Sex[],
): { id: string; en: string; positions: number[]; swapped: boolean } {
  const expected = sexes.map((s) => encodeDdmmyy(dob, s === 'F'))
  const swap = findAdjacentSwap(digits, 7, 12, (seg) => expected.includes(seg))
  if (swap) {
    return {
      id: `dua angka mungkin tertukar: digit ke-${swap[0]} dan ke-${swap[1]}`,
      en: `two digits may be swapped: digits ${swap[0]} and ${swap[1]}`,
      positions: [...swap],
      swapped: true,
    }
  }
  const seg = digits.slice(6, 12)
  const positions = expected
    .map((e) => differingPositions(seg, e, 6))
    .reduce((best, p) => (p.length < best.length ? p : best))
  const where = digitsPhrase(positions)
  return {
    id: `periksa ${where.id} NIK, atau tanggal lahir yang Anda isi`,
    en: `check ${where.en} of the NIK, or the date of birth you entered`,
    positions,
    swapped: false,
  }
}

function checkBirthSegment(
  digits: string,
  dob: CalendarDate | null,
  sex: Sex | undefined,
  today: CalendarDate,
): { problem: Problem<NikProblemCode> | null; date: CalendarDate | null; sex: Sex } {
  const seg = digits.slice(6, 12)
  const decoded = decodeDdmmyy(seg, true, nikYear(today, dob?.year ?? null))
  if (!decoded.ok) {
    const hint = dob ? typoHint(digits, dob, sex ? [sex] : ['M', 'F']) : null
    const fallback = digitsPhrase(decoded.positions)
    return {
      date: null,
      sex: sex ?? 'M',
      problem: makeProblem(
        'birth_date_impossible',
        'nik',
        hint?.positions ?? decoded.positions,
        `Digit 7–12 NIK (${seg}) seharusnya tanggal lahir, tetapi ${decoded.reason.id}. ${capitalise(hint?.id ?? `periksa ${fallback.id}`)}.`,
        `Digits 7–12 of the NIK (${seg}) should be the date of birth, but ${decoded.reason.en}. ${capitalise(hint?.en ?? `check ${fallback.en}`)}.`,
      ),
    }
  }
  const nikSex: Sex = decoded.female ? 'F' : 'M'
  const date = decoded.date
  if (!dob) return { problem: null, date, sex: nikSex }
  const sameDay = date.day === dob.day && date.month === dob.month && date.year % 100 === dob.year % 100
  if (sameDay) {
    if (!sex || sex === nikSex) return { problem: null, date, sex: nikSex }
    const dd = seg.slice(0, 2)
    const text =
      nikSex === 'F'
        ? {
            id: `Hari lahir di digit 7–8 NIK (${dd}) sudah ditambah 40, tanda NIK perempuan, tetapi Anda memilih laki-laki. Periksa pilihan jenis kelamin, atau digit ke-7 NIK.`,
            en: `The day of birth in digits 7–8 of the NIK (${dd}) has 40 added, which marks a woman's NIK, but you chose male. Check the sex you chose, or digit 7 of the NIK.`,
          }
        : {
            id: `Anda memilih perempuan, tetapi hari lahir di digit 7–8 NIK (${dd}) tidak ditambah 40 seperti NIK perempuan (seharusnya ${date.day + 40}). Periksa pilihan jenis kelamin, atau digit ke-7 NIK.`,
            en: `You chose female, but the day of birth in digits 7–8 of the NIK (${dd}) does not have 40 added as a woman's NIK does (it would be ${date.day + 40}). Check the sex you chose, or digit 7 of the NIK.`,
          }
    return { problem: makeProblem('sex_mismatch', 'sex', [7], text.id, text.en), date, sex: nikSex }
  }
  const hint = typoHint(digits, dob, sex ? [sex] : [nikSex, nikSex === 'F' ? 'M' : 'F'])
  const shown = `${seg} → ${formatDmy(date)}`
  return {
    date,
    sex: nikSex,
    problem: makeProblem(
      hint.swapped ? 'digits_swapped' : 'birth_date_mismatch',
      'nik',
      hint.positions,
      `Tanggal lahir di NIK (digit 7–12: ${shown}) berbeda dengan tanggal lahir yang Anda isi (${formatDmy(dob)}): ${hint.id}.`,
      `The date of birth in the NIK (digits 7–12: ${shown}) differs from the date of birth you entered (${formatDmy(dob)}): ${hint.en}.`,
    ),
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export function checkNik(input: string, options: NikOptions): NikCheck {
  const today = parseToday(options.today)
  const { text, problems: format } = normaliseNumber(input, NIK_LABEL)
  const { dob, problem: dobProblem } = checkDateOfBirth(options.dateOfBirth, today)
  const problems: Problem<NikProblemCode>[] = [...format]
  if (dobProblem) problems.push(dobProblem)
  if (format.length > 0) return { ok: false, problems }

  const region = checkRegion(text, NIK_LABEL)
  if (!region.ok) problems.push(region.problem)
  const birth = checkBirthSegment(text, dob, options.sex, today)
  if (birth.problem) problems.push(birth.problem)
  const serial = serialProblem(text, NIK_LABEL)
  if (serial) problems.push(serial)

  if (problems.length > 0 || !region.ok || !birth.date) return { ok: false, problems }
  return { ok: true, nik: text, region: region.region, sex: birth.sex, birthDate: toIsoDate(birth.date), warnings: region.warnings }
}

export { ageOn, checkAge, MIN_AGE, MAX_AGE, type AgeCheck } from './age.ts'
