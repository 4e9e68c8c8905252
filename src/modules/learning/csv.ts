/**
 * Report rows as CSV: a header line naming the columns (the JSON field names), then one
 * report a line. Quoted fields may hold commas and doubled quotes but not line breaks, so a
 * malformed line is refused on its own and never swallows the lines after it.
 */
export const CSV_COLUMNS = ['reportId', 'type', 'voucherCode', 'purchaseId', 'grade', 'completedAt', 'certificateNumber', 'certificateUrl', 'assignmentRef', 'status', 'redeemCode'] as const

export type CsvRecord = { ok: true; fields: string[] } | { ok: false }

/** Splits one line into fields; `ok: false` for a stray or unclosed quote. */
export function splitLine(line: string): CsvRecord {
  const fields: string[] = []
  let i = 0
  for (;;) {
    let field = ''
    if (line[i] === '"') {
      i++
      for (;;) {
        if (i >= line.length) return { ok: false }
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += line[i++]
      }
      if (i < line.length && line[i] !== ',') return { ok: false }
    } else {
      const end = line.indexOf(',', i)
      field = end === -1 ? line.slice(i) : line.slice(i, end)
      if (field.includes('"')) return { ok: false }
      i = end === -1 ? line.length : end
    }
    fields.push(field)
    if (i >= line.length) return { ok: true, fields }
    i++ // the comma
  }
}

export interface CsvRows {
  /** Each data line as an object of its named columns, or null when the line is malformed. */
  readonly rows: Array<Record<string, string> | null>
  readonly headerError: string | null
}

/**
 * Reads CSV text piece by piece, as it arrives, turning each complete line into a row at
 * once: a 64 MB upload is never held as one string. Blank lines are skipped. `push` answers
 * false once more than `maxRows` data lines came (the caller stops reading).
 */
export class CsvReader {
  readonly rows: Array<Record<string, string> | null> = []
  headerError: string | null = null
  private names: string[] | null = null
  private rest = ''

  constructor(private readonly maxRows = Infinity) {}

  get tooMany(): boolean {
    return this.rows.length > this.maxRows
  }

  push(text: string): boolean {
    const lines = (this.rest + text).split('\n')
    this.rest = lines.pop()!
    for (const l of lines) this.line(l)
    return !this.tooMany && this.headerError === null
  }

  end(): CsvRows {
    if (this.rest !== '') this.line(this.rest)
    this.rest = ''
    if (this.names === null && this.headerError === null) this.headerError = 'The header line is malformed.'
    return { rows: this.headerError ? [] : this.rows, headerError: this.headerError }
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (this.names === null) {
      if (this.headerError) return
      this.header(line.replace(/^\uFEFF/, ''))
      return
    }
    if (line.trim() === '' || this.tooMany) return
    const rec = splitLine(line)
    const names = this.names
    if (!rec.ok || rec.fields.length !== names.length) {
      this.rows.push(null)
      return
    }
    const o: Record<string, string> = {}
    names.forEach((name, k) => {
      const v = rec.fields[k]!.trim()
      if (v !== '') o[name] = v
    })
    this.rows.push(o)
  }

  private header(line: string): void {
    const header = splitLine(line)
    if (!header.ok) {
      this.headerError = 'The header line is malformed.'
      return
    }
    const names = header.fields.map((f) => f.trim())
    const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n))
    if (unknown.length > 0 || !names.includes('reportId')) {
      this.headerError = `Unknown columns: ${unknown.join(', ') || '(none)'}; the header needs reportId and may use ${CSV_COLUMNS.join(', ')}.`
      return
    }
    this.names = names
  }
}

/** Parses a whole CSV body (tests, small bodies). */
export function parseCsv(body: string): CsvRows {
  const r = new CsvReader()
  r.push(body)
  return r.end()
}
