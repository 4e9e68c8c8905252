/**
 * The family card (Kartu Keluarga) number: digits 1–6 the region where the card was issued,
 * 7–12 the issue date DDMMYY (no +40: a card has no sex), 13–16 a serial from 0001.
 */
import type { NikRegion } from '../regions/index.ts'
import { compareDates, formatDmy, toIsoDate, type CalendarDate } from './dates.ts'
import {
  KK_LABEL,
  checkRegion,
  decodeDdmmyy,
  digitsPhrase,
  makeProblem,
  normaliseNumber,
  serialProblem,
  type FormatProblemCode,
  type Problem,
  type RegionProblemCode,
  type RegionWarningCode,
} from './id-number.ts'
import { parseToday } from './nik.ts'

export type KkProblemCode = FormatProblemCode | RegionProblemCode | 'issue_date_impossible' | 'issue_date_in_future' | 'serial_zero' | 'same_as_nik'
export type KkWarningCode = RegionWarningCode

export interface KkOptions {
  /** The NIK the person entered, to catch the NIK typed twice. */
  readonly nik?: string
  /** `YYYY-MM-DD`; today in WIB when absent. */
  readonly today?: string
}

export type KkCheck =
  | { readonly ok: true; readonly kk: string; readonly region: NikRegion; readonly issueDate: string; readonly warnings: readonly Problem<KkWarningCode>[] }
  | { readonly ok: false; readonly problems: readonly Problem<KkProblemCode>[] }

const WHERE = {
  id: 'Nomor KK tertulis di bagian atas Kartu Keluarga, setelah tulisan "No."',
  en: 'The KK number is printed at the top of the family card, after "No."',
}

/** A card issued in `yy` is from this century unless that year has not come yet. */
function kkYear(today: CalendarDate) {
  return (yy: number): number => (2000 + yy <= today.year ? 2000 + yy : 1900 + yy)
}

function checkIssueDate(digits: string, today: CalendarDate): { problem: Problem<KkProblemCode> | null; date: CalendarDate | null } {
  const seg = digits.slice(6, 12)
  const decoded = decodeDdmmyy(seg, false, kkYear(today))
  if (!decoded.ok) {
    const looksLikeNik = Number(seg.slice(0, 2)) > 40 && Number(seg.slice(0, 2)) <= 71
    const where = digitsPhrase(decoded.positions)
    return {
      date: null,
      problem: makeProblem(
        'issue_date_impossible',
        'kk',
        decoded.positions,
        `Digit 7–12 Nomor KK (${seg}) seharusnya tanggal terbit KK, tetapi ${decoded.reason.id}. ` +
          (looksLikeNik
            ? `Hari di atas 40 hanya dipakai di NIK perempuan: mungkin yang Anda ketik NIK, bukan nomor KK. ${WHERE.id}.`
            : `Periksa ${where.id}.`),
        `Digits 7–12 of the KK number (${seg}) should be the date the card was issued, but ${decoded.reason.en}. ` +
          (looksLikeNik
            ? `A day above 40 is only used in a woman's NIK: you may have typed a NIK, not the KK number. ${WHERE.en}.`
            : `Check ${where.en}.`),
      ),
    }
  }
  if (compareDates(decoded.date, today) > 0) {
    const shown = `${seg} → ${formatDmy(decoded.date)}`
    return {
      date: null,
      problem: makeProblem(
        'issue_date_in_future',
        'kk',
        [7, 8, 9, 10, 11, 12],
        `Digit 7–12 Nomor KK (${shown}) adalah tanggal terbit KK, tetapi tanggal itu belum terjadi. Periksa digit ke-7 sampai ke-12.`,
        `Digits 7–12 of the KK number (${shown}) are the date the card was issued, but that date has not come yet. Check digits 7 to 12.`,
      ),
    }
  }
  return { problem: null, date: decoded.date }
}

export function checkKk(input: string, options: KkOptions = {}): KkCheck {
  const today = parseToday(options.today)
  const { text, problems: format } = normaliseNumber(input, KK_LABEL)
  if (format.length > 0) return { ok: false, problems: format }

  // Checked first and alone: every other message about a NIK typed here would mislead.
  if (options.nik !== undefined && normaliseNumber(options.nik, KK_LABEL).text === text) {
    return {
      ok: false,
      problems: [
        makeProblem(
          'same_as_nik',
          'kk',
          [],
          `Nomor KK sama dengan NIK; nomor KK tertulis di bagian atas Kartu Keluarga, setelah tulisan "No.". Ketik nomor itu.`,
          `The KK number is the same as the NIK. ${WHERE.en}; type that number.`,
        ),
      ],
    }
  }

  const problems: Problem<KkProblemCode>[] = []
  const region = checkRegion(text, KK_LABEL)
  if (!region.ok) problems.push(region.problem)
  const issue = checkIssueDate(text, today)
  if (issue.problem) problems.push(issue.problem)
  const serial = serialProblem(text, KK_LABEL)
  if (serial) problems.push(serial)

  if (problems.length > 0 || !region.ok || !issue.date) return { ok: false, problems }
  return { ok: true, kk: text, region: region.region, issueDate: toIsoDate(issue.date), warnings: region.warnings }
}
