/**
 * CSV for the console's exports: RFC 4180 quoting, and protection against formula
 * injection, since these files are opened in spreadsheets: a text cell beginning with
 * = + - @ (or a tab or carriage return) is prefixed with an apostrophe (OWASP's advice).
 */
export type Cell = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return ''
  // Numbers are data, not text: a negative amount stays a number the spreadsheet can sum.
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  const guarded = FORMULA_START.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** A file name safe in a Content-Disposition header. */
export function attachmentName(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`
}
