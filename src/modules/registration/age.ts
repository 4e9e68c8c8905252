/**
 * The programme's age rule: 18 to 64 years old on the day of registration.
 */
import { addYears, compareDates, formatLongDate, parseIsoDate, toIsoDate, type CalendarDate } from './dates.ts'
import { makeProblem, type Problem } from './id-number.ts'

export const MIN_AGE = 18
export const MAX_AGE = 64

function parse(text: string, what: string): CalendarDate {
  const d = parseIsoDate(text)
  if (!d) throw new RangeError(`${what} must be a real YYYY-MM-DD date, got ${text}`)
  return d
}

/**
 * Completed years on `onDate`. Someone born on 29 February turns a year older on 1 March
 * in a year without one.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const b = parse(birthDate, 'birthDate')
  const on = parse(onDate, 'onDate')
  const years = on.year - b.year
  return compareDates(addYears(b, years), on) > 0 ? years - 1 : years
}

export type AgeCheck =
  | { readonly ok: true; readonly age: number }
  | {
      readonly ok: false
      readonly age: number
      readonly problem: Problem<'too_young' | 'too_old'>
      /** When someone too young may register, `YYYY-MM-DD`; null for someone too old. */
      readonly eligibleFrom: string | null
    }

export function checkAge(birthDate: string, today: string): AgeCheck {
  const age = ageOn(birthDate, today)
  if (age >= MIN_AGE && age <= MAX_AGE) return { ok: true, age }
  const range = `${MIN_AGE}–${MAX_AGE}`
  if (age < MIN_AGE) {
    const from = addYears(parse(birthDate, 'birthDate'), MIN_AGE)
    return {
      ok: false,
      age,
      eligibleFrom: toIsoDate(from),
      problem: makeProblem(
        'too_young',
        'dateOfBirth',
        [],
        `Usia Anda ${age} tahun; program ini untuk usia ${range} tahun. Anda bisa mendaftar mulai ${formatLongDate('id', from)}. Jika tanggal lahir yang Anda isi keliru, perbaiki dulu.`,
        `You are ${age}; this programme is for people aged ${range}. You can register from ${formatLongDate('en', from)}. If the date of birth you entered is wrong, correct it first.`,
      ),
    }
  }
  return {
    ok: false,
    age,
    eligibleFrom: null,
    problem: makeProblem(
      'too_old',
      'dateOfBirth',
      [],
      `Usia Anda ${age} tahun; program ini untuk usia ${range} tahun, jadi Anda tidak bisa mendaftar. Jika tanggal lahir yang Anda isi keliru, perbaiki dulu.`,
      `You are ${age}; this programme is for people aged ${range}, so you cannot register. If the date of birth you entered is wrong, correct it first.`,
    ),
  }
}
